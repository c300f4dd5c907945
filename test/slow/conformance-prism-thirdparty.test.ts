import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { ConformanceResult, Finding } from '../../conformance/types.js';
import { fromRoot } from '../../core/paths.js';
import { runCli } from '../e2e/cli.js';
import { startPrismOnFile } from './prism-file.js';

/**
 * Stoplight Prism serving four well-known third-party specs, straight from their npm packages: the run must
 * complete, and every finding must belong to one of the classes below — each a Prism behaviour or a defect of
 * the spec, written down with why. A finding outside them is either a new Prism/spec behaviour (write it down)
 * or a false alarm of the runner (issue 9, classes 1–10), which is what this suite exists to catch.
 */

interface SpecUnderTest {
  name: string;
  file: string;
  /** Where the spec's server URL puts the API (Prism itself serves from the root). */
  basePath: string;
  auth: string[];
}

const specs: SpecUnderTest[] = [
  {
    name: 'petstore-3.0',
    file: fromRoot('node_modules/@readme/oas-examples/3.0/json/petstore.json'),
    basePath: '/v2',
    auth: ['petstore_auth=demo-token', 'api_key=demo-key'],
  },
  {
    name: 'petstore-3.1',
    file: fromRoot('node_modules/@readme/oas-examples/3.1/json/petstore.json'),
    basePath: '/v2',
    auth: ['petstore_auth=demo-token', 'api_key=demo-key'],
  },
  {
    name: 'train-travel',
    file: fromRoot('node_modules/@readme/oas-examples/3.1/json/train-travel.json'),
    basePath: '',
    auth: ['OAuth2=demo-token'],
  },
  {
    name: 'galaxy',
    file: fromRoot('node_modules/@scalar/galaxy/dist/latest.json'),
    basePath: '',
    auth: [
      'bearerAuth=demo-token',
      'basicAuth=demo:secret',
      'apiKeyHeader=demo-key',
      'apiKeyQuery=demo-key',
      'apiKeyCookie=demo-key',
      'oAuth2=demo-token',
      'openIdConnect=demo-token',
    ],
  },
];

type SpecDocument = { paths: Record<string, Record<string, { responses?: Record<string, unknown> }>> };

/** The statuses an operation (`GET /pet/{petId}`) documents, read from the spec file itself. */
function documentedStatuses(doc: SpecDocument, operation: string): string[] {
  const [method = '', path = ''] = operation.split(' ');
  return Object.keys(doc.paths[path]?.[method.toLowerCase()]?.responses ?? {});
}

const status = (f: Finding): number => Number(/^(\d{3})\b/.exec(f.actual)?.[1] ?? 0);
const has2xx = (codes: string[]) => codes.some((c) => /^2(\d\d|XX)$/i.test(c));
const has4xx = (codes: string[]) => codes.some((c) => /^4(\d\d|XX)$/i.test(c) || c === 'default');
/** The runner validating an XML text as if it were JSON (issue 9, class 4) says this of the root. */
const xmlReadAsJson = (f: Finding) => f.details.some((d) => /^\/?: must be (object|array)\b/.test(d));

interface Explained {
  whose: 'Prism' | 'spec';
  why: string;
  matches(f: Finding, documented: string[]): boolean;
}

