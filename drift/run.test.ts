import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { ToolError } from '../core/errors.js';
import { resolveBase } from './git.js';
import { runDrift } from './run.js';
import { createScratchRepo, type ScratchRepo } from './testing/scratch-repo.js';
import type { BreakingFinding, DriftOptions } from './types.js';

const smithery = 'specs/smithery.yaml';
const operation = '/paths/~1connect~1{namespace}~1{connectionId}/delete';

const status404 = `        '404':
          description: Namespace or connection not found
          content:
            application/json:
              schema:
                $ref: '#/components/schemas/Error'
`;
const lastParameter = `          name: connectionId
          required: true
`;
const requiredParameter = `${lastParameter}        - name: force
          in: query
          required: true
          schema:
            type: boolean
`;
const messageType = `        message:
          type: string
          example: Resource not found`;

/** 1-based line of the first occurrence of `needle` in `text`. */
const lineOf = (text: string, needle: string): number => text.slice(0, text.indexOf(needle)).split('\n').length;

let repos: ScratchRepo[] = [];
afterEach(() => {
  for (const repo of repos) repo.remove();
  repos = [];
});

function scratch(options?: { git?: boolean }): ScratchRepo {
  const repo = createScratchRepo(options);
  repos.push(repo);
  return repo;
}

/** Only the breaking-change step: the other steps have their own tests, and each costs a second or two. */
const breakingOnly = (repo: ScratchRepo, extra: DriftOptions = {}) =>
  runDrift({ root: repo.root, base: 'HEAD~1', steps: ['breaking'], ...extra });

const failing = (findings: BreakingFinding[]) => findings.filter((f) => f.failing);

describe('runDrift on a spec written for another regex dialect', () => {
  it('still compares and reports, and every step runs: the pattern is applied in the dialect that compiles it, and lint names it', async () => {
    const repo = scratch();
    repo.replace(
      smithery,
      `        - schema:
            type: string
          in: path
          name: connectionId`,
      `        - schema:
            type: string
            pattern: '^[\\w-./:]+'
          in: path
          name: connectionId`,
    );
    repo.commit('a pattern JavaScript cannot compile under the u flag');
    const result = await runDrift({ root: repo.root, base: 'HEAD~1', steps: ['generated', 'lint', 'breaking'] });
    const status = Object.fromEntries(result.steps.map((s) => [s.id, s.status]));
    expect(status).toMatchObject({ generated: 'passed', lint: 'failed', breaking: 'failed' });
    const lint = result.steps.find((s) => s.id === 'lint');
    expect(JSON.stringify(lint?.checks)).toContain('pattern-not-ecmascript');
    expect(failing(result.breaking).map((f) => f.rule)).toContain('request-pattern-added');
  });
});

describe('runDrift in a scratch commit', () => {
  it('fails when a documented status code is removed, naming rule, location and the old line', async () => {
    const repo = scratch();
    const before = repo.read(smithery);
    repo.replace(smithery, status404, '');
    repo.commit('drop 404');
    const result = await breakingOnly(repo);
    expect(result.ok).toBe(false);
    const [vsBase, vsUpstream] = ['base', 'upstream'].map((kind) =>
      failing(result.breaking).find((f) => f.comparison === kind),
    );
    expect(vsBase).toMatchObject({
      rule: 'response-status-removed',
      severity: 'error',
      file: smithery,
      pointer: `${operation}/responses/404`,
      side: 'old',
      line: lineOf(before, "        '404':"),
      column: 9,
    });
    expect(vsBase?.lineFile).toMatch(/^specs\/smithery\.yaml@[0-9a-f]{12}$/);
    // The published contract is broken too.
    expect(vsUpstream).toMatchObject({ rule: 'response-status-removed', lineFile: 'specs/upstream/smithery.yaml' });
    const check = result.steps.find((s) => s.id === 'breaking')?.checks.find((c) => c.status === 'failed');
    expect(check?.message).toBe('documented status 404 was removed');
    expect(check?.fix).toBe('document the status code again (clients handle it, and the deployment may still send it)');
    expect(check?.accept).toBe(
      `add to specs/drift-ignore.yaml: { rule: response-status-removed, file: specs/smithery.yaml, pointer: '${operation}/responses/404', reason: <why>, expires: <YYYY-MM-DD> }`,
    );
  });

  it('fails when a required request parameter is added, with the line in the new spec', async () => {
    const repo = scratch();
    repo.replace(smithery, lastParameter, requiredParameter);
    repo.commit('require force');
    const result = await breakingOnly(repo);
    expect(result.ok).toBe(false);
    const finding = failing(result.breaking).find((f) => f.comparison === 'base');
    expect(finding).toMatchObject({
      rule: 'request-parameter-added-required',
      file: smithery,
      pointer: `${operation}/parameters/2`,
      side: 'new',
      lineFile: smithery,
      line: lineOf(repo.read(smithery), '- name: force'),
    });
    expect(finding?.message).toBe("new required query parameter 'force'");
  });

  it("fails when a response property's type changes", async () => {
    const repo = scratch();
    repo.replace(smithery, messageType, messageType.replace('type: string', 'type: integer'));
    repo.commit('message is a number now');
    const result = await breakingOnly(repo);
    expect(result.ok).toBe(false);
    const finding = failing(result.breaking).find((f) => f.comparison === 'base');
    expect(finding).toMatchObject({
      rule: 'response-type-changed',
      pointer: '/components/schemas/Error/properties/message/type',
      line: lineOf(repo.read(smithery), 'type: integer'),
      message: "'body.message' was string, is now integer",
    });
    // Error is shared by 400, 401 and 404: one finding, every response that reaches it.
    expect(finding?.contexts).toHaveLength(3);
  });

  it('passes when an optional response property is added', async () => {
    const repo = scratch();
    repo.replace(smithery, messageType, `${messageType}\n        details:\n          type: string`);
    repo.commit('optional details');
    const result = await breakingOnly(repo);
    expect(failing(result.breaking)).toEqual([]);
    expect(result.ok).toBe(true);
  });
});

