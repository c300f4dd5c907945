import { describe, expect, it } from 'vitest';
import { ToolError } from '../../core/errors.js';
import { type ConformanceResult, decideVerdict, type Finding, type ReportedExchange } from '../types.js';
import { renderHtml } from './html.js';
import { parseReportArgument, renderReport } from './index.js';
import { renderJson } from './json.js';
import { escapeXml, renderJunit } from './junit.js';
import { type Paint, renderTerminal } from './terminal.js';

/**
 * Reporters render a result; they compute nothing. One small hand-built result (two specs, a failure, a
 * warning, an errored case, every coverage state, and hostile text in every free-text field) goes through
 * each of them.
 */

const smitheryDelete = 'DELETE /connect/{namespace}/{connectionId}';
const smitheryPatch = 'PATCH /connect/{namespace}/{connectionId}';
const langsmithDelete = 'DELETE /mcp-servers/{mcp_server_id}';
const hostile = '<script>alert("x")</script> & \'quotes\'';

function finding(over: Partial<Finding>): Finding {
  return {
    check: 'ignored-auth',
    severity: 'failure',
    specName: 'smithery',
    operation: smitheryDelete,
    caseId: 'smithery:del:no-auth:0',
    caseTitle: 'no credentials',
    expected: '401 or 403 for a request without credentials',
    actual: '200, no body: the credentials were not enforced',
    details: [],
    hint: undefined,
    curl: "curl -sS -i -X DELETE http://127.0.0.1:4010/connect/ns/x -H 'accept: application/json'",
    ...over,
  };
}

/** What a hostile target sent back: a screen clear with a fake verdict, an OSC 52 clipboard write, a NUL. */
const hostileBytes = '\u001b[2J\u001b[HALL PASSED\u001b]52;c;ZXZpbA==\u0007\u0000';

function exchange(over: Partial<ReportedExchange> = {}): ReportedExchange {
  return {
    caseId: 'smithery:del:no-auth:0',
    specName: 'smithery',
    operation: smitheryDelete,
    step: undefined,
    startedAt: '2026-01-02T03:04:05.000Z',
    request: {
      method: 'DELETE',
      url: 'http://127.0.0.1:4010/connect/ns/x',
      headers: { accept: 'application/json' },
      body: undefined,
    },
    response: {
      status: 200,
      headers: { 'content-type': 'text/plain' },
      body: `ok ${hostileBytes}`,
      bodyBytes: 40,
      truncated: false,
      elapsedMs: 12,
    },
    error: undefined,
    ...over,
  };
}