const explained: Explained[] = [
  {
    whose: 'Prism',
    why: 'Prism checks that credentials are present, not that they are right: wrong credentials get the success response',
    matches: (f) =>
      f.check === 'ignored-auth' &&
      f.severity === 'failure' &&
      (f.caseTitle.startsWith('wrong credentials') ||
        / — wrong credentials \([^)]*\) on the created resource /.test(f.caseTitle)),
  },
  {
    whose: 'Prism',
    why:
      "Prism requires readOnly properties in request bodies (Galaxy's CelestialBody `id`): a valid body without them — " +
      'a client must not send them — gets its 422 (and a credential probe gets that 422 before any 401)',
    matches: (f) =>
      f.operation === 'POST /celestial-bodies' &&
      status(f) === 422 &&
      ((f.check === 'positive-data-acceptance' && /application\/problem\+json/.test(f.actual)) ||
        (f.check === 'ignored-auth' && f.severity === 'warning')),
  },
  {
    whose: 'Prism',
    why:
      'Petstore documents no success status for these DELETEs, so Prism answers every request with the first documented ' +
      'error (400 "Invalid ID supplied"), even for a well-formed id that names nothing; a real deployment would answer 404',
    matches: (f, documented) =>
      f.check === 'nonexistent-id-not-found' &&
      status(f) === 400 &&
      !has2xx(documented) &&
      f.operation.startsWith('DELETE '),
  },
  {
    whose: 'Prism',
    why:
      'Petstore documents `application/xml` with `type: string` for GET /user/login, and Prism sends the bare word ' +
      '"string" as that XML body: it is not XML',
    matches: (f) =>
      f.check === 'response-schema-conformance' &&
      f.operation === 'GET /user/login' &&
      /^not well-formed XML .*: string$/.test(f.actual),
  },
  {
    whose: 'Prism',
    why: 'Prism keeps no state, so it cannot know that an id names nothing: reading or deleting a made-up id succeeds',
    matches: (f) => f.check === 'nonexistent-id-not-found' && status(f) >= 200 && status(f) < 300,
  },
  {
    whose: 'Prism',
    why:
      "Prism validates a 3.1 document's schemas as draft-07 unless a schema names its own $schema, so it ignores " +
      "`unevaluatedProperties: false` (a 2019-09 keyword): train-travel's payment `source` takes an undeclared field",
    matches: (f) =>
      f.check === 'negative-data-rejection' &&
      f.severity === 'failure' &&
      / \(breaks unevaluatedProperties false\)$/.test(f.caseTitle) &&
      status(f) >= 200 &&
      status(f) < 300,
  },
  {
    whose: 'Prism',
    why: 'Prism keeps no state: a deleted resource answers as before',
    matches: (f) => f.check === 'use-after-delete',
  },
  {
    whose: 'Prism',
    why: 'Prism answers 405 without an Allow header (a warning)',
    matches: (f) => f.check === 'unsupported-method' && f.severity === 'warning' && /without Allow/.test(f.actual),
  },
  {
    whose: 'Prism',
    why:
      'Prism answers a request that fails its own validation with 422 application/problem+json, whatever the operation ' +
      'documents; only where the operation documents some other client error (so this is no spec gap, class 9)',
    matches: (f, documented) =>
      f.check === 'status-code-conformance' &&
      status(f) === 422 &&
      /application\/problem\+json/.test(f.actual) &&
      has4xx(documented),
  },
  {
    whose: 'Prism',
    why:
      "Prism's HTTP layer answers unparsable JSON itself: 400 with its own application/json body, " +
      'whether or not the operation documents a 400, a body for it, or another media type',
    matches: (f, documented) =>
      f.caseTitle === 'malformed JSON body' &&
      status(f) !== 500 &&
      (f.check === 'content-type-conformance' ||
        f.check === 'response-schema-conformance' ||
        (f.check === 'status-code-conformance' && status(f) === 400 && has4xx(documented))),
  },
  {
    whose: 'Prism',
    why:
      "Prism writes XML bodies under a root element <xml> and ignores the schema's `xml` object (name, wrapped, " +
      'attribute); the runner parsing the XML through that object then sees the wrong shape — never "must be object" ' +
      'for the whole document, which would be the runner reading XML as JSON (class 4)',
    matches: (f) => f.check === 'response-schema-conformance' && /^<xml>/.test(f.actual) && !xmlReadAsJson(f),
  },
  {
    whose: 'Prism',
    why:
      "Prism's body generator does not understand Galaxy's recursive Planet ↔ Satellite schemas: it cuts the recursion " +
      'short with an object lacking the required id and name (and an object that then matches no branch of ' +
      "CelestialBody's oneOf), and it fills PaginatedResource's `$dynamicRef` items with null",
    matches: (f) =>
      f.check === 'response-schema-conformance' &&
      f.details.length > 0 &&
      f.details.some(
        (d) => /\/satellites\/\d+\/orbit\/planet\/satellites\//.test(d) || /^\/data\/\d+: must be object/.test(d),
      ) &&
      f.details.every(
        (d) =>
          /\/satellites\/\d+\/orbit\/planet\//.test(d) ||
          /^\/data\/\d+: must be object/.test(d) ||
          /CelestialBody\/oneOf|Satellite\/properties\/type\/enum/.test(d),
      ),
  },
  {
    whose: 'spec',
    why:
      'Petstore documents no success status for this operation, so Prism answers every request with the first ' +
      'documented error (405 or 400), credentials or not: no response could tell wrong credentials apart (a warning)',
    matches: (f, documented) => f.check === 'ignored-auth' && f.severity === 'warning' && !has2xx(documented),
  },
  {
    whose: 'spec',
    why:
      'Petstore documents no success status for PUT /pet, so Prism answers even a valid update with the first ' +
      'documented error (400, no body); only for operations that name no resource in the path — a made-up path id ' +
      'judged as valid input is class 3, the runner’s',
    matches: (f, documented) =>
      f.check === 'positive-data-acceptance' && !has2xx(documented) && !f.operation.includes('{'),
  },
  {
    whose: 'spec',
    why:
      "a spec gap (issue 9, class 9) reported as the spec's, with its lint rule: a secured operation without 401/403, " +
      'an operation without any success status or without any client error — Petstore and Galaxy have all three',
    matches: (f) => f.check === 'spec-gap' && f.severity === 'warning',
  },
];