describe('the ignore file', () => {
  const entry = (expires: string) => `entries:
  - rule: response-status-removed
    file: specs/smithery.yaml
    pointer: '${operation}/responses/404'
    reason: 404 became 410; clients were told in the changelog
    expires: ${expires}
`;

  it('lets exactly the named change through until its expiry, then fails the gate', async () => {
    const repo = scratch();
    repo.replace(smithery, status404, '');
    repo.write('specs/drift-ignore.yaml', entry('2030-01-31'));
    repo.commit('drop 404, on purpose');

    const onTheDay = await breakingOnly(repo, { now: new Date('2030-01-31T23:00:00Z') });
    expect(onTheDay.ok).toBe(true);
    const ignored = onTheDay.breaking.filter((f) => f.ignored);
    expect(ignored.map((f) => f.comparison).sort()).toEqual(['base', 'upstream']);
    expect(ignored[0]?.ignored).toEqual({
      reason: '404 became 410; clients were told in the changelog',
      expires: '2030-01-31',
    });

    const dayAfter = await breakingOnly(repo, { now: new Date('2030-02-01T00:00:00Z') });
    expect(dayAfter.ok).toBe(false);
    const checks = dayAfter.steps.find((s) => s.id === 'breaking')?.checks ?? [];
    const expired = checks.find((c) => c.name.startsWith('ignore entry'));
    expect(expired).toMatchObject({ status: 'failed', file: 'specs/drift-ignore.yaml' });
    expect(expired?.message).toContain('expired on 2030-01-31');
  });

  it('does not let any other change through', async () => {
    const repo = scratch();
    repo.replace(smithery, status404, '');
    repo.replace(smithery, messageType, messageType.replace('type: string', 'type: integer'));
    repo.write('specs/drift-ignore.yaml', entry('2099-12-31'));
    repo.commit('two changes, one accepted');
    const result = await breakingOnly(repo);
    expect(result.ok).toBe(false);
    expect([...new Set(failing(result.breaking).map((f) => f.rule))]).toEqual(['response-type-changed']);
  });

  it('stops drift with MCPC_CONFIG when an entry is malformed', async () => {
    const repo = scratch();
    repo.write('specs/drift-ignore.yaml', entry('next week'));
    await expect(breakingOnly(repo)).rejects.toMatchObject({ code: 'MCPC_CONFIG' });
  });
});

describe('the other steps', () => {
  it('fails on a stale generated file and names the fix', async () => {
    const repo = scratch({ git: false });
    repo.replace(smithery, messageType, messageType.replace('type: string', 'type: integer'));
    const result = await runDrift({ root: repo.root, steps: ['generated'] });
    expect(result.ok).toBe(false);
    const step = result.steps.find((s) => s.id === 'generated');
    expect(step?.status).toBe('failed');
    const stale = step?.checks.find((c) => c.status === 'failed');
    expect(stale).toMatchObject({ name: 'generated/smithery.ts', file: 'generated/smithery.ts' });
    expect(stale?.diff).toContain('+            message: number;');
    expect(stale?.fix).toBe('run `npx mcp-contracts generate` and commit the result');
    expect(step?.summary).toContain('npx mcp-contracts generate');
  });

  it('lints a copy against its own baseline', async () => {
    const repo = scratch({ git: false });
    const result = await runDrift({ root: repo.root, steps: ['lint'] });
    expect(result.steps.find((s) => s.id === 'lint')?.summary).toBe('3 spec(s): 0 new problem(s), 14 baselined');
    expect(result.ok).toBe(true);
  });

  it('reports conformance as not run without a runner, and never as passed', async () => {
    const result = await runDrift({ steps: ['conformance'] });
    const step = result.steps.find((s) => s.id === 'conformance');
    expect(step?.status).toBe('not-run');
    expect(step?.checks.map((c) => c.status)).toEqual(['skipped']);
    expect(result.steps.filter((s) => s.status === 'passed')).toEqual([]);
  });

  it('fails when the injected conformance runner finds a handler that no longer conforms', async () => {
    const result = await runDrift({
      steps: ['conformance'],
      conformance: async () => ({
        ok: false,
        summary: '1 of 40 checks failed',
        failures: [{ operation: 'DELETE /mcp', check: 'status-code-conformance', message: 'answered 418' }],
      }),
    });
    expect(result.ok).toBe(false);
    const step = result.steps.find((s) => s.id === 'conformance');
    expect(step).toMatchObject({ status: 'failed', summary: '1 of 40 checks failed' });
    expect(step?.checks[0]).toMatchObject({
      status: 'failed',
      name: 'DELETE /mcp status-code-conformance',
      message: 'DELETE /mcp: answered 418',
    });
    expect(step?.checks[0]?.fix).toContain('npx mcp-contracts conformance');
  });

  it('passes the conformance step when the runner does', async () => {
    const result = await runDrift({
      steps: ['conformance'],
      conformance: async () => ({ ok: true, summary: '40 checks passed', failures: [] }),
    });
    expect(result.steps.find((s) => s.id === 'conformance')).toMatchObject({ status: 'passed' });
    expect(result.ok).toBe(true);
  });
});