const base: Omit<ConformanceResult, 'verdict'> = {
  exchanges: [
    exchange(),
    exchange({
      caseId: 'l:wrong',
      specName: 'langsmith',
      operation: langsmithDelete,
      response: {
        status: 418,
        headers: { 'content-type': 'application/octet-stream' },
        body: '\u001f\ufffd\b\u0000\u0000\u0000\u0000\u0000\u0000\u0003\ufffd\ufffd\ufffd\u0001\u0002',
        bodyBytes: 1_000_000,
        truncated: true,
        elapsedMs: 30,
      },
    }),
  ],
  status: 'completed',
  targets: [
    { specName: 'smithery', file: 'specs/smithery.yaml', baseUrl: 'http://127.0.0.1:4010' },
    { specName: 'langsmith', file: 'specs/langsmith.yaml', baseUrl: 'http://127.0.0.1:4010/v1/deepagents' },
  ],
  cases: [
    {
      id: 's:valid',
      specName: 'smithery',
      operation: smitheryDelete,
      kind: 'valid',
      title: 'valid request',
      outcome: 'passed',
      statuses: [404],
      reason: undefined,
      preferredStatus: undefined,
    },
    {
      id: 's:no-auth',
      specName: 'smithery',
      operation: smitheryDelete,
      kind: 'no-auth',
      title: 'no credentials',
      outcome: 'failed',
      statuses: [200],
      reason: undefined,
      preferredStatus: undefined,
    },
    {
      id: 's:patch',
      specName: 'smithery',
      operation: smitheryPatch,
      kind: 'unsupported-method',
      title: 'PATCH',
      outcome: 'passed',
      statuses: [405],
      reason: undefined,
      preferredStatus: undefined,
    },
    {
      id: 'l:valid',
      specName: 'langsmith',
      operation: langsmithDelete,
      kind: 'valid',
      title: 'valid request',
      outcome: 'errored',
      statuses: [],
      reason: 'ECONNRESET: socket hang up',
      preferredStatus: undefined,
    },
    {
      id: 'l:wrong',
      specName: 'langsmith',
      operation: langsmithDelete,
      kind: 'wrong-auth',
      title: 'wrong credentials',
      outcome: 'failed',
      statuses: [418],
      reason: undefined,
      preferredStatus: undefined,
    },
  ],
  findings: [
    finding({
      actual: `200, no body: ${hostile}`,
      details: [`/: <b>${hostile}</b>`],
      hint: `hint ${hostile}`,
      curl: `curl --data-raw '${hostile}'`,
      exchange: 0,
    }),
    finding({
      severity: 'warning',
      caseId: 's:wrong',
      caseTitle: 'wrong credentials',
      actual: '404: the request was rejected, but not for its credentials',
    }),
    finding({
      check: 'status-code-conformance',
      specName: 'langsmith',
      operation: langsmithDelete,
      caseId: 'l:wrong',
      caseTitle: 'wrong credentials',
      expected: 'one of the documented statuses 204, 400',
      actual: '418\u0001 with a control character',
      exchange: 1,
    }),
  ],
  coverage: [
    { specName: 'smithery', operation: smitheryDelete, status: '200', state: 'passed', how: 'natural' },
    { specName: 'smithery', operation: smitheryDelete, status: '401', state: 'passed', how: 'Prefer' },
    { specName: 'smithery', operation: smitheryDelete, status: '404', state: 'failed', how: 'natural' },
    {
      specName: 'smithery',
      operation: smitheryDelete,
      status: '400',
      state: 'not-provoked',
      how: `no planned case provoked it ${hostile}`,
    },
    {
      specName: 'langsmith',
      operation: langsmithDelete,
      status: '204',
      state: 'not-provoked',
      how: 'needs an existing resource',
    },
  ],
  notes: [
    { specName: 'smithery', rule: 'undocumented-401', message: `secured, no 401 ${hostile}`, treatment: 'added 401' },
  ],
  remarks: [`--param x matched no parameter ${hostile}`],
  policy: 'lenient',
  checks: ['status-code-conformance', 'ignored-auth', 'use-after-delete'],
  applied: [
    { specName: 'smithery', operation: smitheryDelete, check: 'status-code-conformance', exchanges: 3 },
    { specName: 'smithery', operation: smitheryDelete, check: 'ignored-auth', exchanges: 2 },
    { specName: 'langsmith', operation: langsmithDelete, check: 'status-code-conformance', exchanges: 1 },
  ],
  summary: {
    cases: 5,
    passed: 2,
    failed: 2,
    errored: 1,
    skipped: 0,
    requests: 6,
    failures: 2,
    warnings: 1,
    coveragePercent: 40,
    durationMs: 1234,
  },
};
const result: ConformanceResult = { ...base, verdict: decideVerdict(base) };

// ---------------------------------------------------------------------------------------------------------
// A deliberately strict little XML reader: enough to prove well-formedness and to walk the JUnit tree.

interface XmlElement {
  name: string;
  attrs: Record<string, string>;
  children: XmlElement[];
  text: string;
}

