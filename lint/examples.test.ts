import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { specFile } from '../conformance/test-helpers.js';
import { packageRoot } from '../core/paths.js';
import { groupFindings, pointerPattern } from './groups.js';
import { type LintFinding, lintSpecs } from './lint.js';
import { toSarif } from './sarif.js';

const spec30 = (body: string) =>
  `openapi: 3.0.3\ninfo: { title: t, version: "1", description: d, contact: { name: c } }\nservers: [{ url: "https://example.com" }]\ntags: [{ name: t, description: d }]\n${body}`;

const op = (path: string, extra: string) =>
  `  ${path}:\n    post:\n      operationId: op${path.replace(/\W/g, '')}\n      description: d\n      tags: [t]\n${extra}`;

async function examplesOf(yaml: string): Promise<LintFinding[]> {
  const result = await lintSpecs([specFile('spec.yaml', yaml)], { useBaseline: false });
  return result.findings.filter((f) => /valid-(media|schema)-example|oas3-valid/.test(f.rule));
}

describe('example rules, judged by the compiled validators conformance uses', () => {
  it('flags a media example, a referenced example and a schema default that break their schemas', async () => {
    const findings = await examplesOf(
      spec30(`paths:
${op(
  '/a',
  `      requestBody:
        content:
          application/json:
            schema: { $ref: '#/components/schemas/Pet' }
            example: { name: 7 }
      responses:
        '200':
          description: ok
          content:
            application/json:
              schema: { $ref: '#/components/schemas/Pet' }
              examples:
                one: { $ref: '#/components/examples/NoName' }
`,
)}components:
  examples:
    NoName: { value: { id: 1 } }
  schemas:
    Pet:
      type: object
      required: [name]
      properties:
        id: { type: integer }
        name: { type: string }
        size: { type: string, enum: [s, m], default: xl }
`),
    );
    expect(findings.map((f) => `${f.rule} ${f.pointer}`).sort()).toEqual([
      'mcp-contracts:valid-media-example /components/examples/NoName/value',
      'mcp-contracts:valid-media-example /paths/~1a/post/requestBody/content/application~1json/example',
      'mcp-contracts:valid-schema-example /components/schemas/Pet/properties/size/default',
    ]);
    const body = findings.find((f) => f.pointer.endsWith('/example'))!;
    expect(body.message).toMatch(
      /\/name: must be string \(schema \/components\/schemas\/Pet\/properties\/name\/type\)/,
    );
    expect(body.severity).toBe('error');
    expect(body.line).toBeGreaterThan(1);
    // Spectral's own example rules are off: each problem is reported once, by ours.
    expect(findings.some((f) => f.rule.startsWith('spectral:'))).toBe(false);
  });

  it('accepts what the validators accept: nullable, readOnly left out of a request, a property named example', async () => {
    const findings = await examplesOf(
      spec30(`paths:
${op(
  '/b',
  `      requestBody:
        content:
          application/json:
            schema: { $ref: '#/components/schemas/Item' }
            example: { label: x, example: { note: 1 } }
      responses:
        '200':
          description: ok
          content:
            application/json:
              schema: { $ref: '#/components/schemas/Item' }
              example: { id: 3, label: null, example: { note: 2 } }
`,
)}components:
  schemas:
    Item:
      type: object
      required: [id, label]
      properties:
        id: { type: integer, readOnly: true, example: 4 }
        label:
          nullable: true
          anyOf:
            - { type: string, example: a }
            - { type: integer, example: 5 }
          example: null
        example:
          type: object
          properties: { note: { type: integer, example: 9 } }
`),
    );
    expect(findings).toEqual([]);
  });

  it('finds nothing in a third-party spec whose examples are valid (ReadMe response examples)', async () => {
    const file = join(packageRoot, 'node_modules/@readme/oas-examples/3.0/json/response-examples.json');
    const result = await lintSpecs([file], { useBaseline: false });
    expect(result.findings.filter((f) => /valid-(media|schema)-example/.test(f.rule))).toEqual([]);
  });
});

describe('--fail-on', () => {
  const styleOnly = join(packageRoot, 'test', 'fixtures', 'specs', 'style-warnings-only.yaml');
  it.each([
    ['error', 0],
    ['warn', 1],
    ['info', 1],
  ] as const)('at %s, a spec with style warnings only has failing findings: %i or more', async (failOn, least) => {
    const result = await lintSpecs([styleOnly], { useBaseline: false, failOn });
    expect(result.findings.some((f) => f.severity === 'warning')).toBe(true);
    expect(result.findings.some((f) => f.severity === 'error')).toBe(false);
    if (least === 0) expect(result.failing).toEqual([]);
    else expect(result.failing.length).toBeGreaterThanOrEqual(least);
  });
});

