import { mkdtempSync, readFileSync } from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { Ajv } from 'ajv';
import draft6 from 'ajv/dist/refs/json-schema-draft-06.json' with { type: 'json' };
import addFormatsImport from 'ajv-formats';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ConformanceResult } from '../../conformance/types.js';
import { fromRoot } from '../../core/paths.js';
import { type CliRun, runCli } from './cli.js';

/**
 * Issue 10 items 6, 7 and 13 with the built CLI: the JSON report held to its shipped JSON Schema, the HAR archive
 * held to the HAR 1.2 schema (ahmadnassri/har-schema, what har-validator uses), and a hostile target — escape
 * sequences, an OSC 52 clipboard write, NUL bytes, a gzip body — that drives neither the terminal nor any report.
 */
const addFormats = ((addFormatsImport as unknown as { default?: typeof addFormatsImport }).default ??
  addFormatsImport) as unknown as (ajv: Ajv) => Ajv;
const dir = mkdtempSync(join(tmpdir(), 'mcpc-report-formats-'));
const closers: Array<() => Promise<void>> = [];
afterAll(async () => {
  await Promise.all(closers.splice(0).map((c) => c()));
});

/** A throwaway target on 127.0.0.1:0 answering every request with `status` and `body`. */
async function target(status: number, body: Buffer, headers: Record<string, string>): Promise<string> {
  const server = http.createServer((req, res) => {
    req.resume();
    res.writeHead(status, { ...headers, 'content-length': String(body.length) });
    res.end(body);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  closers.push(
    () =>
      new Promise((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  );
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}

const fake = '\u001b[2J\u001b[HALL PASSED\u001b]52;c;ZXZpbA==\u0007\u0000\u0000 \u009b31m \u202eevil';
const gzip = gzipSync(Buffer.from(Array.from({ length: 5000 }, (_, i) => String.fromCharCode(i % 256)).join('')));

async function conform(name: string, url: string): Promise<{ run: CliRun; files: Record<string, string> }> {
  const files = Object.fromEntries(['json', 'xml', 'html', 'har'].map((ext) => [ext, join(dir, `${name}.${ext}`)]));
  const run = await runCli(
    [
      'conformance',
      '--target',
      url,
      '--spec',
      'langsmith',
      '--auth',
      'apiKeyAuth=s3cret-key-value',
      '--report',
      `json=${files.json}`,
      '--report',
      `junit=${files.xml}`,
      '--report',
      `html=${files.html}`,
      '--report',
      `har=${files.har}`,
    ],
    { timeoutMs: 60_000 },
  );
  return { run, files: Object.fromEntries(Object.entries(files).map(([k, f]) => [k, readFileSync(f!, 'utf8')])) };
}

// biome-ignore lint/suspicious/noControlCharactersInRegex: the point is that none of these reach an output.
const raw = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f-\u009f\u202e]/;

let hostile: { run: CliRun; files: Record<string, string> };
let binary: { run: CliRun; files: Record<string, string> };
beforeAll(async () => {
  // A documented status with a JSON content type and a body that is not JSON: the finding quotes the body.
  hostile = await conform('hostile', await target(400, Buffer.from(fake), { 'content-type': 'application/json' }));
  binary = await conform('binary', await target(400, gzip, { 'content-type': 'application/json' }));
}, 120_000);

describe('target bytes never drive the terminal (item 13)', () => {
  it('prints the escape sequences, NULs, C1 and bidi controls as visible text, and exits 1 for the failures', () => {
    expect(hostile.run.code, hostile.run.stderr).toBe(1);
    expect(hostile.run.stdout).not.toMatch(raw);
    expect(hostile.run.stderr).not.toMatch(raw);
    expect(hostile.run.stdout).toContain('\\x1b[2J\\x1b[HALL PASSED\\x1b]52;c;ZXZpbA==\\x07\\x00\\x00');
    expect(hostile.run.stdout).toMatch(/^FAILED: /m);
  });

  it('writes every report with the control characters visible (JSON and HAR escape them)', () => {
    for (const ext of ['json', 'xml', 'html', 'har']) expect(hostile.files[ext], ext).not.toMatch(raw);
    expect(hostile.files.html).toContain('\\x1b[2J\\x1b[HALL PASSED');
    expect(hostile.files.xml).toContain('\\x1b[2J\\x1b[HALL PASSED');
    // The JSON keeps the bytes as data, escaped: parsed back, they are what the target sent.
    const json = JSON.parse(hostile.files.json!) as ConformanceResult;
    expect(json.exchanges.some((e) => e.response?.body === fake)).toBe(true);
  });

  it('summarises a binary body instead of dumping it, in the terminal and the reports', () => {
    expect(binary.run.code).toBe(1);
    expect(binary.run.stdout).not.toMatch(raw);
    expect(binary.run.stdout).toMatch(/‹binary data: \d+ characters not shown›/);
    expect(binary.files.html).toMatch(/‹binary body: \d+ bytes, application\/json — not shown›/);
    expect(binary.files.html).not.toMatch(raw);
    expect(binary.files.xml).not.toMatch(raw);
  });

  it('keeps the secret out of every output', () => {
    for (const text of [hostile.run.stdout, ...Object.values(hostile.files)])
      expect(text).not.toContain('s3cret-key-value');
  });
});

describe('the JSON report and its shipped JSON Schema (item 6)', () => {
  const schema = JSON.parse(readFileSync(fromRoot('schemas/report.schema.json'), 'utf8')) as object;
  const validate = addFormats(new Ajv({ allErrors: true, strict: false })).compile(schema);

  it('holds the reports of a failing and a binary run, each finding pointing at its exchange', () => {
    for (const text of [hostile.files.json!, binary.files.json!]) {
      const report = JSON.parse(text) as ConformanceResult & { formatVersion: number };
      expect(validate(report), JSON.stringify(validate.errors?.slice(0, 3))).toBe(true);
      expect(report.formatVersion).toBe(1);
      const withExchange = report.findings.filter((f) => f.exchange !== undefined);
      expect(withExchange.length).toBe(report.findings.length);
      for (const f of withExchange) expect(report.exchanges[f.exchange!]!.caseId).toBe(f.caseId);
      expect(report.exchanges.every((e) => !JSON.stringify(e).includes('s3cret'))).toBe(true);
    }
  });

  it('rejects a report without a verdict, or with a verdict that is not one of the four', () => {
    const report = JSON.parse(hostile.files.json!) as Record<string, unknown>;
    const { verdict: _verdict, ...without } = report;
    expect(validate(without)).toBe(false);
    expect(validate({ ...report, verdict: { status: 'green', reason: 'x' } })).toBe(false);
  });
});

describe('--report har=FILE (item 7)', () => {
  const fixture = JSON.parse(readFileSync(fromRoot('conformance/reporters/fixtures/har-schema.json'), 'utf8')) as {
    schemas: Record<string, object>;
  };
  const ajv = addFormats(new Ajv({ allErrors: true, strict: false }));
  ajv.addMetaSchema(draft6);
  for (const schema of Object.values(fixture.schemas)) ajv.addSchema(schema);
  const validate = ajv.getSchema('har.json#')!;
  interface Har {
    log: {
      entries: Array<{
        request: { headers: Array<{ name: string; value: string }> };
        response: { content: { text?: string; comment?: string } };
      }>;
    };
  }

  it('the HAR schema rejects an archive that breaks it', () => {
    expect(validate({ log: { version: '1.2', creator: { name: 'x', version: '1' }, entries: [{ time: 1 }] } })).toBe(
      false,
    );
  });

  it('is a valid HAR 1.2 archive of every exchange judged, redacted, binary bodies left out', () => {
    for (const run of [hostile, binary]) {
      const har = JSON.parse(run.files.har!) as Har;
      expect(validate(har), JSON.stringify(validate.errors?.slice(0, 3))).toBe(true);
      const json = JSON.parse(run.files.json!) as ConformanceResult;
      expect(har.log.entries).toHaveLength(json.exchanges.length);
    }
    const entries = (JSON.parse(binary.files.har!) as Har).log.entries;
    expect(entries[0]!.response.content.text).toBeUndefined();
    expect(entries[0]!.response.content.comment).toMatch(/^binary body of \d+ bytes, not kept$/);
    const sent = entries.find((e) => e.request.headers.some((h) => h.name === 'x-api-key'));
    expect(sent!.request.headers.find((h) => h.name === 'x-api-key')!.value).toBe('***');
  });
});
