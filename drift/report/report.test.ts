import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { BreakingFinding, DriftResult } from '../types.js';
import { renderAnnotations } from './annotations.js';
import { renderJson } from './json.js';
import { renderJunit } from './junit.js';
import { renderMarkdown } from './markdown.js';
import { type Paint, renderTerminal } from './terminal.js';
import { parseReportTargets, writeReports } from './write.js';

/** A result with one of each kind of check, written by hand: reporters render, they compute nothing. */
function result(): DriftResult {
  return {
    ok: false,
    root: '/repo',
    base: { ref: 'HEAD~1', commit: 'a'.repeat(40), how: 'the previous commit' },
    failOn: 'error',
    durationMs: 3210,
    breaking: [],
    steps: [
      {
        id: 'generated',
        title: 'generated files fresh',
        status: 'failed',
        summary: '1 of 4 generated file(s) out of date with specs/',
        notes: [],
        durationMs: 500,
        checks: [
          {
            name: 'generated/smithery.ts',
            status: 'failed',
            message: 'generated/smithery.ts is stale',
            file: 'generated/smithery.ts',
            diff: '--- a/generated/smithery.ts\n+++ b/generated/smithery.ts\n@@ -1,1 +1,1 @@\n-a: string;\n+a: number;',
            fix: 'run `npx mcp-contracts generate` and commit the result',
          },
          { name: 'generated/stackone.ts', status: 'passed', message: 'up to date' },
        ],
      },
      {
        id: 'lint',
        title: 'spec lint against the baseline',
        status: 'passed',
        summary: '3 spec(s): 0 new problem(s), 14 baselined',
        notes: [],
        durationMs: 2000,
        checks: [{ name: 'specs/smithery.yaml', status: 'passed', message: 'ok', file: 'specs/smithery.yaml' }],
      },
      {
        id: 'breaking',
        title: 'no breaking change',
        status: 'failed',
        summary: '1 breaking change(s) fail the gate',
        notes: [{ level: 'warning', text: 'git comparison skipped: shallow, fetch-depth: 0' }],
        durationMs: 400,
        checks: [
          {
            name: 'response-status-removed specs/smithery.yaml/paths/~1c/delete/responses/404 (vs HEAD~1)',
            status: 'failed',
            message: 'documented status 404 was removed, 100% <sure> & "quoted"\nsecond line',
            rule: 'response-status-removed',
            severity: 'error',
            file: 'specs/smithery.yaml',
            line: 40,
            pointer: '/paths/~1c/delete/responses/404',
            location: 'specs/smithery.yaml@aaaaaaaaaaaa:57:9 in the old version',
            details: 'against specs/smithery.yaml at HEAD~1\naffects DELETE /c',
            fix: 'restore the status code | or accept it',
          },
          {
            name: 'response-enum-widened x',
            status: 'warning',
            message: 'may now be "c"',
            rule: 'response-enum-widened',
            file: 'specs/smithery.yaml',
            line: 12,
            column: 3,
          },
          { name: 'operation-added x', status: 'info', message: 'new operation POST /mcp', rule: 'operation-added' },
        ],
      },
      {
        id: 'conformance',
        title: 'reference implementation conforms',
        status: 'not-run',
        summary: 'not run: no conformance runner is wired into drift',
        notes: [],
        durationMs: 0,
        checks: [{ name: 'reference implementation conforms', status: 'skipped', message: 'not run' }],
      },
    ],
  };
}

const plain: Paint = { red: (s) => s, green: (s) => s, yellow: (s) => s, dim: (s) => s, bold: (s) => s };

describe('junit', () => {
  const xml = renderJunit(result());
  it('has one testsuite per step and one testcase per check', () => {
    expect(xml.match(/<testsuite /g)).toHaveLength(4);
    expect(xml.match(/<testcase /g)).toHaveLength(2 + 1 + 3 + 1);
    expect(xml).toContain('<testsuites name="mcp-contracts drift" tests="7" failures="2" errors="0" skipped="1"');
  });
  it('marks failures with the rule as type, keeps warnings passing, and escapes XML', () => {
    expect(xml).toContain(
      '<failure message="documented status 404 was removed, 100% &lt;sure&gt; &amp; &quot;quoted&quot;',
    );
    expect(xml).toContain('type="response-status-removed"');
    expect(xml).toContain('<system-out>warning: may now be &quot;c&quot;');
    expect(xml).toContain('<skipped message="not run"/>');
    expect(xml).not.toMatch(/<sure>/);
  });
});

