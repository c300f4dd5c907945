import type { Arbitrary } from 'fast-check';
import type { ParameterSpec } from '../../core/operations.js';
import { resolveLocalRef } from '../../core/spec.js';
import type { CaseResult, Check, CheckContext, CompiledSpec, Exchange, PlannedCase, PlannedRequest } from '../types.js';
import type { OperationPlanner, Variant } from './plan.js';
import { poolMap } from './transport.js';
import { requestProperties } from './values.js';

/**
 * The property-based phase (issue 9, item 14): for each operation that is safe to repeat without consent,
 * fast-check draws unusual but legal values — spaces, `%`, unicode, emoji, `/` (a path segment's `%2F`), very
 * long strings, all within the schema (every draw passes the compiled validator first) — for the string
 * parameters (path, query, header) and the string fields of the body, sends each, and judges the answer with
 * the run's own checks (no 5xx, documented status, content type, schema). A failing input is shrunk by
 * fast-check against the target to a minimal one, bounded in requests and time, then sent once more through
 * the normal checks so that the finding names the shrunk value and the seed that replays it.
 */

/** Examples per operation unless `--max-examples` says otherwise: small, so that `npm start` stays fast. */
export const defaultMaxExamples = 8;
/** Shrinking sends at most this many further requests per operation. */
export const maxShrinkRequests = 40;
/** And takes at most this long per operation (ms). */
export const propertyTimeLimitMs = 15_000;

/** What a property answer is judged by: the checks that hold for any valid request. */
const propertyChecks = new Set([
  'not-a-server-error',
  'status-code-conformance',
  'content-type-conformance',
  'response-schema-conformance',
  'response-headers-conformance',
  'no-content-body',
]);

/** Strings that trip parsers, routers and encoders. */
const tricky = [
  ' ',
  '  ',
  '%',
  '%25',
  '%2F',
  '/',
  'a/b',
  '?',
  '#',
  '&',
  '=',
  '+',
  ';',
  ',',
  '"',
  "'",
  '\\',
  '<>',
  'é',
  'ß',
  '中文',
  '😀',
  '👍🏽',
  'null',
  '0',
  '-1',
  '{}',
];

export interface PropertyPhaseHooks {
  checks: Check[];
  checkOptions: CheckContext['options'];
  seed: number;
  maxExamples: number;
  /** Operations varied at once (each one's examples and shrinking stay in sequence). */
  concurrency: number;
  /** True once the run is told to stop: no further operation starts. */
  stopped?: () => boolean;
  /** Send one request for a case; nothing is recorded. */
  send(c: PlannedCase, request: PlannedRequest): Promise<Exchange>;
  /** Run and record the run's checks on an exchange (findings, applied checks); true when one failed. */
  record(exchange: Exchange, title: string): boolean;
}

/** Only what repeats without consent: reads. */
export function safeToRepeat(planner: OperationPlanner): boolean {
  return (
    (planner.op.method === 'get' || planner.op.method === 'head') &&
    !planner.untouchable &&
    planner.credentialsState === 'valid' &&
    planner.validityGap() === undefined &&
    !planner.linkedParameters.some((p) => !planner.values.has(p))
  );
}

/** fast-check, loaded when a phase runs (it costs start-up time to every run that has nothing to vary). */
type FastCheck = typeof import('fast-check');

interface Field {
  key: string;
  describe: string;
  /**
   * The field's draws: unusual strings that `legal` (its compiled validator) accepts, or `undefined` (the planned
   * value, which is legal) for a draw the validator refuses.
   */
  arbitrary(fc: FastCheck): Arbitrary<string | undefined>;
  parameter?: ParameterSpec;
  bodyField?: string;
}

/** The fields of an operation the phase varies, each with an arbitrary of legal unusual strings. */
export function propertyFields(planner: OperationPlanner): Field[] {
  const { factory } = planner;
  const fields: Field[] = [];
  for (const p of planner.op.parameters) {
    if (p.ignoredByOpenApi || p.in === 'cookie' || planner.linkedParameters.includes(p)) continue;
    if (!isFreeString(planner, p.schema)) continue;
    const legal = (v: string) =>
      factory.parameterViolations(p, v).length === 0 && (p.in !== 'path' || (v !== '' && v !== '.' && v !== '..'));
    fields.push({
      key: `${p.in}.${p.name}`,
      describe: `${p.in} parameter '${p.name}'`,
      arbitrary: (fc) => legalOrPlanned(unusualStrings(fc, p.in === 'header', lengthsOf(planner, p.schema)), legal),
      parameter: p,
    });
  }
  const body = planner.bodyExamples[0];
  const pointer = planner.bodySchemaPointer;
  if (body && pointer && body.value && typeof body.value === 'object' && !Array.isArray(body.value)) {
    const value = body.value as Record<string, unknown>;
    for (const [name, schema] of Object.entries(
      requestProperties(planner.compiled.spec.document, { $ref: `#${pointer}` }),
    )) {
      if (!isFreeString(planner, schema)) continue;
      const legal = (v: string) => factory.bodyViolations(pointer, { ...value, [name]: v }).length === 0;
      fields.push({
        key: `body.${name}`,
        describe: `body field '${name}'`,
        arbitrary: (fc) => legalOrPlanned(unusualStrings(fc, false, lengthsOf(planner, schema)), legal),
        bodyField: name,
      });
    }
  }
  return fields;
}