describe('grouping repeated findings', () => {
  const finding = (pointer: string, message: string, rule = 'mcp-contracts:valid-media-example'): LintFinding => ({
    rule,
    severity: 'error',
    file: 'api.json',
    line: 1,
    column: 1,
    pointer,
    message,
    baselined: undefined,
  });
  const hook = (name: string, i: number) =>
    finding(
      `/x-webhooks/${name}/post/parameters/${i}/example`,
      `example breaks its schema: /: must be string (schema /x-webhooks/${name}/post/parameters/${i}/schema/type)`,
    );

  it('makes one group of the same mistake repeated in every webhook, and keeps other mistakes apart', () => {
    const names = ['push', 'ping', 'issues-opened', 'star-created'];
    const repeated = names.flatMap((n) => [hook(n, 1), hook(n, 3)]);
    const other = finding(
      '/x-webhooks/push/post/parameters/2/example',
      'example breaks its schema: /: must be integer',
    );
    const groups = groupFindings([...repeated, other]);
    expect(groups.map((g) => g.findings.length)).toEqual([8, 1]);
    expect(groups[0]!.pattern).toBe('/x-webhooks/*/post/parameters/*/example');
  });

  it('does not merge the responses of different statuses (a number that is a key, not a position)', () => {
    expect(pointerPattern('/paths/~1a/get/responses/404/content')).toBe('/paths/*/get/responses/404/content');
    const groups = groupFindings([
      finding('/paths/~1a/get/responses/404', 'm', 'mcp-contracts:error-status-without-schema'),
      finding('/paths/~1a/get/responses/422', 'm', 'mcp-contracts:error-status-without-schema'),
    ]);
    expect(groups).toHaveLength(2);
  });

  it('makes one group of an operation-level finding repeated over operations and methods (their names wildcarded)', () => {
    const ops: Array<[string, string]> = [
      ['get', '/'],
      ['get', '/app'],
      ['patch', '/app/hook/config'],
      ['delete', '/repos/{owner}/{repo}'],
    ];
    const pointer = (method: string, path: string, tail: string) =>
      `/paths/${path.replaceAll('~', '~0').replaceAll('/', '~1')}/${method}${tail}`;
    const noClientError = ops.map(([method, path]) =>
      finding(
        pointer(method, path, '/responses'),
        `${method.toUpperCase()} ${path} documents no client error (4xx)`,
        'mcp-contracts:operation-without-client-error',
      ),
    );
    const noSchema = (status: string) =>
      ops.map(([method, path]) =>
        finding(
          pointer(method, path, `/responses/${status}`),
          `${method.toUpperCase()} ${path} documents ${status} without a body schema`,
          'mcp-contracts:error-status-without-schema',
        ),
      );
    const groups = groupFindings([...noClientError, ...noSchema('404'), ...noSchema('500')]);
    expect(groups.map((g) => [g.rule, g.pattern, g.findings.length])).toEqual([
      ['mcp-contracts:operation-without-client-error', '/paths/*/*/responses', 4],
      // A status is part of the mistake: 404 and 500 stay two groups.
      ['mcp-contracts:error-status-without-schema', '/paths/*/*/responses/404', 4],
      ['mcp-contracts:error-status-without-schema', '/paths/*/*/responses/500', 4],
    ]);
    // Each finding is kept, with its own message and place.
    expect(groups[0]!.findings.map((f) => f.message)).toEqual(noClientError.map((f) => f.message));
  });

  it('keeps methods apart when the message does not name the operation, and different messages apart', () => {
    const groups = groupFindings([
      finding('/paths/~1a/get', 'Operation "description" must be present', 'spectral:operation-description'),
      finding('/paths/~1b/get', 'Operation "description" must be present', 'spectral:operation-description'),
      finding('/paths/~1a/post', 'Operation "description" must be present', 'spectral:operation-description'),
      // Names the operation, but says something else about it: its own group.
      finding('/paths/~1a/get/responses', 'GET /a documents no success status (2xx or 3xx)', 'mcp-contracts:x'),
      finding('/paths/~1b/get/responses', 'GET /b documents no client error (4xx)', 'mcp-contracts:x'),
    ]);
    expect(groups.map((g) => [g.pattern, g.findings.length])).toEqual([
      ['/paths/*/get', 2],
      ['/paths/*/post', 1],
      ['/paths/*/*/responses', 1],
      ['/paths/*/*/responses', 1],
    ]);
  });

  it('SARIF: one result per group with the others as related locations; baselined ones suppressed', () => {
    const findings = [
      hook('push', 1),
      hook('ping', 1),
      {
        ...finding('/info', 'no contact', 'spectral:info-contact'),
        severity: 'warning' as const,
        baselined: 'upstream',
      },
    ];
    const groups = groupFindings(findings);
    const sarif = toSarif(
      { findings, groups, failing: [], failOn: 'error', unusedBaseline: [], baselineFile: undefined },
      '1.2.3',
    ) as {
      version: string;
      runs: Array<{
        tool: { driver: { name: string; rules: Array<{ id: string }> } };
        results: Array<Record<string, unknown>>;
      }>;
    };
    expect(sarif.version).toBe('2.1.0');
    const [run] = sarif.runs;
    expect(run!.tool.driver.rules.map((r) => r.id)).toEqual([
      'mcp-contracts:valid-media-example',
      'spectral:info-contact',
    ]);
    expect(run!.results).toHaveLength(2);
    const [media, contact] = run!.results as [Record<string, unknown>, Record<string, unknown>];
    expect(media).toMatchObject({ ruleId: 'mcp-contracts:valid-media-example', level: 'error', ruleIndex: 0 });
    expect((media.relatedLocations as unknown[]).length).toBe(1);
    expect(
      (media.locations as Array<{ physicalLocation: { region: { startLine: number } } }>)[0]!.physicalLocation.region
        .startLine,
    ).toBe(1);
    expect(media.suppressions).toBeUndefined();
    expect(contact).toMatchObject({
      level: 'warning',
      suppressions: [{ kind: 'external', justification: 'upstream' }],
    });
  });
});
