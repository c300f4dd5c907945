import { describe, expect, it } from 'vitest';
import { ToolError } from '../../core/errors.js';
import type { ConformanceResult, Finding } from '../types.js';
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

const result: ConformanceResult = {
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
  const testcase = (suite: string, name: string) => testcases(suite).find((t) => t.attrs.name === name)!;

  it('is well-formed XML: testsuites → one testsuite per spec', () => {
    expect(root.name).toBe('testsuites');
    expect(suites.map((s) => [s.name, s.attrs.name])).toEqual([
      ['testsuite', 'smithery'],
      ['testsuite', 'langsmith'],
    ]);
    expect(root.attrs.time).toBe('1.234');
  });

  it('has one testcase per operation × check', () => {
    expect(testcases('smithery').map((t) => t.attrs.name)).toEqual([
      `${smitheryDelete} :: status-code-conformance`,
      `${smitheryDelete} :: ignored-auth`,
      `${smitheryDelete} :: use-after-delete`,
      `${smitheryPatch} :: status-code-conformance`,
      `${smitheryPatch} :: ignored-auth`,
      `${smitheryPatch} :: use-after-delete`,
    ]);
    expect(testcases('langsmith')).toHaveLength(3);
    expect(root.attrs.tests).toBe('9');
    for (const t of [...testcases('smithery'), ...testcases('langsmith')]) {
      expect(t.name).toBe('testcase');
      expect(t.attrs.classname).toMatch(/^mcp-contracts\.(smithery|langsmith)$/);
    }
  });

  it('fails a check with failures, listing expected, got and the curl line; a warning alone does not fail', () => {
    const failed = testcase('smithery', `${smitheryDelete} :: ignored-auth`).children;
    expect(failed.map((c) => c.name)).toEqual(['failure']);
    expect(failed[0]!.attrs).toMatchObject({
      type: 'ignored-auth',
      message: '1 failure(s): 401 or 403 for a request without credentials',
    });
    expect(failed[0]!.text).toContain(`got: 200, no body: ${hostile}`);
    expect(failed[0]!.text).toContain(`reproduce: curl --data-raw '${hostile}'`);
    expect(failed[0]!.text).not.toContain('not for its credentials');
    expect(testcase('langsmith', `${langsmithDelete} :: status-code-conformance`).children.map((c) => c.name)).toEqual([
      'failure',
    ]);
    expect(root.attrs.failures).toBe('2');
  });

  it('passes a check that applied and held, and skips one that never applied', () => {
    expect(testcase('smithery', `${smitheryDelete} :: status-code-conformance`).children).toEqual([]);
    const skipped = testcase('smithery', `${smitheryDelete} :: use-after-delete`).children;
    expect(skipped.map((c) => c.name)).toEqual(['skipped']);
    expect(skipped[0]!.attrs.message).toContain('did not apply');
    expect(suites.map((s) => [s.attrs.name, s.attrs.tests, s.attrs.failures, s.attrs.skipped])).toEqual([
      ['smithery', '6', '1', '4'],
      ['langsmith', '3', '1', '2'],
    ]);
  });

  it('states the verdict policy applied as a property of every testsuite', () => {
    const policyOf = (xmlText: string, name: string) =>
      parseXml(xmlText)
        .children.find((s) => s.attrs.name === name)!
        .children.find((c) => c.name === 'properties')
        ?.children.find((p) => p.attrs.name === 'verdict-policy')?.attrs.value;
    expect(policyOf(xml, 'smithery')).toBe('lenient');
    expect(policyOf(xml, 'langsmith')).toBe('lenient');
    expect(policyOf(renderJunit({ ...result, policy: 'strict' }), 'smithery')).toBe('strict');
  });

  it('escapes markup instead of emitting it, and drops characters XML cannot carry', () => {
    expect(xml).not.toContain('<script>');
    expect(xml).toContain('&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &amp;');
    expect(xml).not.toContain('\u0001');
  });

  it.each([
    ['markup', '<a href="x">&</a>', '&lt;a href=&quot;x&quot;&gt;&amp;&lt;/a&gt;'],
    ['control characters except tab, LF and CR', 'a\u0000b\u0008c\td\ne\rf\u001f', 'abc\td\ne\rf'],
  ])('escapeXml: %s', (_name, given, want) => {
    expect(escapeXml(given)).toBe(want);
  });

  // Regression (was a bug): junit.ts:72 strips C0 controls but not U+FFFE/U+FFFF, which XML 1.0 (production [2] Char) forbids as
  // well; a target body containing U+FFFF (valid UTF-8: EF BF BF) ends up in a finding excerpt and makes the
  // whole JUnit report unparseable for the CI that reads it.
  it('stays well-formed when a finding carries U+FFFF from a response body', () => {
    const withNonCharacter = { ...result, findings: [finding({ actual: 'body: \uffff' })] };
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

  it('is self-contained: no scripts, no external stylesheets, images or fonts', () => {
    expect(html).not.toMatch(/<script/i);
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

  it('shows every finding under its operation, warnings marked, and the coverage matrix', () => {
    const section = (op: string) =>
      html.slice(html.indexOf(`<h3>${op}</h3>`), html.indexOf('</section>', html.indexOf(`<h3>${op}</h3>`)));
    expect(section(`smithery ${smitheryDelete}`).match(/<details /g)).toHaveLength(2);
    expect(section(`smithery ${smitheryDelete}`)).toContain(
      '<details class="warning" open><summary><b>ignored-auth</b> (warning)',
    );
    expect(section(`langsmith ${langsmithDelete}`)).toContain('<b>status-code-conformance</b>');
    expect(html).toContain('<td class="passed" title="natural">200</td>');
    expect(html).toContain('<td class="passed prefer" title="Prefer">401</td>');
    expect(html).toContain('<td class="failed" title="natural">404</td>');
    expect(html).toContain('<td class="not-provoked" title="needs an existing resource">204</td>');
    expect(html).toContain('mcp-contracts 0.1.0-test');
  });

  it('states the verdict policy applied', () => {
    expect(html).toMatch(/<p id="policy">Verdict policy: lenient — [^<]*--strict makes them failures/);
    expect(renderHtml({ ...result, policy: 'strict' }, 'v')).toMatch(/<p id="policy">Verdict policy: strict — /);
  });

  it('says passed when there are no failures', () => {
    const clean = renderHtml(
      { ...result, findings: [], summary: { ...result.summary, failures: 0, warnings: 0 } },
      'v',
    );
    expect(clean).toContain('<span class="pass">passed</span>');
    expect(clean).toContain('<p>None.</p>');
  });
});

describe('renderTerminal', () => {
  const plain: Paint = { red: (s) => s, green: (s) => s, yellow: (s) => s, dim: (s) => s, bold: (s) => s };
  const lines = renderTerminal(result, plain);

  /** The lines from an operation's heading to the next blank line. */
  function block(op: string, spec: string): string[] {
    const start = lines.findIndex((l) => l.startsWith(`${op} (${spec})`));
    expect(start, `heading of ${op}`).toBeGreaterThanOrEqual(0);
    const end = lines.indexOf('', start);
    return lines.slice(start, end === -1 ? undefined : end);
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

  it('shows the coverage marks per operation, and why each status was not provoked', () => {
    const row = lines.find((l) => l.startsWith(`  smithery ${smitheryDelete}`))!;
    expect(row).toMatch(/200 ✓ {2}401 P {2}404 ✗ {2}400 –$/);
    expect(lines.find((l) => l.startsWith(`  langsmith ${langsmithDelete}`))).toMatch(/204 –$/);
    expect(lines).toContain(`    smithery ${smitheryDelete} 400: no planned case provoked it ${hostile}`);
    expect(lines).toContain('    langsmith DELETE /mcp-servers/{mcp_server_id} 204: needs an existing resource');
  });

  it('ends with the summary, painted red when there are failures and green when there are none', () => {
    const marked: Paint = { ...plain, red: (s) => `RED(${s})`, green: (s) => `GREEN(${s})` };
    const summary =
      '5 cases (2 passed, 2 failed, 1 errored, 0 skipped) · 6 requests · 2 failure(s), 1 warning(s) · coverage 40% (2/5) · 1.2 s';
    expect(renderTerminal(result, marked).at(-1)).toBe(`RED(${summary})`);
    const clean = { ...result, findings: [], summary: { ...result.summary, failures: 0 } };
    expect(renderTerminal(clean, marked).at(-1)).toMatch(/^GREEN\(/);
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
});

describe('renderJson and the report arguments', () => {
  it('renderJson is the result plus the tool name and version, as parseable JSON', () => {
    const parsed = JSON.parse(renderJson(result, '0.1.0-test')) as Record<string, unknown>;
    expect(parsed.tool).toEqual({ name: 'mcp-contracts', version: '0.1.0-test' });
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
  const interrupted: ConformanceResult = { ...result, status: 'interrupted' };
  it.each([
    ['terminal', () => renderTerminal(interrupted, plain).join('\n'), /^interrupted: \d+ cases/m],
    ['JUnit', () => renderJunit(interrupted), /<testsuites name="mcp-contracts conformance \(interrupted\)"/],
    ['HTML', () => renderHtml(interrupted, '0.0.0'), /<h1>Conformance \(interrupted\):/],
    ['JSON', () => renderJson(interrupted, '0.0.0'), /"status": "interrupted"/],
  ])('%s says so', (_name, render, want) => {
    expect(render()).toMatch(want);
  });

  it.each([
    ['terminal', () => renderTerminal(result, plain).join('\n')],
    ['JUnit', () => renderJunit(result)],
    ['HTML', () => renderHtml(result, '0.0.0')],
  ])('%s of a completed run does not', (_name, render) => {
    expect(render()).not.toMatch(/interrupted/);
  });
});