/** For an unexplained finding: which false alarm of issue 9 it looks like, so the failure message says so. */
function suspectedClass(f: Finding, documented: string[]): string {
  const s = status(f);
  if (/^<xml>|^<\?xml/.test(f.actual) && xmlReadAsJson(f)) return 'class 4 (XML validated as JSON)';
  if (f.check === 'status-code-conformance' && (s === 401 || s === 403) && !documented.includes(String(s)))
    return 'class 9 (spec gap: secured operation without 401/403)';
  if (/content-type: (multipart\/form-data|application\/x-www-form-urlencoded)'.*--data-raw '\{/.test(f.curl))
    return 'class 5 (form/multipart body sent as JSON text)';
  if (f.check === 'status-code-conformance' && s >= 400 && s < 500 && !has4xx(documented))
    return 'class 9 (spec gap: operation without any client error)';
  if (f.check === 'status-code-conformance' && s >= 200 && s < 300 && !has2xx(documented))
    return 'class 9 (spec gap: operation without any success status)';
  if ((f.check === 'positive-data-acceptance' || f.check === 'ignored-auth') && /[?&][^=&]+=(&|'|$)/.test(f.curl))
    return 'class 6 (a "valid" empty value for a required array/string)';
  if (f.check === 'positive-data-acceptance' && /mcpc-nonexistent-|\/\d{9,}(\/|'|\s|$)/.test(f.curl))
    return 'class 3 or 6 (a made-up id judged as valid input, or an id outside the schema)';
  if (f.check === 'negative-data-rejection') return 'class 1 (lenient optional input)?';
  if (f.check === 'jsonrpc-id-echo') return 'class 2?';
  if (f.check === 'off-host-redirect') return 'class 7?';
  return 'unclassified';
}

function describeFinding(f: Finding, documented: string[]): string {
  return `[${suspectedClass(f, documented)}] ${f.severity} ${f.check}: ${f.operation} — ${f.caseTitle}: ${f.actual.slice(0, 120)}`;
}

const dir = mkdtempSync(join(tmpdir(), 'mcpc-prism-3p-'));

describe.each(specs)('conformance against Prism serving $name', (spec) => {
  it('completes, and every finding is an explained Prism or spec behaviour', { timeout: 120_000 }, async () => {
    const doc = JSON.parse(readFileSync(spec.file, 'utf8')) as SpecDocument;
    const prism = await startPrismOnFile(spec.file, spec.basePath);
    const report = join(dir, `${spec.name}.json`);
    try {
      const run = await runCli(
        [
          'conformance',
          '--target',
          prism.url,
          '--spec',
          spec.file,
          ...spec.auth.flatMap((a) => ['--auth', a]),
          // Prism is a throwaway mock: the run may create, change and delete, so every operation is exercised.
          '--allow-destructive',
          '--report',
          `json=${report}`,
        ],
        { timeoutMs: 90_000 },
      );
      expect(run.stderr).toBe('');
      expect([0, 1]).toContain(run.code);
      const result = JSON.parse(readFileSync(report, 'utf8')) as ConformanceResult;
      expect(result.summary.errored).toBe(0);
      // The run reached the API (the base path is right): some cases passed, some statuses were covered.
      expect(result.summary.passed).toBeGreaterThan(10);
      expect(result.summary.coveragePercent).toBeGreaterThan(0);
      const unexplained = result.findings
        .map((f) => ({ f, documented: documentedStatuses(doc, f.operation) }))
        .filter(({ f, documented }) => !explained.some((e) => e.matches(f, documented)))
        .map(({ f, documented }) => describeFinding(f, documented));
      expect([...new Set(unexplained)]).toEqual([]);
    } finally {
      await prism.close();
    }
  });
});

describe('the explained classes are narrow', () => {
  const finding = (over: Partial<Finding>): Finding => ({
    check: 'response-schema-conformance',
    severity: 'failure',
    specName: 'x',
    operation: 'GET /pets',
    caseId: 'c1',
    caseTitle: 'valid request',
    expected: '',
    actual: '',
    details: [],
    hint: undefined,
    curl: '',
    ...over,
  });
  const explain = (f: Finding, documented: string[]) => explained.filter((e) => e.matches(f, documented));

  it('XML read as JSON (class 4) is not explained by Prism', () => {
    const readAsJson = finding({ actual: '<xml><id>1</id></xml>', details: ['/: must be object (schema /Pet/type)'] });
    expect(explain(readAsJson, ['200'])).toEqual([]);
    const wrongShape = finding({
      actual: '<xml><id>1</id></xml>',
      details: ['/photoUrls: must be array (schema /Pet)'],
    });
    expect(explain(wrongShape, ['200'])).toHaveLength(1);
  });

  it('a 4xx or 401 on an operation whose spec has a gap (class 9) is not explained by Prism', () => {
    const gap = finding({ check: 'status-code-conformance', actual: '422 application/problem+json, 376 byte body' });
    expect(explain(gap, ['200'])).toEqual([]);
    expect(explain(gap, ['200', '404'])).toHaveLength(1);
    const noCredentials = finding({
      check: 'status-code-conformance',
      caseTitle: 'no credentials',
      actual: '401 application/problem+json',
    });
    expect(explain(noCredentials, ['201', '400', '403'])).toEqual([]);
  });

  it('a rejected valid request (classes 3, 5, 6) is never explained', () => {
    const rejected = finding({ check: 'positive-data-acceptance', actual: '400, no body: valid input rejected' });
    expect(explain(rejected, ['200', '400', '404'])).toEqual([]);
    const madeUpId = { ...rejected, operation: 'DELETE /pet/{petId}' };
    expect(explain(madeUpId, ['400', '404'])).toEqual([]);
    // Only an operation with no success status and no resource in its path is the spec's.
    expect(explain({ ...rejected, operation: 'PUT /pet' }, ['400', '404', '405'])).toHaveLength(1);
  });
});