describe('choosing the git base', () => {
  it('skips the git comparison with a visible note in a repository with a single commit', async () => {
    const repo = scratch();
    const resolution = await resolveBase(repo.root);
    expect(resolution).toMatchObject({ available: false });
    const result = await runDrift({ root: repo.root, steps: ['breaking'] });
    expect(result.ok).toBe(true);
    expect(result.base).toBeUndefined();
    const notes = result.steps.find((s) => s.id === 'breaking')?.notes ?? [];
    expect(notes[0]?.level).toBe('warning');
    expect(notes[0]?.text).toMatch(/^git comparison skipped: HEAD is the only commit/);
  });

  it('skips with a fetch-depth hint in a shallow clone, and refuses an explicit base it does not have', async () => {
    const repo = scratch();
    repo.replace(smithery, messageType, `${messageType}\n        details:\n          type: string`);
    repo.commit('second');
    const clone = mkdtempSync(join(tmpdir(), 'mcpc-drift-shallow-'));
    try {
      execFileSync('git', ['clone', '-q', '--depth', '1', `file://${repo.root}`, clone], { stdio: 'ignore' });
      const resolution = await resolveBase(clone);
      expect(resolution.available).toBe(false);
      expect(resolution.available ? '' : resolution.reason).toContain('fetch-depth: 0');
      const error = await resolveBase(clone, 'HEAD~1').catch((e: unknown) => e);
      expect(error).toBeInstanceOf(ToolError);
      expect(error).toMatchObject({ code: 'MCPC_GIT' });
      expect((error as ToolError).hint).toContain('fetch-depth: 0');
    } finally {
      rmSync(clone, { recursive: true, force: true });
    }
  });

  it('uses the merge base with the default branch on a feature branch', async () => {
    const repo = scratch();
    const mainTip = repo.git('rev-parse', 'HEAD').trim();
    repo.git('checkout', '-q', '-b', 'feature');
    repo.replace(smithery, status404, '');
    repo.commit('feature work 1');
    repo.replace(smithery, messageType, `${messageType}\n        details:\n          type: string`);
    repo.commit('feature work 2');
    const resolution = await resolveBase(repo.root);
    expect(resolution).toEqual({
      available: true,
      base: { ref: mainTip.slice(0, 12), commit: mainTip, how: 'merge base of HEAD and main' },
    });
    // Both feature commits are compared: the 404 removal of the first one is still caught.
    const result = await runDrift({ root: repo.root, steps: ['breaking'] });
    expect(failing(result.breaking).some((f) => f.comparison === 'base')).toBe(true);
  });

  it('skips outside git, and refuses an explicit base there', async () => {
    const repo = scratch({ git: false });
    expect(await resolveBase(repo.root)).toMatchObject({ available: false });
    await expect(resolveBase(repo.root, 'HEAD~1')).rejects.toMatchObject({ code: 'MCPC_GIT' });
  });

  it('refuses a base that does not exist', async () => {
    const repo = scratch();
    await expect(resolveBase(repo.root, 'no-such-branch')).rejects.toMatchObject({ code: 'MCPC_GIT' });
  });

  it('treats a spec that did not exist at the base as new', async () => {
    const repo = scratch();
    repo.git('rm', '-q', 'specs/langsmith.yaml');
    repo.commit('no langsmith yet');
    repo.git('checkout', '-q', 'HEAD~1', '--', 'specs/langsmith.yaml');
    repo.commit('langsmith back');
    const result = await breakingOnly(repo);
    expect(result.ok).toBe(true);
    const notes = result.steps.find((s) => s.id === 'breaking')?.notes.map((n) => n.text) ?? [];
    expect(notes).toContain('specs/langsmith.yaml did not exist at HEAD~1: a new spec, nothing to compare with');
  });
});