/**
 * A string a validator refuses becomes `undefined`, "as planned". Never `.filter(legal)`: fast-check redraws a
 * filtered value until one passes, synchronously and without end, so a field whose schema refuses nearly every
 * unusual string (a `not`, an `allOf` elsewhere in the body) would hang the run. A map is bounded by
 * construction, and shrinks the same way.
 */
function legalOrPlanned(arbitrary: Arbitrary<string>, legal: (v: string) => boolean): Arbitrary<string | undefined> {
  return arbitrary.map((v) => (legal(v) ? v : undefined));
}

/**
 * A string schema without enum, const, format or pattern: any string (of a legal length) is legal, so unusual
 * ones must be handled. A pattern says which strings the field takes; unusual strings would almost never match it.
 */
function isFreeString(planner: OperationPlanner, input: unknown): boolean {
  const schema = propertySchema(planner, input);
  if (!schema) return false;
  const type = schema.type;
  const isString = type === 'string' || (Array.isArray(type) && type.includes('string'));
  return isString && !('enum' in schema) && !('const' in schema) && !('format' in schema) && !('pattern' in schema);
}

function propertySchema(planner: OperationPlanner, input: unknown): Record<string, unknown> | undefined {
  if (!input || typeof input !== 'object') return undefined;
  const { value } = resolveLocalRef<Record<string, unknown>>(planner.compiled.spec.document, input, '');
  return value && typeof value === 'object' ? value : undefined;
}

interface Lengths {
  min: number;
  max: number;
}

/** The schema's minLength and maxLength (code points), the longest draw kept at 2,000. */
function lengthsOf(planner: OperationPlanner, input: unknown): Lengths {
  const schema = propertySchema(planner, input);
  const max = Math.min(typeof schema?.maxLength === 'number' ? schema.maxLength : 2000, 2000);
  const min = typeof schema?.minLength === 'number' ? Math.min(schema.minLength, max) : 0;
  return { min, max };
}

/**
 * Unusual strings: pieces of `tricky` and random text joined, or one very long run, within the schema's
 * lengths (a short draw is padded with `x` up to minLength).
 */
function unusualStrings(fc: FastCheck, header: boolean, { min, max }: Lengths): Arbitrary<string> {
  const text = fc.string({ unit: header ? 'grapheme-ascii' : 'grapheme', maxLength: 8 });
  const pieces = header ? tricky.filter((t) => /^[\x20-\x7e]+$/.test(t)) : tricky;
  const pad = (s: string) => {
    const length = [...s].length;
    return length >= min ? s : s + 'x'.repeat(min - length);
  };
  const joined = fc
    .array(fc.oneof(fc.constantFrom(...pieces), text), { minLength: 1, maxLength: 4 })
    .map((a) => pad(a.join('')));
  const shortest = Math.max(min, Math.min(256, max));
  const long = fc.integer({ min: shortest, max: Math.max(shortest, max) }).map((n) => 'x'.repeat(n));
  // Cross-shrinking lets a long value that does not matter shrink into the short ones, down to ' ' or ''.
  return fc.oneof({ withCrossShrink: true }, { arbitrary: joined, weight: 5 }, { arbitrary: long, weight: 1 });
}

type Draw = Record<string, string | undefined>;

function variantFor(planner: OperationPlanner, fields: Field[], values: Draw): Variant {
  const replaceAll = new Map<ParameterSpec, string>();
  let bodyValue: Record<string, unknown> | undefined;
  for (const field of fields) {
    const value = values[field.key];
    if (value === undefined) continue;
    if (field.parameter) replaceAll.set(field.parameter, value);
    else if (field.bodyField) {
      bodyValue ??= { ...(planner.bodyExamples[0]?.value as Record<string, unknown>) };
      bodyValue[field.bodyField] = value;
    }
  }
  const body = planner.bodyExamples[0];
  return {
    replaceAll,
    ...(bodyValue && body ? { body: { kind: 'value' as const, value: bodyValue, contentType: body.contentType } } : {}),
  };
}

