import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { packageRoot } from '../core/paths.js';
import { defaultIgnoreFile, isExpired, loadIgnoreFile, matchesEntry } from './ignore.js';

const dir = mkdtempSync(join(tmpdir(), 'mcpc-ignore-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function load(text: string) {
  const file = join(dir, `ignore-${Math.random().toString(36).slice(2)}.yaml`);
  writeFileSync(file, text);
  return () => loadIgnoreFile(file, 'specs/drift-ignore.yaml');
}

const good = {
  rule: 'response-status-removed',
  file: 'specs/smithery.yaml',
  pointer: '/paths/~1x/get/responses/404',
  reason: 'clients were told',
  expires: '2026-06-30',
};
const yamlOf = (entry: Record<string, string>): string =>
  `entries:\n  - ${Object.entries(entry)
    .map(([k, v]) => `${k}: '${v}'`)
    .join('\n    ')}\n`;

describe('loadIgnoreFile', () => {
  it('reads the committed ignore file: a header and no entries', () => {
    expect(loadIgnoreFile(join(packageRoot, defaultIgnoreFile))).toEqual([]);
  });

  it('reads a well-formed entry, with the date quoted or not', () => {
    expect(load(yamlOf(good))()).toEqual([good]);
    expect(load(yamlOf(good).replace("'2026-06-30'", '2026-06-30'))()).toEqual([good]);
  });

  it('treats a missing file and an empty file as no entries', () => {
    expect(loadIgnoreFile(join(dir, 'absent.yaml'))).toEqual([]);
    expect(load('# nothing yet\n')()).toEqual([]);
  });

  it.each([
    ['no reason', yamlOf({ ...good, reason: '' }), /entry 1 has no 'reason'/],
    [
      'no expiry',
      yamlOf({ rule: good.rule, file: good.file, pointer: good.pointer, reason: good.reason }),
      /no 'expires'/,
    ],
    ['an impossible date', yamlOf({ ...good, expires: '2026-02-30' }), /not a date YYYY-MM-DD/],
    ['a date in another format', yamlOf({ ...good, expires: '30/06/2026' }), /not a date YYYY-MM-DD/],
    ['an unknown rule', yamlOf({ ...good, rule: 'response-status-gone' }), /unknown rule 'response-status-gone'/],
    ['a pointer that is not one', yamlOf({ ...good, pointer: 'paths/x' }), /is not a JSON pointer/],
    ['a misspelt key', yamlOf({ ...good, expiry: '2026-01-01' }), /unknown key\(s\) expiry/],
    ['entries that are not a list', 'entries: {}\n', /expected only a top-level 'entries:' list/],
    ['another top-level key', 'ignore: []\n', /expected only a top-level 'entries:' list/],
    ['an entry that is not a mapping', 'entries:\n  - just text\n', /entry 1 is not a mapping/],
    ['invalid YAML', 'entries: [\n', /invalid YAML/],
  ])('rejects %s with MCPC_CONFIG', (_name, text, message) => {
    const run = load(text);
    expect(run).toThrow(message);
    try {
      run();
    } catch (error) {
      expect(error).toMatchObject({ code: 'MCPC_CONFIG' });
    }
  });
});

describe('expiry and matching', () => {
  it.each([
    ['the day before', '2026-06-29T12:00:00Z', false],
    ['the expiry day itself, late in the day', '2026-06-30T23:59:59Z', false],
    ['the day after', '2026-07-01T00:00:00Z', true],
  ])('an entry expiring 2026-06-30 on %s: expired=%s', (_name, now, want) => {
    expect(isExpired(good, new Date(now))).toBe(want);
  });

  it('matches on rule, file and pointer, all three', () => {
    const finding = { rule: good.rule, file: good.file, pointer: good.pointer };
    expect(matchesEntry(good, finding)).toBe(true);
    expect(matchesEntry(good, { ...finding, rule: 'response-type-changed' })).toBe(false);
    expect(matchesEntry(good, { ...finding, file: 'specs/stackone.yaml' })).toBe(false);
    expect(matchesEntry(good, { ...finding, pointer: '/paths/~1x/get/responses/400' })).toBe(false);
  });
});
