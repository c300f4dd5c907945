import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { XMLValidator } from 'fast-xml-parser';
import { afterAll, describe, expect, it } from 'vitest';
import { parse, stringify } from 'yaml';
import { packageRoot } from '../../core/paths.js';
import { runCli } from './cli.js';

/**
 * `diff` and `changelog` on a spec nobody here wrote (Scalar's Galaxy, OpenAPI 3.1), as files and as `REF:path`
 * from a throwaway git repository. The revision tightens a request property, adds a pattern JavaScript cannot
 * compile under the `u` flag, removes a path, and adds a required readOnly property (which is no request change).
 */

const galaxyText = readFileSync(join(packageRoot, 'node_modules/@scalar/galaxy/dist/3.1.yaml'), 'utf8');
// biome-ignore lint/suspicious/noExplicitAny: edits reach into a third-party document
type Doc = any;
const galaxy = (): Doc => parse(galaxyText);

const revised = galaxy();
revised.components.schemas.Planet.properties.name.maxLength = 20;
revised.components.schemas.Planet.properties.name.pattern = '^[\\w-./:]+$';
revised.components.schemas.Planet.properties.createdAt = { type: 'string', format: 'date-time', readOnly: true };
revised.components.schemas.Planet.required.push('createdAt');
delete revised.paths['/me'];

const widened = galaxy();
widened.components.schemas.Planet.properties.type.enum.push('rogue');