/** `query parameter 'q' = "😀", header parameter 'x' = " "`; a field left as planned is not named. */
function describeValues(fields: Field[], values: Draw): string {
  const drawn = fields.filter((f) => values[f.key] !== undefined);
  if (drawn.length === 0) return 'the planned values';
  return drawn.map((f) => `${f.describe} = ${shownValue(values[f.key] as string)}`).join(', ');
}

/** The value as JSON, a long one cut with its length (the curl line of the finding has it whole). */
function shownValue(value: string): string {
  const chars = [...value];
  return chars.length <= 40
    ? JSON.stringify(value)
    : `${JSON.stringify(chars.slice(0, 12).join(''))}… (${chars.length} characters)`;
}

/** What the property checks say of one answer, recorded nowhere; a request without an answer fails too. */
function holds(compiled: CompiledSpec, hooks: PropertyPhaseHooks, exchange: Exchange): boolean {
  if (!exchange.response) return false;
  const ctx: CheckContext = { compiled, exchange, options: hooks.checkOptions };
  return !hooks.checks.some(
    (check) =>
      propertyChecks.has(check.id) && check.applies(ctx) && check.run(ctx).some((o) => o.severity === 'failure'),
  );
}

/**
 * The phase over one spec's planners: one case result per operation it varied, in planner order. Operations run
 * up to `concurrency` at once — each draws from its own fast-check run, seeded alike, so the draws and the result
 * are the same at any concurrency; only reads are varied, so nothing they do can clash.
 */
export async function runPropertyPhase(
  planners: Iterable<OperationPlanner>,
  hooks: PropertyPhaseHooks,
): Promise<CaseResult[]> {
  if (hooks.maxExamples <= 0) return [];
  const work: Array<{ planner: OperationPlanner; fields: Field[] }> = [];
  for (const planner of planners) {
    if (!safeToRepeat(planner)) continue;
    const fields = propertyFields(planner);
    if (fields.length > 0) work.push({ planner, fields });
  }
  const results = await poolMap(
    work,
    hooks.concurrency,
    ({ planner, fields }) => propertyOf(planner, fields, hooks),
    hooks.stopped,
  );
  return results.filter((r): r is CaseResult => r !== undefined);
}

async function propertyOf(planner: OperationPlanner, fields: Field[], hooks: PropertyPhaseHooks): Promise<CaseResult> {
  const fc = await import('fast-check');
  const replay = `--seed ${hooks.seed} --max-examples ${hooks.maxExamples}`;
  const base = planner.caseFor('property', 0, `property-based: ${fields.map((f) => f.describe).join(', ')}`);
  const c: PlannedCase = { ...base, kind: 'property' };
  const statuses: number[] = [];
  const budget = hooks.maxExamples + maxShrinkRequests;
  let sent = 0;
  const arbitrary = fc.record(
    Object.fromEntries(fields.map((f) => [f.key, f.arbitrary(fc)])) as Record<string, Arbitrary<string | undefined>>,
  );
  const property = fc.asyncProperty(arbitrary, async (values) => {
    // Past the budget nothing more is sent: the shrinking stops at the smallest failure found so far.
    if (sent >= budget) return true;
    sent++;
    const exchange = await hooks.send(c, planner.request(variantFor(planner, fields, values)));
    if (exchange.response) statuses.push(exchange.response.status);
    return holds(planner.compiled, hooks, exchange);
  });
  const outcome = await fc.check(property, {
    seed: hooks.seed,
    numRuns: hooks.maxExamples,
    plugins: [fc.interruptAfterTimeLimit(propertyTimeLimitMs)],
  });
  const result: CaseResult = {
    id: c.id,
    specName: c.specName,
    operation: c.label,
    kind: 'property',
    title: `${c.title}: ${outcome.numRuns} example(s) of unusual legal values held (seed ${hooks.seed})`,
    outcome: 'passed',
    statuses: [...new Set(statuses)],
    reason: undefined,
    preferredStatus: undefined,
  };
  if (!outcome.failed || !outcome.counterexample) return result;
  const values = (outcome.counterexample as unknown as [Draw])[0];
  const title = `property-based: ${describeValues(fields, values)} (shrunk in ${outcome.numShrinks} step(s); replay with ${replay})`;
  const exchange = await hooks.send(c, planner.request(variantFor(planner, fields, values)));
  const failed = hooks.record(exchange, title);
  result.title = title;
  if (failed) result.outcome = 'failed';
  else if (!exchange.response) {
    result.outcome = 'errored';
    result.reason = exchange.error ? `${exchange.error.code}: ${exchange.error.message}` : 'no response';
  } else result.reason = 'the shrunk failure did not repeat when sent again';
  return result;
}