const xmlName = '[A-Za-z_][\\w.:-]*';
const entity = /&(amp|lt|gt|quot|apos|#\d+|#x[0-9a-fA-F]+);/g;

function decode(raw: string, where: string): string {
  if (/&(?!(amp|lt|gt|quot|apos|#\d+|#x[0-9a-fA-F]+);)/.test(raw)) throw new Error(`bare & in ${where}: ${raw}`);
  if (raw.includes('<')) throw new Error(`raw < in ${where}`);
  const named: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'" };
  return raw.replace(entity, (_m, e: string) =>
    e.startsWith('#x')
      ? String.fromCodePoint(parseInt(e.slice(2), 16))
      : e.startsWith('#')
        ? String.fromCodePoint(Number(e.slice(1)))
        : named[e]!,
  );
}

function parseXml(xml: string): XmlElement {
  // biome-ignore lint/suspicious/noControlCharactersInRegex: XML 1.0 forbids these characters; finding them is the point.
  const forbidden = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\ufffe\uffff]/.exec(xml);
  if (forbidden) throw new Error(`character U+${forbidden[0].charCodeAt(0).toString(16)} is not allowed in XML`);
  const decl = /^<\?xml [^?]*\?>/.exec(xml);
  if (!decl) throw new Error('no XML declaration');
  const document: XmlElement = { name: '#document', attrs: {}, children: [], text: '' };
  const stack = [document];
  let i = decl[0].length;
  while (i < xml.length) {
    const rest = xml.slice(i);
    const top = stack[stack.length - 1]!;
    if (rest.startsWith('</')) {
      const m = new RegExp(`^</(${xmlName})\\s*>`).exec(rest);
      if (!m || m[1] !== top.name) throw new Error(`mismatched close tag at ${i}: ${rest.slice(0, 40)}`);
      stack.pop();
      i += m[0].length;
    } else if (rest.startsWith('<')) {
      const m = new RegExp(`^<(${xmlName})((?:\\s+${xmlName}="[^"<]*")*)\\s*(/?)>`).exec(rest);
      if (!m) throw new Error(`malformed tag at ${i}: ${rest.slice(0, 60)}`);
      const attrs: Record<string, string> = {};
      for (const a of m[2]!.matchAll(new RegExp(`(${xmlName})="([^"<]*)"`, 'g'))) {
        if (a[1]! in attrs) throw new Error(`duplicate attribute ${a[1]}`);
        attrs[a[1]!] = decode(a[2]!, `attribute ${a[1]}`);
      }
      if (top === document && document.children.length > 0) throw new Error('more than one root element');
      const element: XmlElement = { name: m[1]!, attrs, children: [], text: '' };
      top.children.push(element);
      if (!m[3]) stack.push(element);
      i += m[0].length;
    } else {
      const end = xml.indexOf('<', i) === -1 ? xml.length : xml.indexOf('<', i);
      const raw = xml.slice(i, end);
      if (top === document && raw.trim() !== '') throw new Error('text outside the root element');
      top.text += decode(raw, `text of <${top.name}>`);
      i = end;
    }
  }
  if (stack.length !== 1) throw new Error(`unclosed <${stack[stack.length - 1]!.name}>`);
  if (document.children.length !== 1) throw new Error('no root element');
  return document.children[0]!;
}

describe('the strict XML reader used here', () => {
  it.each([
    ['an unclosed element', '<?xml version="1.0"?>\n<a><b></a>'],
    ['a bare ampersand', '<?xml version="1.0"?>\n<a>x & y</a>'],
    ['a raw < in an attribute', '<?xml version="1.0"?>\n<a b="<"/>'],
    ['a control character', '<?xml version="1.0"?>\n<a>\u0001</a>'],
  ])('rejects %s', (_name, xml) => {
    expect(() => parseXml(xml)).toThrow();
  });
});

// ---------------------------------------------------------------------------------------------------------

describe('renderJunit', () => {
  const xml = renderJunit(result);
  const root = parseXml(xml);
  const suites = root.children;
  const suite = (name: string) => suites.find((s) => s.attrs.name === name)!;
  const testcases = (name: string) => suite(name).children.filter((c) => c.name === 'testcase');
  const testcaseOf = (id: string) =>
    suites.flatMap((s) => s.children).find((t) => t.name === 'testcase' && t.attrs.name?.endsWith(`[${id}]`))!;

  it('is well-formed XML: testsuites → one testsuite per spec, with a timestamp and the verdict', () => {
    expect(root.name).toBe('testsuites');
    expect(suites.map((s) => [s.name, s.attrs.name])).toEqual([
      ['testsuite', 'smithery'],
      ['testsuite', 'langsmith'],
    ]);
    expect(root.attrs.time).toBe('1.234');
    expect(root.attrs.name).toBe('mcp-contracts conformance: FAILED');
    expect(suite('smithery').attrs.timestamp).toBe('2026-01-02T03:04:05');
  });

  it('has one testcase per case, with the terminal counts: tests, failures, errors, skipped', () => {
    expect(testcases('smithery')).toHaveLength(3);
    expect(testcases('langsmith')).toHaveLength(2);
    expect([root.attrs.tests, root.attrs.failures, root.attrs.errors]).toEqual([
      String(result.summary.cases),
      String(result.summary.failed),
      String(result.summary.errored),
    ]);
    expect(suites.map((s) => [s.attrs.name, s.attrs.tests, s.attrs.failures, s.attrs.errors, s.attrs.skipped])).toEqual(
      [
        ['smithery', '3', '1', '0', '0'],
        ['langsmith', '2', '1', '1', '0'],
      ],
    );
  });

  it('gives each testcase the time its requests took', () => {
    expect(testcaseOf('smithery:del:no-auth:0')).toBeUndefined();
    expect(testcaseOf('l:wrong').attrs.time).toBe('0.030');
    expect(testcaseOf('s:valid').attrs.time).toBe('0.000');
  });

  it('fails a failed case listing its findings; an errored case is an <error>; a passed one is empty', () => {
    const failed = testcaseOf('l:wrong').children;
    expect(failed.map((c) => c.name)).toEqual(['failure']);
    expect(failed[0]!.attrs.type).toBe('status-code-conformance');
    expect(failed[0]!.text).toContain('expected: one of the documented statuses 204, 400');
    expect(failed[0]!.text).toContain('‹binary body: 1000000 bytes, application/octet-stream — not shown›');
    const errored = testcaseOf('l:valid').children;
    expect(errored.map((c) => c.name)).toEqual(['error']);
    expect(errored[0]!.attrs.message).toBe('ECONNRESET: socket hang up');
    expect(testcaseOf('s:valid').children).toEqual([]);
  });

  it('states the verdict, its reason and the policy as properties of every testsuite', () => {
    const property = (xmlText: string, suiteName: string, name: string) =>
      parseXml(xmlText)
        .children.find((s) => s.attrs.name === suiteName)!
        .children.find((c) => c.name === 'properties')
        ?.children.find((p) => p.attrs.name === name)?.attrs.value;
    expect(property(xml, 'smithery', 'verdict-policy')).toBe('lenient');
    expect(property(xml, 'langsmith', 'verdict')).toBe('failed');
    expect(property(renderJunit({ ...result, policy: 'strict' }), 'smithery', 'verdict-policy')).toBe('strict');
  });

  it('escapes markup instead of emitting it, and shows control characters as text', () => {
    expect(xml).not.toContain('<script>');
    expect(xml).not.toContain('\u0001');
    expect(xml).not.toContain('\u001b');
    expect(testcaseOf('l:wrong').children[0]!.text).toContain('418\\x01 with a control character');
  });

  it.each([
    ['markup', '<a href="x">&</a>', '&lt;a href=&quot;x&quot;&gt;&amp;&lt;/a&gt;'],
    ['control characters except tab, LF and CR', 'a\u0000b\u0008c\td\ne\rf\u001f', 'abc\td\ne\rf'],
  ])('escapeXml: %s', (_name, given, want) => {
    expect(escapeXml(given)).toBe(want);
  });

  // Regression (was a bug): U+FFFE/U+FFFF, which XML 1.0 (production [2] Char) forbids, in a finding excerpt made
  // the whole JUnit report unparseable for the CI that reads it.
  it('stays well-formed when a finding carries U+FFFF from a response body', () => {
    const withNonCharacter = { ...result, findings: [finding({ caseId: 's:no-auth', actual: 'body: \uffff' })] };
    expect(() => parseXml(renderJunit(withNonCharacter))).not.toThrow();
  });
});

describe('renderHtml', () => {
  const html = renderHtml(result, '0.1.0-test');

  it('is one complete document', () => {
    expect(html.startsWith('<!doctype html>\n<html')).toBe(true);
    expect(html.trimEnd().endsWith('</html>')).toBe(true);
    expect(html.match(/<html[\s>]/g)).toHaveLength(1);
    expect(html.match(/<body>/g)).toHaveLength(1);
    expect(html).toContain('<meta charset="utf-8">');
  });

  it('is self-contained: one inline script, no external scripts, stylesheets, images or fonts', () => {
    expect(html.match(/<script/gi)).toHaveLength(1);
    expect(html).toContain('<script>\n(function () {');
    expect(html).not.toMatch(/\s(src|href)\s*=/i);
    expect(html).not.toMatch(/<link\b/i);
    expect(html).not.toMatch(/url\(|@import/i);
    expect(html).toContain('<style>');
  });

  it('escapes <script> wherever the findings, notes, remarks and coverage carry it', () => {
    const escaped = '&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;';
    const occurrences = html.split(escaped).length - 1;
    // actual, details, hint, curl, the not-provoked reason, the note and the remark
    expect(occurrences).toBe(7);
  });

  it('puts the verdict and its reason first, before any finding', () => {
    expect(html).toContain('<span class="badge failed" id="verdict">FAILED</span>');
    expect(html.indexOf('id="verdict"')).toBeLessThan(html.indexOf('id="findings"'));
    expect(html).toContain(`<p id="reason">${result.verdict.reason}</p>`);
  });

  it('summarises each check: failed, warned, passed, or did not apply', () => {
    expect(html).toContain(
      '<tr class="failed"><th scope="row">status-code-conformance</th><td>✗ failed</td><td>1</td><td>0</td><td>4</td></tr>',
    );
    expect(html).toContain(
      '<tr class="failed"><th scope="row">ignored-auth</th><td>✗ failed</td><td>1</td><td>1</td><td>2</td></tr>',
    );
    expect(html).toContain('<tr class="did-not-apply"><th scope="row">use-after-delete</th><td>– did not apply</td>');
  });

  it('groups findings with the same root cause, counts them, and folds every group after the first', () => {
    const repeated = {
      ...result,
      findings: [
        ...result.findings,
        { ...result.findings[0]!, caseId: 's:other', caseTitle: 'no credentials, again' },
        { ...result.findings[0]!, caseId: 's:third', caseTitle: 'no credentials, third' },
      ],
    };
    const page = renderHtml(repeated, 'v');
    const groups = page.match(/<details class="group [^"]*"[^>]*>/g)!;
    expect(groups).toHaveLength(3);
    expect(groups[0]).toContain(' open ');
    expect(groups.slice(1).every((g) => !g.includes(' open '))).toBe(true);
    expect(page).toContain('<span class="count">×3</span>');
    expect(page).toContain('<dt>occurrences (3)</dt>');
    expect(page).toContain('no credentials, third');
  });

  it('marks each group for the filters (spec, operation, check, severity), each select labelled', () => {
    expect(html).toContain(
      `data-spec="smithery" data-operation="${smitheryDelete}" data-check="ignored-auth" data-severity="warning"`,
    );
    for (const name of ['spec', 'operation', 'check', 'severity'])
      expect(html).toMatch(new RegExp(`<label>\\w+<select name="${name}">`));
  });

  it("shows each finding's request and response, control characters visible and binary summarised", () => {
    expect(html).toContain('DELETE http://127.0.0.1:4010/connect/ns/x');
    expect(html).toContain('ok \\x1b[2J\\x1b[HALL PASSED\\x1b]52;c;ZXZpbA==\\x07\\x00');
    expect(html).toContain('‹binary body: 1000000 bytes, application/octet-stream — not shown›');
    // biome-ignore lint/suspicious/noControlCharactersInRegex: no control character may reach the page.
    expect(html).not.toMatch(/[\u0000-\u0008\u000b\u000c\u000e-\u001f]/);
  });

  it('reads the coverage without colour: symbols, words, a legend, and the reason for each status not provoked', () => {
    expect(html).toContain('<span aria-hidden="true">✓</span> 200 <span class="word">passed</span>');
    expect(html).toContain('<span aria-hidden="true">P</span> 401 <span class="word">passed via Prefer</span>');
    expect(html).toContain('<span aria-hidden="true">✗</span> 404 <span class="word">failed</span>');
    expect(html).toContain('<li>204 not provoked: needs an existing resource</li>');
    expect(html).toContain('<p id="legend">');
    expect(html).toContain('mcp-contracts 0.1.0-test');
  });

  it('states the verdict policy applied', () => {
    expect(html).toMatch(/<p id="policy">Verdict policy: lenient — [^<]*--strict makes them failures/);
    expect(renderHtml({ ...result, policy: 'strict' }, 'v')).toMatch(/<p id="policy">Verdict policy: strict — /);
  });

  it('says PASSED, with no filters and no findings, when the verdict is passed', () => {
    const cleanBase = {
      ...base,
      cases: base.cases.filter((c) => c.outcome === 'passed'),
      findings: [],
      summary: { ...base.summary, failures: 0, warnings: 0, failed: 0, errored: 0 },
    };
    const clean = renderHtml({ ...cleanBase, verdict: decideVerdict(cleanBase) }, 'v');
    expect(clean).toContain('<span class="badge passed" id="verdict">PASSED</span>');
    expect(clean).toContain('<div id="findings"><p>None.</p></div>');
    expect(clean).not.toContain('<script');
  });
});

describe('renderTerminal', () => {
  const plain: Paint = { red: (s) => s, green: (s) => s, yellow: (s) => s, dim: (s) => s, bold: (s) => s };
  const lines = renderTerminal(result, plain);

  /** The lines from an operation's heading to the next blank line. */
  function block(op: string, spec: string, from = lines): string[] {
    const start = from.findIndex((l) => l.startsWith(`${op} (${spec})`));
    expect(start, `heading of ${op}`).toBeGreaterThanOrEqual(0);
    const end = from.indexOf('', start);
    return from.slice(start, end === -1 ? undefined : end);
  }

  it('groups findings under their operation, with case counts', () => {
    const smithery = block(smitheryDelete, 'smithery');
    expect(smithery[0]).toBe(`${smitheryDelete} (smithery)  2 case(s) · 1 failure(s) · 1 warning(s)`);
    expect(smithery).toContain('  ✗ ignored-auth — no credentials');
    expect(smithery).toContain('  ! ignored-auth (warning) — wrong credentials');
    expect(smithery).toContain(`      got:      200, no body: ${hostile}`);
    expect(smithery).toContain(`      hint: hint ${hostile}`);
    expect(smithery.some((l) => l.includes('status-code-conformance'))).toBe(false);

    const langsmith = block(langsmithDelete, 'langsmith');
    expect(langsmith).toContain('  ✗ status-code-conformance — wrong credentials');
    expect(langsmith).toContain('  ! errored — valid request: ECONNRESET: socket hang up');

    expect(block(smitheryPatch, 'smithery')).toEqual([`${smitheryPatch} (smithery)  1 case(s) · no failures`]);
  });

  it('prints a repeated finding once, with its count and the other cases it occurred in', () => {
    const extra = Array.from({ length: 8 }, (_, i) => ({
      ...result.findings[0]!,
      caseId: `s:again:${i}`,
      caseTitle: `no credentials #${i}`,
    }));
    const out = renderTerminal({ ...result, findings: [...result.findings, ...extra] }, plain);
    const smithery = block(smitheryDelete, 'smithery', out);
    expect(smithery[0]).toContain('9 failure(s)');
    expect(smithery).toContain('  ✗ ignored-auth ×9 — no credentials');
    expect(smithery.filter((l) => l.startsWith('      expected:'))).toHaveLength(2);
    expect(smithery).toContain('        - no credentials #0');
    expect(smithery).toContain('        … and 3 more (every one in the JSON/HTML report)');
  });

  it('shows the coverage marks per operation, and why each status was not provoked', () => {
    const row = lines.find((l) => l.startsWith(`  smithery ${smitheryDelete}`))!;
    expect(row).toMatch(/200 ✓ 401 P 404 ✗ 400 –$/);
    expect(lines.find((l) => l.startsWith(`  langsmith ${langsmithDelete}`))).toMatch(/204 –$/);
    expect(lines).toContain(`    smithery ${smitheryDelete} 400: no planned case provoked it ${hostile}`);
    expect(lines).toContain('    langsmith DELETE /mcp-servers/{mcp_server_id} 204: needs an existing resource');
  });

  it('writes statuses not provoked for the same reason on one line, and different reasons apart', () => {
    const row = { specName: 'langsmith', operation: langsmithDelete, state: 'not-provoked' as const };
    const out = renderTerminal(
      {
        ...result,
        coverage: [
          { ...row, status: '500', how: 'the target does not honour Prefer' },
          { ...row, status: '502', how: 'the target does not honour Prefer' },
          { ...row, status: '404', how: 'asked with Prefer: code=404, got 204' },
        ],
      },
      plain,
    );
    expect(out).toContain(`    langsmith ${langsmithDelete} 500, 502: the target does not honour Prefer`);
    expect(out).toContain(`    langsmith ${langsmithDelete} 404: asked with Prefer: code=404, got 204`);
  });

  it('fits the coverage matrix to the terminal width, and does not wrap when there is no terminal', () => {
    const narrow = renderTerminal(result, plain, { width: 40 });
    const start = narrow.indexOf('  ✓ passed · P passed via Prefer · ✗ failed · – not provoked');
    const matrix = narrow.slice(start + 1, narrow.indexOf('  not provoked:'));
    expect(matrix.length).toBeGreaterThan(2);
    for (const l of matrix) expect([...l].length, l).toBeLessThanOrEqual(40);
    expect(matrix.join('\n')).toMatch(/…/);
    const unwrapped = lines.slice(lines.indexOf('  ✓ passed · P passed via Prefer · ✗ failed · – not provoked') + 1);
    expect(unwrapped[0]).toMatch(
      /^ {2}smithery DELETE \/connect\/\{namespace\}\/\{connectionId\} +200 ✓ 401 P 404 ✗ 400 –$/,
    );
  });

  it('ends with the summary and the verdict, painted by the verdict', () => {
    const marked: Paint = { ...plain, red: (s) => `RED(${s})`, green: (s) => `GREEN(${s})` };
    const summary =
      '5 cases (2 passed, 2 failed, 1 errored, 0 skipped) · 6 requests · 2 failure(s), 1 warning(s) · coverage 40% (2/5) · 1.2 s';
    const out = renderTerminal(result, marked);
    expect(out.at(-2)).toBe(`RED(${summary})`);
    expect(out.at(-1)).toBe('RED(FAILED: 2 failure(s) in 2 case(s))');
    const cleanBase = { ...base, findings: [], summary: { ...base.summary, failures: 0, errored: 0 } };
    expect(renderTerminal({ ...cleanBase, verdict: decideVerdict(cleanBase) }, marked).at(-1)).toMatch(
      /^GREEN\(PASSED: /,
    );
  });

  it('states the verdict policy applied, under the targets', () => {
    expect(lines[3]).toMatch(/^ {2}verdict policy: lenient — .*warnings \(--strict makes them failures\)$/);
    expect(renderTerminal({ ...result, policy: 'strict' }, plain)[3]).toMatch(
      /^ {2}verdict policy: strict — .*failures$/,
    );
  });

  it('lists spec notes and remarks', () => {
    expect(lines).toContain(`  smithery undocumented-401: secured, no 401 ${hostile}`);
    expect(lines).toContain(`  - --param x matched no parameter ${hostile}`);
  });

  it('shows control characters a target sent as text, never raw', () => {
    const text = lines.join('\n');
    expect(text).toContain('418\\x01 with a control character');
    // biome-ignore lint/suspicious/noControlCharactersInRegex: no control character may reach the terminal.
    expect(text).not.toMatch(/[\u0000-\u0008\u000b-\u001f\u007f-\u009f]/);
  });

  it('says once which environment variables the reproduce lines read, and nothing when they read none', () => {
    const ref = (name: string) => ['$', `{${name}}`].join('');
    const withEnv = {
      ...result,
      findings: [
        finding({ curl: `curl -H "x-api-key: ${ref('MCP_CONTRACTS_AUTH_APIKEYAUTH')}" http://x` }),
        finding({
          curl: `curl -u "${ref('MCP_CONTRACTS_AUTH_BASIC')}" -H "x-api-key: ${ref('MCP_CONTRACTS_AUTH_APIKEYAUTH')}" http://y`,
        }),
      ],
    };
    const out = renderTerminal(withEnv, plain);
    const at = out.indexOf('To run the reproduce lines, export the credentials they read first:');
    expect(out.slice(at + 1, at + 3)).toEqual([
      "  export MCP_CONTRACTS_AUTH_APIKEYAUTH='…'",
      "  export MCP_CONTRACTS_AUTH_BASIC='…'",
    ]);
    expect(lines.some((l) => l.includes('export MCP_CONTRACTS_AUTH'))).toBe(false);
  });
});

describe('renderJson and the report arguments', () => {
  it('renderJson is the result plus the tool name and version, as parseable JSON', () => {
    const parsed = JSON.parse(renderJson(result, '0.1.0-test')) as Record<string, unknown>;
    expect(parsed.tool).toEqual({ name: 'mcp-contracts', version: '0.1.0-test' });
    expect([parsed.format, parsed.formatVersion]).toEqual(['mcp-contracts-report', 1]);
    expect(parsed.verdict).toEqual(result.verdict);
    expect(parsed.exchanges).toEqual(result.exchanges);
    expect(parsed.findings).toEqual(result.findings);
    expect(parsed.summary).toEqual(result.summary);
    expect(parsed.policy).toBe('lenient');
  });

  it.each([
    ['json', 'json=out/report.json', { format: 'json', file: 'out/report.json' }],
    ['junit', 'junit=junit.xml', { format: 'junit', file: 'junit.xml' }],
    ['a file name with =', 'html=a=b.html', { format: 'html', file: 'a=b.html' }],
  ])('parseReportArgument: %s', (_name, raw, want) => {
    expect(parseReportArgument(raw)).toEqual(want);
  });

  it.each([['out.json'], ['xml=out.xml'], ['json='], ['=out.json']])(
    'parseReportArgument: %s is a usage error',
    (raw) => {
      expect(() => parseReportArgument(raw)).toThrow(ToolError);
    },
  );

  it('renderReport picks the renderer by format', () => {
    expect(renderReport('junit', result, 'v')).toBe(renderJunit(result));
    expect(renderReport('html', result, 'v')).toBe(renderHtml(result, 'v'));
    expect(renderReport('json', result, 'v')).toBe(renderJson(result, 'v'));
  });
});

describe('an interrupted run', () => {
  const plain: Paint = { red: (s) => s, green: (s) => s, yellow: (s) => s, dim: (s) => s, bold: (s) => s };
  const interrupted: ConformanceResult = {
    ...result,
    status: 'interrupted',
    verdict: decideVerdict({ ...base, status: 'interrupted' }),
  };
  it.each([
    ['terminal', () => renderTerminal(interrupted, plain).join('\n'), /^interrupted: \d+ cases/m],
    [
      'JUnit',
      () => renderJunit(interrupted),
      /<testsuites name="mcp-contracts conformance: INTERRUPTED \(interrupted\)"/,
    ],
    ['HTML', () => renderHtml(interrupted, '0.0.0'), /id="verdict">INTERRUPTED</],
    ['JSON', () => renderJson(interrupted, '0.0.0'), /"status": "interrupted"/],
  ])('%s says so', (_name, render, want) => {
    expect(render()).toMatch(want);
  });

  it.each([
    ['terminal', () => renderTerminal(result, plain).join('\n')],
    ['JUnit', () => renderJunit(result)],
    ['HTML', () => renderHtml(result, '0.0.0')],
  ])('%s of a completed run does not', (_name, render) => {
    expect(render()).not.toMatch(/INTERRUPTED|\(interrupted\)|interrupted:/);
  });
});
