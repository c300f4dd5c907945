import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseAuthArguments, secretsOf } from '../engine/auth.js';
import { defaultRunOptions, runConformance } from '../engine/run.js';
import { writeReports } from '../reporters/index.js';
import { renderTerminal } from '../reporters/terminal.js';
import { createRedactor } from './curl.js';

/**
 * Item 18: a target that echoes a credential back — inside a JSON string, URL-encoded, base64-encoded or
 * HTML-escaped — must not get it printed. Secrets here hold `"`, `\`, `/`, `+`, spaces and non-ASCII (also
 * outside the BMP). The forms are built independently of the redactor (JSON's ASCII-only form by Python's own
 * json module), and every one of them is looked for in every output: terminal, JSON, JUnit and HTML, as the
 * reporters write them to files after a real run against a local echo server.
 */

const secrets = {
  // Basic travels base64-encoded, so it may hold any character; user and password are both secrets.
  basic: 'Al "ice"\\/+:pä ss/wörd€😀+',
  // A bearer token travels as a raw header value: Latin-1 at most.
  bearerAuth: 'B3arer/"tok\\en"+ spé',
  // A query key travels percent-encoded.
  apiKeyAuth: 'k€y "x"\\/+ 😀 q',
};
const credentials = parseAuthArguments(
  Object.entries(secrets).map(([scheme, value]) => `${scheme}=${value}`),
  {},
);

const userPass = (v: string) => (v.includes(':') ? v : `${v}:`);

/** Python's json.dumps (ASCII-only, lower-case \\uxxxx), run once for every string the tests need. */
const pythonJson = (() => {
  const inputs = Object.values(secrets).flatMap((v) => [v, ...v.split(':'), userPass(v)]);
  const script = 'import json,sys; print(json.dumps([json.dumps(a)[1:-1] for a in sys.argv[1:]]))';
  const outputs = JSON.parse(execFileSync('python3', ['-c', script, ...inputs]).toString('utf8')) as string[];
  return new Map(inputs.map((input, i) => [input, outputs[i]!]));
})();
const pythonAsciiJson = (value: string): string => pythonJson.get(value) ?? JSON.stringify(value).slice(1, -1);

const html = (value: string, quote: string) =>
  value.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, quote);

