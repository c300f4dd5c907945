import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { ToolError } from '../core/errors.js';
import { loadSpecArgument, runDiff } from './diff.js';
import { renderAnnotations } from './report/annotations.js';
import { renderJunit } from './report/junit.js';
import { renderTerminal } from './report/terminal.js';

const dir = mkdtempSync(join(tmpdir(), 'mcpc-diff-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const minimal = (openapi: string): string => `openapi: ${openapi}\ninfo: {title: t, version: "1"}\npaths: {}\n`;

/** The coded line a bad argument gives, or '' when it loads. */
async function lineOf(given: string): Promise<string> {
  try {
    await loadSpecArgument(given, dir);
    return '';
  } catch (error) {
    expect(error).toBeInstanceOf(ToolError);
    return (error as ToolError).toLine();
  }
}

/** A schema `levels` objects deep, as JSON text (built as text: JSON.stringify itself would overflow). */
function deepJson(levels: number): string {
  const schema = `${'{"type":"object","properties":{"a":'.repeat(levels)}{"type":"string"}${'}}'.repeat(levels)}`;
  return `{"openapi":"3.1.0","info":{"title":"t","version":"1"},"paths":{},"components":{"schemas":{"Deep":${schema}}}}`;
}

describe('diff arguments a new user gives', () => {
  it('a URL: one coded line saying it is not read, not a git error', async () => {
    const line = await lineOf('https://example.com/openapi.yaml');
    expect(line).toMatch(
      /^MCPC_USAGE: https:\/\/example\.com\/openapi\.yaml: URLs are not read; download it first \(curl -o\)/,
    );
    expect(line).not.toContain('revision');
  });

  it('openapi: 3.1 unquoted (a YAML number): says to write it as a string, quoted 3.1.0 loads', async () => {
    writeFileSync(join(dir, 'number.yaml'), minimal('3.1'));
    const line = await lineOf('number.yaml');
    expect(line).toContain('is read by YAML as the number 3.1');
    expect(line).toContain("openapi: '3.1.0'");
    expect(line).not.toContain("no 'openapi' version field");
    writeFileSync(join(dir, 'quoted.yaml'), minimal("'3.1.0'"));
    expect(await lineOf('quoted.yaml')).toBe('');
  });

  it('a valid document nested thousands of levels deep: a clear line, JSON or YAML, never a stack overflow', async () => {
    writeFileSync(join(dir, 'deep.json'), deepJson(4000));
    writeFileSync(join(dir, 'deep.yaml'), `# YAML\n${deepJson(4000)}`);
    for (const file of ['deep.json', 'deep.yaml']) {
      const line = await lineOf(file);
      expect(line).toContain(`${file}: the document is nested too deeply to read`);
      expect(line).not.toContain('Maximum call stack');
    }
    // Deep but not that deep still loads.
    writeFileSync(join(dir, 'nested.json'), deepJson(100));
    expect(await lineOf('nested.json')).toBe('');
  });
});

describe('diff --ignore FILE', () => {
  const paths = (extra: string) =>
    `openapi: 3.1.0\ninfo: {title: t, version: "1"}\npaths:\n  /a: {get: {responses: {"200": {description: ok}}}}\n${extra}`;
  writeFileSync(join(dir, 'old.yaml'), paths('  /me: {get: {responses: {"200": {description: ok}}}}\n'));
  writeFileSync(join(dir, 'new.yaml'), paths(''));
  mkdirSync(join(dir, 'ci'), { recursive: true });
  const entry = (file: string, expires = '2099-12-31') =>
    `entries:\n  - {rule: path-removed, file: '${file}', pointer: /paths/~1me, reason: moved, expires: '${expires}'}\n`;
  const now = new Date('2026-06-01T00:00:00Z');
  const run = (ignoreFile: string, revision = 'new.yaml') =>
    runDiff({ base: 'old.yaml', revision, cwd: dir, ignoreFile, now });

  it('reads file: relative to the ignore file, ./new.yaml and new.yaml alike', async () => {
    writeFileSync(join(dir, 'dotted.yaml'), entry('./new.yaml'));
    writeFileSync(join(dir, 'ci', 'up.yaml'), entry('../new.yaml'));
    for (const [ignore, revision] of [
      ['dotted.yaml', 'new.yaml'],
      ['dotted.yaml', './new.yaml'],
      ['ci/up.yaml', 'new.yaml'],
    ] as const) {
      const result = await run(ignore, revision);
      expect(result.ok, `${ignore} ${revision}`).toBe(true);
      expect(result.steps[0]?.summary).toContain('0 breaking change(s) fail the gate, 0 warning(s), 1 ignored');
    }
    // Read from ci/, `new.yaml` is ci/new.yaml: another file, so the change is not accepted.
    writeFileSync(join(dir, 'ci', 'here.yaml'), entry('new.yaml'));
    expect((await run('ci/here.yaml')).ok).toBe(false);
  });

  it('counts an expired entry in the summary that fails the gate', async () => {
    writeFileSync(join(dir, 'expired.yaml'), entry('new.yaml', '2026-01-31'));
    const result = await run('expired.yaml');
    expect(result.ok).toBe(false);
    expect(result.steps[0]?.summary).toContain('1 breaking change(s) fail the gate');
    expect(result.steps[0]?.summary).toContain('1 expired ignore entry fails the gate');
    writeFileSync(join(dir, 'current.yaml'), entry('new.yaml'));
    expect((await run('current.yaml')).steps[0]?.summary).not.toContain('expired');
  });

  it('names the ignore file given, never specs/drift-ignore.yaml', async () => {
    writeFileSync(join(dir, 'broken.yaml'), 'entries:\n  - {rule: path-removed}\n');
    const failing = await run('broken.yaml').then(
      () => '',
      (error: ToolError) => error.toLine(),
    );
    expect(failing).toMatch(/^MCPC_CONFIG: broken\.yaml: entry 1 has no 'file'/);
    expect(failing).not.toContain('drift-ignore');
    writeFileSync(join(dir, 'unused.yaml'), entry('other.yaml'));
    const result = await run('unused.yaml');
    const text = JSON.stringify(result.steps[0]?.checks);
    expect(text).toContain('add to unused.yaml');
    expect(text).toContain('remove the entry from unused.yaml');
    expect(text).not.toContain('drift-ignore');
  });
});

describe('diff reports read from a subfolder of a repository', () => {
  const repo = join(dir, 'repo');
  mkdirSync(join(repo, 'api', 'v1'), { recursive: true });
  const spec = (pattern: string, extra = '') =>
    `openapi: 3.1.0
info: {title: t, version: "1"}
paths:
  /a:
    post:
      requestBody: {content: {application/json: {schema: {type: string, pattern: ${JSON.stringify(pattern)}}}}}
      responses: {"200": {description: ok}}
${extra}`;
  writeFileSync(
    join(repo, 'api', 'v1', 'old.yaml'),
    spec(
      '^a$',
      '  /me:\n    get: {responses: {"200": {description: ok}}}\n    delete: {responses: {"204": {description: gone}}}\n',
    ),
  );
  writeFileSync(join(repo, 'api', 'v1', 'new.yaml'), spec('^a\nb$'));
  const cwd = join(repo, 'api', 'v1');
  const ask = (at: string, ...args: string[]) => execFileSync('git', args, { cwd: at, stdio: 'ignore' });
  const identity = { name: 'plain', bold: String, dim: String, red: String, green: String, yellow: String };
  const paint = identity as unknown as Parameters<typeof renderTerminal>[1];

  it('names files from the repository root in annotations, from the cwd outside one', async () => {
    const outside = await runDiff({ base: 'old.yaml', revision: 'new.yaml', cwd });
    expect(renderAnnotations(outside).join('\n')).toContain('file=new.yaml,');
    ask(repo, 'init', '-q');
    const inside = await runDiff({ base: 'old.yaml', revision: 'new.yaml', cwd });
    const lines = renderAnnotations(inside).filter((l) => l.startsWith('::error'));
    expect(lines.length).toBeGreaterThan(0);
    for (const line of lines) expect(line).toContain('file=api/v1/new.yaml,');
  });

  it('JUnit names its suite and classes diff; path-removed lists the operations; a newline in a pattern stays escaped', async () => {
    const result = await runDiff({ base: 'old.yaml', revision: 'new.yaml', cwd });
    const junit = renderJunit(result);
    expect(junit).toContain('<testsuite name="diff: ');
    expect(junit).toContain('classname="diff.breaking"');
    expect(junit).not.toContain('drift');
    const removed = result.breaking.find((f) => f.rule === 'path-removed');
    expect(removed?.message).toBe('path /me was removed with all its operations: GET /me, DELETE /me');
    const text = renderTerminal(result, paint);
    const changed = text.find((l) => l.includes('pattern changed'));
    expect(changed).toContain('^a\\nb$');
    expect(text.every((l) => !l.includes('\n'))).toBe(true);
  });
});

describe('diff REF:path on a spec split across files', () => {
  const repo = join(dir, 'split');
  const api = join(repo, 'api');
  mkdirSync(join(api, 'schemas'), { recursive: true });
  const git = (...args: string[]) =>
    execFileSync('git', ['-c', 'user.name=t', '-c', 'user.email=t@t.invalid', '-c', 'commit.gpgsign=false', ...args], {
      cwd: repo,
      stdio: 'ignore',
    });
  const root = `openapi: 3.1.0
info: {title: t, version: "1"}
paths:
  /things:
    post:
      requestBody: {content: {application/json: {schema: {$ref: './schemas/thing.yaml#/Thing'}}}}
      responses: {"200": {description: ok}}
`;
  // Two $refs away from the root document: openapi.yaml → schemas/thing.yaml → schemas/name.yaml.
  const thing = "Thing:\n  type: object\n  properties:\n    name: {$ref: 'name.yaml'}\n";
  writeFileSync(join(api, 'openapi.yaml'), root);
  writeFileSync(join(api, 'schemas', 'thing.yaml'), thing);
  writeFileSync(join(api, 'schemas', 'name.yaml'), 'type: string\nmaxLength: 20\n');
  git('init', '-q');
  git('add', '-A');
  git('commit', '-q', '-m', 'v1');
  writeFileSync(join(api, 'schemas', 'name.yaml'), 'type: string\nmaxLength: 10\n');
  git('commit', '-q', '-am', 'v2: a tighter name, two $refs away');

  it('reads every file the $refs reach at the same revision, from a subfolder too', async () => {
    const result = await runDiff({ base: 'HEAD~1:openapi.yaml', revision: 'HEAD:openapi.yaml', cwd: api });
    expect(result.breaking.map((f) => f.rule)).toEqual(['request-max-length-decreased']);
    expect(result.ok).toBe(false);
    // The committed version against the working tree, and a revision against itself.
    const working = await runDiff({ base: 'HEAD~1:./openapi.yaml', revision: 'openapi.yaml', cwd: api });
    expect(working.breaking.map((f) => f.rule)).toEqual(['request-max-length-decreased']);
    expect((await runDiff({ base: 'HEAD:openapi.yaml', revision: 'HEAD:openapi.yaml', cwd: api })).breaking).toEqual(
      [],
    );
  });

  it('a $ref to a file that did not exist at that revision: one coded line naming it', async () => {
    writeFileSync(join(api, 'openapi.yaml'), root.replace('./schemas/thing.yaml', './schemas/other.yaml'));
    writeFileSync(join(api, 'schemas', 'other.yaml'), thing);
    git('add', '-A');
    git('commit', '-q', '-m', 'v3');
    const line = await runDiff({ base: 'HEAD~1:openapi.yaml', revision: 'HEAD:openapi.yaml', cwd: api }).then(
      () => '',
      (error: ToolError) => error.toLine(),
    );
    expect(line).toBe('');
    git('rm', '-q', 'api/schemas/other.yaml');
    git('commit', '-q', '-m', 'v4: other.yaml removed, still referenced');
    const missing = await runDiff({ base: 'HEAD~1:openapi.yaml', revision: 'HEAD:openapi.yaml', cwd: api }).then(
      () => '',
      (error: ToolError) => error.toLine(),
    );
    expect(missing).toMatch(/^MCPC_GIT: HEAD:openapi\.yaml: api\/schemas\/other\.yaml does not exist at HEAD/);
  });
});
