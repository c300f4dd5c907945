import { describe, expect, it } from 'vitest';
import type { BreakingFinding, DriftResult } from '../types.js';
import { groupByOperation, renderChangelog } from './changelog.js';
import { renderHtmlChangelog } from './html.js';

/** Findings written by hand: the changelog renders, it computes nothing. */
function finding(over: Partial<BreakingFinding>): BreakingFinding {
  return {
    rule: 'response-property-added',
    severity: 'info',
    comparison: 'diff',
    against: 'old.yaml',
    file: 'new.yaml',
    pointer: '/components/schemas/Thing/properties/x',
    side: 'new',
    lineFile: 'new.yaml',
    line: 12,
    column: 3,
    workingLine: 12,
    message: "new property 'body.x'",
    fix: 'nothing to fix',
    contexts: ['GET /things › response 200 application/json'],
    ignored: undefined,
    failing: false,
    ...over,
  };
}

const findings = [
  finding({}),
  finding({
    rule: 'request-max-length-decreased',
    severity: 'error',
    failing: true,
    message: "'name' maxLength was none, is now ≤ 3 <script>alert(1)</script> | *x*",
    fix: 'restore the previous maxLength',
    contexts: ['POST /things › request body application/json', 'PUT /things/{id} › request body application/json'],
  }),
  finding({
    rule: 'path-removed',
    severity: 'error',
    failing: true,
    side: 'old',
    contexts: ['/health'],
    message: 'path /health was removed',
  }),
];

function result(list: BreakingFinding[]): DriftResult {
  return {
    command: 'diff',
    compared: 'new.yaml against old.yaml',
    ok: !list.some((f) => f.failing),
    root: '/tmp',
    base: undefined,
    failOn: 'error',
    steps: [],
    breaking: list,
    durationMs: 1,
  };
}

describe('the changelog', () => {
  it('lists a change under every operation it reaches, breaking changes first, operations by path', () => {
    const groups = groupByOperation(findings);
    expect(groups.map((g) => g.operation)).toEqual(['/health', 'GET /things', 'POST /things', 'PUT /things/{id}']);
    expect(groups.find((g) => g.operation === 'POST /things')?.entries[0]?.where).toBe('request body application/json');
  });

  it('renders Markdown release notes that escape what the spec wrote', () => {
    const md = renderChangelog(result(findings));
    expect(md).toMatch(
      /^# API changes: new\.yaml against old\.yaml\n\n2 breaking, 0 that may break, 1 other change\(s\), in 4 operation\(s\)\./,
    );
    expect(md).toContain('## `POST /things`\n\n- **Breaking** — request body application/json:');
    expect(md).toContain('\\<script\\>');
    expect(md).not.toContain('<script>');
    expect(renderChangelog(result([]))).toContain('No changes.');
  });

  it('renders an HTML page with the verdict, every change escaped, and no script', () => {
    const html = renderHtmlChangelog(result(findings));
    expect(html).toContain('<p class="verdict failed">failed: 2 change(s) fail at --fail-on error</p>');
    expect(html).toContain('&lt;script&gt;alert(1)&lt;/script&gt;');
    expect(html).not.toMatch(/<script/);
    expect(html).toContain('new.yaml:12 (old version)');
    expect(renderHtmlChangelog(result([]))).toContain('<p class="verdict passed">');
  });
});