const dir = mkdtempSync(join(tmpdir(), 'mcpc-diff-e2e-'));
const notARepo = mkdtempSync(join(tmpdir(), 'mcpc-diff-norepo-'));
writeFileSync(join(dir, 'old.yaml'), galaxyText);
writeFileSync(join(dir, 'new.yaml'), stringify(revised));
writeFileSync(join(dir, 'widened.yaml'), stringify(widened));
const git = (...args: string[]) =>
  execFileSync('git', ['-c', 'user.name=t', '-c', 'user.email=t@t.invalid', '-c', 'commit.gpgsign=false', ...args], {
    cwd: dir,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
git('init', '-q', '-b', 'main');
writeFileSync(join(dir, 'openapi.yaml'), galaxyText);
git('add', 'openapi.yaml');
git('commit', '-q', '-m', 'v1');
writeFileSync(join(dir, 'openapi.yaml'), stringify(revised));
git('commit', '-q', '-am', 'v2');

afterAll(() => {
  rmSync(dir, { recursive: true, force: true });
  rmSync(notARepo, { recursive: true, force: true });
});

const diff = (args: string[], cwd = dir) => runCli(['diff', ...args], { cwd, env: { GITHUB_ACTIONS: '' } });
const expected = ['request-max-length-decreased', 'request-pattern-added', 'path-removed'];

describe('mcp-contracts diff (built CLI), two files', () => {
  it('text: exit 1, each breaking change with its rule and place; the readOnly property is no request change', async () => {
    const run = await diff(['old.yaml', 'new.yaml']);
    expect(run.stderr).toBe('');
    expect(run.code).toBe(1);
    expect(run.stdout).toContain('compared new.yaml against old.yaml');
    for (const rule of expected) expect(run.stdout).toContain(`error ${rule}`);
    expect(run.stdout).toContain('must now match the pattern ^[\\w-./:]+$');
    expect(run.stdout).not.toContain('request-property-added-required');
    expect(run.stdout).toContain('diff FAILED');
  });

  it('every other format once: json on stdout, markdown, junit, github and html written by --report', async () => {
    const at = (name: string) => join(dir, name);
    const run = await diff([
      'old.yaml',
      'new.yaml',
      '--format',
      'json',
      ...['markdown=out.md', 'junit=out.xml', 'github=out.txt', 'html=out.html'].flatMap((r) => ['--report', r]),
    ]);
    expect(run.stderr).toBe('');
    expect(run.code).toBe(1);

    const report = JSON.parse(run.stdout);
    expect(report.format).toBe('mcp-contracts-diff/1');
    const failing = report.breaking.filter((f: { failing: boolean }) => f.failing).map((f: { rule: string }) => f.rule);
    expect([...new Set(failing)].sort()).toEqual([...expected].sort());

    const markdown = readFileSync(at('out.md'), 'utf8');
    expect(markdown).toMatch(/^## mcp-contracts diff: ❌ failed/);
    expect(markdown).toContain('| ❌ | <code>path-removed</code> |');

    const junit = readFileSync(at('out.xml'), 'utf8');
    expect(XMLValidator.validate(junit)).toBe(true);
    expect(junit).toContain('<testsuites name="mcp-contracts diff"');
    expect(junit.match(/<failure /g)?.length).toBe(failing.length);

    const github = readFileSync(at('out.txt'), 'utf8').trim().split('\n');
    expect(github.every((l) => l.startsWith('::'))).toBe(true);
    expect(
      github.some((l) => /^::error file=new\.yaml,line=\d+,.*title=diff request-max-length-decreased::/.test(l)),
    ).toBe(true);

    const html = readFileSync(at('out.html'), 'utf8');
    expect(html).toMatch(/^<!doctype html>/);
    expect(html).not.toMatch(/<script|<link /);
    expect(html).toContain('<h2>POST /planets</h2>');
  });

  it('--fail-on warning fails on a widened response enum, the default gate does not', async () => {
    const lenient = await diff(['old.yaml', 'widened.yaml']);
    expect(lenient.code).toBe(0);
    expect(lenient.stdout).toContain('warning response-enum-widened');
    const strict = await diff(['old.yaml', 'widened.yaml', '--fail-on', 'warning']);
    expect(strict.code).toBe(1);
  });

  it('an ignore entry accepts a change until it expires', async () => {
    const ignore = join(dir, 'accepted.yaml');
    const entry = (rule: string, pointer: string) =>
      `  - { rule: ${rule}, file: new.yaml, pointer: '${pointer}', reason: announced, expires: 2999-01-01 }\n`;
    writeFileSync(
      ignore,
      `entries:\n${entry('path-removed', '/paths/~1me')}${entry('request-max-length-decreased', '/components/schemas/Planet/properties/name/maxLength')}${entry('request-pattern-added', '/components/schemas/Planet/properties/name/pattern')}`,
    );
    const run = await diff(['old.yaml', 'new.yaml', '--ignore', 'accepted.yaml']);
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    expect(run.stdout).toContain('ignored path-removed');
  });
});

describe('mcp-contracts diff (built CLI), REF:path from git', () => {
  it('compares a committed version with the working tree, and two revisions with each other', async () => {
    const run = await diff(['HEAD~1:openapi.yaml', 'openapi.yaml']);
    expect(run.code).toBe(1);
    expect(run.stdout).toContain('compared openapi.yaml against HEAD~1:openapi.yaml');
    expect(run.stdout).toMatch(/error path-removed openapi\.yaml@HEAD~1:\d+:\d+ in the old version/);
    const same = await diff(['HEAD:openapi.yaml', 'openapi.yaml']);
    expect(same.code).toBe(0);
  });

  it.each([
    [
      'an unknown revision',
      ['nope:openapi.yaml', 'openapi.yaml'],
      dir,
      /^MCPC_GIT: nope:openapi\.yaml: no such revision 'nope'/,
    ],
    [
      'a path missing at the revision',
      ['HEAD~1:missing.yaml', 'openapi.yaml'],
      dir,
      /^MCPC_GIT: HEAD~1:missing\.yaml: missing\.yaml does not exist at HEAD~1/,
    ],
    [
      'a folder that is not a repository',
      ['HEAD:openapi.yaml', 'HEAD:openapi.yaml'],
      notARepo,
      /^MCPC_GIT: HEAD:openapi\.yaml: .* is not inside a git work tree/,
    ],
    [
      'a file that does not exist',
      ['old.yaml', 'gone.yaml'],
      dir,
      /^MCPC_SPEC_NOT_FOUND: spec '.*gone\.yaml' not found .* or REF:path to read it from git/,
    ],
    ['one document only', ['old.yaml'], dir, /^MCPC_USAGE: diff takes exactly two documents/],
  ])('exits 2 with one coded line on %s', async (_what, args, cwd, message) => {
    const run = await diff(args, cwd);
    expect(run.code).toBe(2);
    expect(run.stdout).toBe('');
    expect(run.stderr.trim().split('\n')).toHaveLength(1);
    expect(run.stderr.trim()).toMatch(message);
  });
});

describe('mcp-contracts changelog (built CLI)', () => {
  it('lists every change, breaking or not, grouped by operation, as Markdown; exit 0', async () => {
    const run = await runCli(['changelog', 'HEAD~1:openapi.yaml', 'openapi.yaml'], { cwd: dir });
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(/^# API changes: openapi\.yaml against HEAD~1:openapi\.yaml/);
    expect(run.stdout).toContain('## `/me`\n\n- **Breaking**: path /me was removed');
    expect(run.stdout).toContain('## `POST /planets`');
    expect(run.stdout).toMatch(
      /- \*\*Breaking\*\* — request body application\/json: .*maxLength.*\(`request-max-length-decreased`\)/,
    );
    // The new readOnly property is news in responses, not a requirement on requests.
    expect(run.stdout).toMatch(
      /- \*\*Changed\*\* — response 200 application\/json; response 200 application\/xml: new property .*createdAt/,
    );
  });
});
