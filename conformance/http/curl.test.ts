import { execFileSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { type Credentials, parseAuthArguments, secretsOf } from '../engine/auth.js';
import { planSpec } from '../engine/plan.js';
import { compiled, compiledFromText, demoCredentials } from '../test-helpers.js';
import type { PlannedRequest } from '../types.js';
import { carriersOf, createRedactor, shellQuote } from './curl.js';

/**
 * Secrets never reach a report: `redact` blanks them, `curlFor` swaps them for `${MCP_CONTRACTS_AUTH_<SCHEME>}`.
 * The curl lines are also run through `sh` (with `curl` stubbed to print its argv) to show that, once the
 * variables are exported, they reproduce the request byte for byte.
 */

const querySpec = await compiledFromText(
  `openapi: 3.1.0
info: { title: query key, version: "1" }
paths:
  /search:
    post:
      operationId: search
      security: [ { queryKey: [] } ]
      parameters:
        - { name: q, in: query, required: true, schema: { type: string }, example: "it's \\"quoted\\"" }
      requestBody:
        required: true
        content:
          application/json:
            schema: { type: object }
            example: { note: "it's a \\"quote\\", $HOME and \`pwd\`" }
      responses:
        "200": { description: ok }
components:
  securitySchemes:
    queryKey: { type: apiKey, in: query, name: api_key }
`,
  'query-key',
);

const secrets = {
  basic: 'alice:s3cret-Pa55',
  bearerAuth: 'tok-BEARER-123',
  apiKeyAuth: 'key-HEADER-456',
  queryKey: 'key-QUERY-789',
};
const credentials = parseAuthArguments(
  Object.entries(secrets).map(([scheme, value]) => `${scheme}=${value}`),
  {},
);
const env = Object.fromEntries(secretsOf(credentials).map((s) => [s.envName, s.value]));

/** The valid request of a spec's first operation with these credentials, with its URL as run.ts builds it. */
async function validRequest(
  spec: string | Awaited<ReturnType<typeof compiled>>,
  creds: Credentials = credentials,
): Promise<PlannedRequest & { url: string }> {
  const c = typeof spec === 'string' ? await compiled(spec) : spec;
  // `POST /search` may create data as far as its spec tells: only consent lets it be planned.
  const plan = planSpec(c, { credentials: creds, params: new Map(), allowDestructive: true, seed: 1 }, () => true);
  const request = plan.cases.find((k) => k.kind === 'valid')!.request;
  const query = request.query.length > 0 ? `?${new URLSearchParams(request.query).toString()}` : '';
  return { ...request, url: `http://127.0.0.1:4010${request.path}${query}` };
}

/** The argv `curl` would get from this line, after the shell expands the given environment. */
function argvOf(line: string, environment: Record<string, string>): string[] {
  const out = execFileSync('sh', ['-c', `curl() { for a in "$@"; do printf '%s\\0' "$a"; done; }; ${line}`], {
    env: { PATH: process.env.PATH ?? '/usr/bin:/bin', ...environment },
  });
  return out.toString('utf8').split('\0').slice(0, -1);
}

const allForms = (value: string) => [
  value,
  Buffer.from(value.includes(':') ? value : `${value}:`).toString('base64'),
  ...value.split(':').filter((p) => p.length >= 3),
];

describe('redact', () => {
  const redactor = createRedactor(secretsOf(credentials));

  it.each(Object.entries(secrets))('blanks every form of the %s secret', (_scheme, value) => {
    for (const form of allForms(value)) {
      const out = redactor.redact(`before ${form} after`);
      expect(out).toBe('before *** after');
    }
  });

  it('blanks a Basic header and leaves everything else alone', () => {
    const header = `authorization: Basic ${Buffer.from(secrets.basic).toString('base64')}`;
    expect(redactor.redact(`${header}\nx-other: fine`)).toBe('authorization: Basic ***\nx-other: fine');
  });

  it('ignores secrets too short to blank without destroying the text', () => {
    const short = createRedactor([{ value: 'ab', envName: 'MCP_CONTRACTS_AUTH_X' }]);
    expect(short.redact('abc ab')).toBe('abc ab');
  });
});

describe('curlFor', () => {
  const redactor = createRedactor(secretsOf(credentials));

  /** `${NAME}` as the shell will see it. */
  const ref = (env: string) => `\${${env}}`;

  it.each([
    ['basic user:pass (StackOne)', 'stackone', 'MCP_CONTRACTS_AUTH_BASIC', (env: string) => `-u "${ref(env)}"`],
    [
      'a bearer token (Smithery)',
      'smithery',
      'MCP_CONTRACTS_AUTH_BEARERAUTH',
      (env: string) => `-H "authorization: Bearer ${ref(env)}"`,
    ],
    [
      'an apiKey in a header (LangSmith)',
      'langsmith',
      'MCP_CONTRACTS_AUTH_APIKEYAUTH',
      (env: string) => `-H "x-api-key: ${ref(env)}"`,
    ],
  ])('%s: no secret in the line, a reference to %s instead', async (_name, spec, env, want) => {
    const line = redactor.curlFor(await validRequest(spec));
    for (const value of Object.values(secrets)) for (const form of allForms(value)) expect(line).not.toContain(form);
    expect(line).toContain(want(env));
  });

  it('an apiKey in the query: no secret in the line, the URL double-quoted around the reference', async () => {
    const line = redactor.curlFor(await validRequest(querySpec));
    for (const form of allForms(secrets.queryKey)) expect(line).not.toContain(form);
    expect(line).toMatch(/ "http:\/\/127\.0\.0\.1:4010\/search\?q=[^ ]*&api_key=\$\{MCP_CONTRACTS_AUTH_QUERYKEY\}" /);
  });

  it.each([
    ['stackone', 'stackone'],
    ['smithery', 'smithery'],
    ['langsmith', 'langsmith'],
    ['a query key, quotes, $ and backticks', querySpec],
  ] as const)('%s: once the variables are exported, the line reproduces the request exactly', async (_name, spec) => {
    const request = await validRequest(spec);
    const argv = argvOf(redactor.curlFor(request), env);
    expect(argv.slice(0, 5)).toEqual(['-sS', '-i', '-X', request.method, request.url]);
    for (const [name, value] of Object.entries(request.headers)) {
      const basic = /^Basic (.+)$/.exec(value);
      if (name === 'authorization' && basic) {
        const u = argv[argv.indexOf('-u') + 1]!;
        expect(Buffer.from(u).toString('base64')).toBe(basic[1]);
      } else {
        expect(argv).toContain(`${name}: ${value}`);
      }
    }
    if (request.body === undefined) expect(argv).not.toContain('--data-raw');
    else expect(argv[argv.indexOf('--data-raw') + 1]).toBe(request.body);
  });

  it('shell-quotes a body with single and double quotes so it arrives unchanged', () => {
    const body = `{"note":"it's \\"quoted\\"","cmd":"$(rm -rf /) \`id\` $HOME"}`;
    const request = { method: 'POST', path: '/x', query: [], headers: {}, body, url: 'http://127.0.0.1:4010/x' };
    const line = redactor.curlFor(request);
    expect(argvOf(line, {})).toEqual(['-sS', '-i', '-X', 'POST', 'http://127.0.0.1:4010/x', '--data-raw', body]);
  });

  it('blanks a secret echoed inside a body (a body cannot reference a variable safely)', () => {
    const request = {
      method: 'POST',
      path: '/x',
      query: [],
      headers: {},
      body: `{"token":"${secrets.bearerAuth}"}`,
      url: 'http://127.0.0.1:4010/x',
    };
    expect(redactor.curlFor(request)).toContain(`--data-raw '{"token":"***"}'`);
  });

  it('escapes what double quotes would expand, except the secret reference itself', () => {
    const request = {
      method: 'GET',
      path: '/x',
      query: [],
      headers: { cookie: `key=${secrets.apiKeyAuth}; note="$HOME \`id\` \\"` },
      body: undefined,
      url: 'http://127.0.0.1:4010/x',
    };
    const line = redactor.curlFor(request);
    expect(line).not.toContain(secrets.apiKeyAuth);
    expect(argvOf(line, env)).toContain(`cookie: key=${secrets.apiKeyAuth}; note="$HOME \`id\` \\"`);
  });

  it('leaves out Content-Length (curl computes it)', () => {
    const request = {
      method: 'POST',
      path: '/x',
      query: [],
      headers: { 'content-length': '2' },
      body: '{}',
      url: 'http://127.0.0.1:4010/x',
    };
    expect(redactor.curlFor(request)).not.toContain('content-length');
  });

  // Regression (was a bug): curl.ts:23-28 registers only the raw, base64 and ':'-split forms of a secret, but run.ts builds query
  // strings with URLSearchParams, which percent-encodes. A query apiKey with `+`, `/` or `=` (any base64-ish
  // token) therefore appears percent-encoded in the URL, matches no form, and is printed in clear in every
  // curl line and by `redact`.
  it('a query apiKey with URL-special characters does not leak in its percent-encoded form', async () => {
    const token = 'AbC+dEf/GhI=';
    const creds = parseAuthArguments([`queryKey=${token}`], {});
    const r = createRedactor(secretsOf(creds));
    const request = await validRequest(querySpec, creds);
    const encoded = encodeURIComponent(token);
    expect(request.url).toContain(encoded);
    expect(r.curlFor(request)).not.toContain(encoded);
    expect(r.redact(request.url)).not.toContain(encoded);
  });

  // Regression (was a bug): curl.ts:52 prints `-u "${MCP_CONTRACTS_AUTH_BASIC}"`; when the secret was given as `basic=KEY`
  // (no colon — auth.ts:77 then sends `KEY:`), curl gets `-u KEY` and stops to prompt for a password, so the
  // line does not reproduce the request. The line should carry the `:` the request carried.
  it('basic=KEY without a colon: the -u argument still carries the empty password', async () => {
    const creds = parseAuthArguments(['basic=just-a-key'], {});
    const r = createRedactor(secretsOf(creds));
    const request = await validRequest('stackone', creds);
    const argv = argvOf(r.curlFor(request), { MCP_CONTRACTS_AUTH_BASIC: 'just-a-key' });
    expect(argv[argv.indexOf('-u') + 1]).toBe('just-a-key:');
  });

  // Regression (was a bug): curl.ts:28 also maps each ':'-part of a Basic secret to the Basic variable, and the stable sort at
  // curl.ts:30 lets that part win over an exact secret of equal length. With the README's demo credentials
  // (`basic=demo-key:`, `apiKeyAuth=demo-key`), LangSmith's line reads `x-api-key: ${MCP_CONTRACTS_AUTH_BASIC}`,
  // which expands to `demo-key:` — a key the target rejects.
  it('with the demo credentials, the LangSmith line expands to the key that was sent', async () => {
    const creds = demoCredentials();
    const r = createRedactor(secretsOf(creds));
    const request = await validRequest('langsmith', creds);
    const environment = Object.fromEntries(secretsOf(creds).map((s) => [s.envName, s.value]));
    expect(argvOf(r.curlFor(request), environment)).toContain('x-api-key: demo-key');
  });
});

describe('shellQuote', () => {
  it.each([
    ['a plain word as is', 'http://127.0.0.1:4010/mcp', 'http://127.0.0.1:4010/mcp'],
    ['spaces in single quotes', 'accept: application/json', `'accept: application/json'`],
    ['a single quote closed, escaped and reopened', "it's", `'it'\\''s'`],
  ])('%s', (_name, value, want) => {
    expect(shellQuote(value)).toBe(want);
    expect(argvOf(`curl ${shellQuote(value)}`, {})).toEqual([value]);
  });
});

// Issue 10 item 9: with the README's demo credentials (`bearerAuth=demo-key`, `apiKeyAuth=demo-key`: one value,
// two schemes), LangSmith's line named ${MCP_CONTRACTS_AUTH_BEARERAUTH} for its x-api-key header — the first
// scheme given, not the one that put the key there. Each line must name its own scheme's variable.
describe('curl lines name the variable of the scheme that carries the secret', () => {
  const demo = parseAuthArguments(['basic=demo-key:', 'bearerAuth=demo-key', 'apiKeyAuth=demo-key'], {});
  async function redactorFor(spec: string) {
    const c = await compiled(spec);
    const schemes = [...c.index.securitySchemes.values()];
    return createRedactor(
      secretsOf(demo).map((s) => ({
        ...s,
        carriers: schemes
          .filter(
            (x) =>
              `MCP_CONTRACTS_AUTH_${x.name
                .toLowerCase()
                .replace(/[^a-z0-9]/g, '')
                .toUpperCase()}` === s.envName,
          )
          .flatMap(carriersOf),
      })),
    );
  }
  const ref = (name: string) => ['$', `{${name}}`].join('');

  it.each([
    ['langsmith', 'x-api-key', 'MCP_CONTRACTS_AUTH_APIKEYAUTH'],
    ['smithery', 'authorization', 'MCP_CONTRACTS_AUTH_BEARERAUTH'],
  ])('%s: its %s header reads %s', async (spec, _header, env) => {
    const line = (await redactorFor(spec)).curlFor(await validRequest(spec, demo));
    expect(line).toContain(ref(env));
    for (const other of ['MCP_CONTRACTS_AUTH_APIKEYAUTH', 'MCP_CONTRACTS_AUTH_BEARERAUTH'].filter((e) => e !== env))
      expect(line).not.toContain(ref(other));
  });

  it('without carriers (one value per scheme), the only owner is named as before', async () => {
    const single = parseAuthArguments(['apiKeyAuth=only-key'], {});
    const line = createRedactor(secretsOf(single)).curlFor(await validRequest('langsmith', single));
    expect(line).toContain(ref('MCP_CONTRACTS_AUTH_APIKEYAUTH'));
  });

  it('carriersOf: where each kind of scheme puts its credential', () => {
    const scheme = (over: object) => ({
      name: 'x',
      type: 'http',
      scheme: 'bearer',
      in: undefined,
      paramName: undefined,
      ...over,
    });
    expect(carriersOf(scheme({}))).toEqual(['authorization']);
    expect(carriersOf(scheme({ type: 'apiKey', in: 'header', paramName: 'X-Api-Key' }))).toEqual(['header:x-api-key']);
    expect(carriersOf(scheme({ type: 'apiKey', in: 'query', paramName: 'api_key' }))).toEqual(['query:api_key']);
    expect(carriersOf(scheme({ type: 'apiKey', in: 'cookie', paramName: 'sid' }))).toEqual(['cookie']);
  });
});