describe('markdown', () => {
  const md = renderMarkdown(result());
  it('has the step table, the problems with location and fix, and the diff folded away', () => {
    expect(md).toMatch(/^## mcp-contracts drift: ❌ failed/);
    expect(md).toContain('| generated files fresh | ❌ failed |');
    expect(md).toContain('| reference implementation conforms | ⚪ not run |');
    expect(md).toContain('<code>specs/smithery.yaml@aaaaaaaaaaaa:57:9 in the old version</code>');
    expect(md).toContain('restore the status code \\| or accept it');
    expect(md).toContain('> ⚠️ git comparison skipped');
    expect(md).toContain('<details><summary>❌ <code>generated/smithery.ts</code>');
    expect(md).toContain('```diff\n--- a/generated/smithery.ts');
    // A table row stays one line even when a message has a newline in it.
    expect(md).toContain('100% &lt;sure&gt; &amp; "quoted" second line');
  });
});

describe('markdown: accepting a breaking change', () => {
  it('shows one ignore entry per finding, even when both comparisons found it', () => {
    const finding: BreakingFinding = {
      rule: 'response-status-removed',
      severity: 'error',
      comparison: 'base',
      against: 'specs/smithery.yaml at HEAD~1',
      file: 'specs/smithery.yaml',
      pointer: '/paths/~1c/delete/responses/404',
      side: 'old',
      lineFile: 'specs/smithery.yaml@aaaaaaaaaaaa',
      line: 57,
      column: 9,
      workingLine: 40,
      message: 'documented status 404 was removed',
      fix: 'document it again',
      contexts: ['DELETE /c'],
      ignored: undefined,
      failing: true,
    };
    const md = renderMarkdown({
      ...result(),
      breaking: [finding, { ...finding, comparison: 'upstream', against: 'specs/upstream/smithery.yaml' }],
    });
    expect(md).toContain('<details><summary>Accepting a breaking change on purpose</summary>');
    expect(md.match(/- rule: response-status-removed/g)).toHaveLength(1);
    expect(md).toContain("    pointer: '/paths/~1c/delete/responses/404'");
  });
});

describe('GitHub annotations', () => {
  const lines = renderAnnotations(result());
  it('annotates failures as errors and warnings as warnings, on their file and line', () => {
    expect(lines).toContain(
      '::error file=generated/smithery.ts,title=drift generated files fresh::generated/smithery.ts is stale Fix: run `npx mcp-contracts generate` and commit the result.',
    );
    const breaking = lines.find((l) => l.startsWith('::error file=specs/smithery.yaml'));
    expect(breaking).toMatch(/^::error file=specs\/smithery.yaml,line=40,title=drift response-status-removed::/);
    // Newlines and percent signs in a message are escaped so that one annotation stays one line.
    expect(breaking).toContain('100%25 <sure> & "quoted"%0Asecond line');
    expect(lines).toContain(
      '::warning file=specs/smithery.yaml,line=12,col=3,title=drift response-enum-widened::may now be "c"',
    );
  });
  it('warns that a comparison was skipped, and notes a step that did not run', () => {
    expect(lines).toContain(
      '::warning title=drift%3A no breaking change::git comparison skipped: shallow, fetch-depth: 0',
    );
    expect(lines.some((l) => l.startsWith('::notice title=drift%3A reference implementation conforms::'))).toBe(true);
    expect(lines.some((l) => l.includes('operation-added'))).toBe(false);
  });
});

describe('terminal', () => {
  const text = renderTerminal(result(), plain).join('\n');
  it('groups by step, shows every problem with location, what changed and the fix', () => {
    expect(text).toContain('✘ FAILED  generated files fresh');
    expect(text).toContain('+a: number;');
    expect(text).toContain('error response-status-removed specs/smithery.yaml@aaaaaaaaaaaa:57:9 in the old version');
    expect(text).toContain('fix: restore the status code | or accept it');
    expect(text).toContain('note: git comparison skipped');
    expect(text).toContain('○ not run reference implementation conforms');
    expect(text).toMatch(/drift FAILED: generated files fresh, no breaking change — 2 of 4 step\(s\) failed/);
  });
});

describe('json', () => {
  it('is the result, versioned', () => {
    const parsed = JSON.parse(renderJson(result()));
    expect(parsed.format).toBe('mcp-contracts-drift/1');
    expect(parsed.steps).toHaveLength(4);
  });
});

describe('writing reports', () => {
  const dir = mkdtempSync(join(tmpdir(), 'mcpc-reports-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('rejects an unknown format or a missing file before any work', () => {
    expect(() => parseReportTargets(['sarif=x.sarif'], dir)).toThrow(
      /expected FORMAT=FILE with FORMAT one of json, junit, markdown, github, html, changelog/,
    );
    expect(() => parseReportTargets(['junit'], dir)).toThrow(/FORMAT=FILE/);
    expect(() => parseReportTargets(['junit='], dir)).toThrow(/FORMAT=FILE/);
    expect(() => parseReportTargets(['json=a.json', 'junit=a.json'], dir)).toThrow(/named twice/);
  });

  it('rejects a file in a folder that does not exist, or a folder', () => {
    expect(() => parseReportTargets(['junit=nope/drift.xml'], dir)).toThrow(
      /cannot write report nope\/drift.xml: folder .* does not exist/,
    );
    mkdirSync(join(dir, 'sub'));
    expect(() => parseReportTargets(['junit=sub'], dir)).toThrow(/is a folder/);
  });

  it('writes every report, and leaves nothing half-written when one cannot be written', () => {
    const ok = join(dir, 'ok');
    const gone = join(dir, 'gone');
    mkdirSync(ok);
    mkdirSync(gone);
    const targets = parseReportTargets(['json=ok/drift.json', 'junit=gone/drift.xml'], dir);
    rmSync(gone, { recursive: true });
    expect(() => writeReports(targets, result())).toThrow(/cannot write report gone\/drift.xml/);
    expect(readdirSync(ok)).toEqual([]);

    mkdirSync(gone);
    writeReports(targets, result());
    expect(JSON.parse(readFileSync(join(ok, 'drift.json'), 'utf8')).ok).toBe(false);
    expect(existsSync(join(gone, 'drift.xml'))).toBe(true);
    expect(readdirSync(ok)).toEqual(['drift.json']);
  });
});