/** Every form in which a target may send `value` back, named. */
function formsOf(value: string): Record<string, string> {
  const json = JSON.stringify(value).slice(1, -1);
  const ascii = pythonAsciiJson(value);
  return {
    raw: value,
    'JSON string': json,
    'JSON string, / as \\/': json.replace(/\//g, '\\/'),
    'JSON, non-ASCII as \\uxxxx (Python json.dumps)': ascii,
    'JSON, non-ASCII as \\uXXXX': ascii.replace(/\\u([0-9a-f]{4})/g, (_m, h: string) => `\\u${h.toUpperCase()}`),
    'JSON, \\/ and \\uxxxx (PHP json_encode)': ascii.replace(/\//g, '\\/'),
    'JSON string inside a JSON string': JSON.stringify(json).slice(1, -1),
    'URL-encoded, %20': encodeURIComponent(value),
    'URL-encoded, +': new URLSearchParams({ v: value }).toString().slice(2),
    'URL-encoded, lower-case hex': encodeURIComponent(value).replace(/%[0-9A-F]{2}/g, (e) => e.toLowerCase()),
    'HTML-escaped, &quot;': html(value, '&quot;'),
    'HTML-escaped, &#34;': html(value, '&#34;'),
    'HTML-escaped, &#x22;': html(value, '&#x22;'),
    base64: Buffer.from(value).toString('base64'),
    base64url: Buffer.from(value).toString('base64url'),
  };
}

const basicForms = (v: string): Record<string, string> => ({
  'base64 of user:pass (Basic)': Buffer.from(userPass(v)).toString('base64'),
  'base64url of user:pass': Buffer.from(userPass(v)).toString('base64url'),
  'base64 of user:pass, no padding': Buffer.from(userPass(v)).toString('base64').replace(/=+$/, ''),
});

/** Every form of every secret and of each part of a user:pass. */
const everyForm: Array<[string, string]> = Object.entries(secrets).flatMap(([scheme, value]) => [
  ...Object.entries({ ...formsOf(value), ...basicForms(value) }).map(([n, f]): [string, string] => [
    `${scheme} ${n}`,
    f,
  ]),
  ...value
    .split(':')
    .filter((p) => p !== value)
    .flatMap((part, i) =>
      Object.entries(formsOf(part)).map(([n, f]): [string, string] => [`${scheme} part ${i} ${n}`, f]),
    ),
]);

describe('redact: each form of each secret', () => {
  const redactor = createRedactor(secretsOf(credentials));
  it.each(everyForm)('%s', (_name, form) => {
    expect(redactor.redact(`before ${form} after`)).toBe('before *** after');
  });

  it('leaves text alone that merely shares characters with a secret', () => {
    expect(redactor.redact('Al "ice" and pä, a k€y, B3arer/')).toBe('Al "ice" and pä, a k€y, B3arer/');
  });
});

describe('a target that echoes credentials: no form reaches any report', () => {
  const spec = `openapi: 3.1.0
info: { title: echo, version: "1" }
servers: [ { url: "http://localhost" } ]
components:
  securitySchemes:
    basic: { type: http, scheme: basic }
    bearerAuth: { type: http, scheme: bearer }
    apiKeyAuth: { type: apiKey, in: query, name: api_key }
  responses:
    Echo:
      description: the server says what it got, here in at most three characters
      content:
        text/plain: { schema: { type: string, maxLength: 3 } }
paths:
  /basic:
    get: { operationId: basic, security: [ { basic: [] } ], responses: { "200": { $ref: "#/components/responses/Echo" }, "401": { description: no } } }
  /bearer:
    get: { operationId: bearer, security: [ { bearerAuth: [] } ], responses: { "200": { $ref: "#/components/responses/Echo" }, "401": { description: no } } }
  /key:
    get: { operationId: key, security: [ { apiKeyAuth: [] } ], responses: { "200": { $ref: "#/components/responses/Echo" }, "401": { description: no } } }
`;
  /** How the echo server writes what it received; switched per test. */
  let encode: (received: string) => string = (r) => r;
  let server: Server;
  let target = '';
  let dir = '';

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'mcpc-secrets-'));
    writeFileSync(join(dir, 'echo.yaml'), spec);
    server = createServer((req, res) => {
      const url = new URL(req.url ?? '/', 'http://localhost');
      const auth = req.headers.authorization ?? '';
      const basic = /^Basic (.+)$/.exec(auth);
      // What the server got, decoded as a server would: Basic's user:pass, a bearer token, a query key.
      const got = basic
        ? Buffer.from(basic[1]!, 'base64').toString('utf8')
        : auth.startsWith('Bearer ')
          ? Buffer.from(auth.slice(7), 'latin1').toString('latin1')
          : (url.searchParams.get('api_key') ?? '');
      res.writeHead(200, { 'content-type': 'text/plain; charset=utf-8' }).end(`got ${encode(got)} ok`);
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    target = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(async () => {
    await new Promise((resolve) => server.close(resolve));
    rmSync(dir, { recursive: true, force: true });
  });

  const echoes: Array<[string, (received: string) => string]> = [
    ['raw', (r) => r],
    ['as a JSON string', (r) => JSON.stringify(r)],
    ['as a JSON string with \\/', (r) => JSON.stringify(r).replace(/\//g, '\\/')],
    ['as ASCII-only JSON (Python)', (r) => `"${pythonAsciiJson(r)}"`],
    ['URL-encoded', (r) => encodeURIComponent(r)],
    ['form-encoded (+ for space)', (r) => new URLSearchParams({ v: r }).toString().slice(2)],
    ['base64 (Basic user:pass)', (r) => Buffer.from(r).toString('base64')],
    ['base64url', (r) => Buffer.from(r).toString('base64url')],
    ['HTML-escaped', (r) => html(r, '&quot;')],
  ];

  it.each(echoes)('echoed %s', async (_name, how) => {
    encode = how;
    const result = await runConformance({
      ...defaultRunOptions,
      specs: [join(dir, 'echo.yaml')],
      target,
      credentials,
      params: new Map(),
      allowDestructive: false,
      concurrency: 2,
    });
    // The echo did come back and was quoted: every operation has a schema finding with the secret blanked.
    const quoted = result.findings.filter((f) => f.check === 'response-schema-conformance' && f.actual.includes('***'));
    expect(new Set(quoted.map((f) => f.operation))).toEqual(new Set(['GET /basic', 'GET /bearer', 'GET /key']));
    const files = { json: join(dir, 'r.json'), junit: join(dir, 'r.xml'), html: join(dir, 'r.html') };
    writeReports(
      Object.entries(files).map(([format, file]) => ({ format: format as 'json' | 'junit' | 'html', file })),
      result,
      'test',
    );
    const identity = (s: string) => s;
    const outputs = {
      terminal: renderTerminal(result, {
        red: identity,
        green: identity,
        yellow: identity,
        dim: identity,
        bold: identity,
      }).join('\n'),
      json: readFileSync(files.json, 'utf8'),
      junit: readFileSync(files.junit, 'utf8'),
      html: readFileSync(files.html, 'utf8'),
    };
    for (const [output, text] of Object.entries(outputs)) {
      // The terminal shows each root cause once, with its first case's answer (which may be one without the echo).
      if (output !== 'terminal') expect(text, output).toContain('***');
      const leaked = everyForm.filter(([, form]) => text.includes(form)).map(([name]) => `${output}: ${name}`);
      expect(leaked).toEqual([]);
    }
  });
});

describe('a secret echoed with only some characters escaped', () => {
  // A JSON encoder may escape any character it likes: some as \uXXXX (either case), some as \" \\ \/, the rest
  // as written. The generic-spec review found such an echo printed in every report.
  const secret = 'tk"q\\w/eSECRETz';
  const redactor = createRedactor([{ value: secret, envName: 'MCP_CONTRACTS_AUTH_OAUTH2' }]);

  it.each([
    ['\\u escapes for some letters, \\" \\\\ \\/ for the rest', '\\u0074\\u006b\\"q\\\\w\\/eSECRET\\u007A'],
    ['upper-case hex, a \\u0022 quote and a \\u005c backslash', '\\u0074k\\u0022q\\u005Cw/eSECRETz'],
    ['as written', secret],
  ])('%s is blanked', (_name, echoed) => {
    expect(redactor.redact(`{"echo":"${echoed}"}`)).toBe('{"echo":"***"}');
  });

  it('leaves text that only shares letters with the secret alone', () => {
    expect(redactor.redact('{"q":"w","e":"SECRET"}')).toBe('{"q":"w","e":"SECRET"}');
  });
});
