import { escapeSegment } from '../../core/json-pointer.js';
import type { BreakingRuleId } from './rules.js';
import type { ViewPair } from './schema.js';
import { canonical, sameValue } from './values.js';

/**
 * The value constraints of a schema: length, size and range bounds, `pattern`, `multipleOf`, `default` and
 * the `discriminator`. Each is compared in the direction of the wire: a request that became stricter rejects
 * clients, a response that became looser surprises them.
 *
 * Patterns are compared as text and never compiled: a spec may be written for another regex dialect (`[\w-./:]`
 * is valid in most of them and not in JavaScript's `u` mode), and that must never stop a comparison.
 */

export interface Bound {
  value: number;
  exclusive: boolean;
  pointer: string;
}

type BoundKey =
  | 'maxLength'
  | 'minLength'
  | 'maxItems'
  | 'minItems'
  | 'maximum'
  | 'minimum'
  | 'maxProperties'
  | 'minProperties';

/** `additionalProperties`: absent or `true` (open), a schema, or `false` (closed), from loosest to strictest. */
export type Additional = 'open' | 'schema' | 'closed';
const additionalOrder: Additional[] = ['open', 'schema', 'closed'];

export interface Constraints {
  bounds: Partial<Record<BoundKey, Bound>>;
  /** Every pattern that applies (allOf members add theirs), as written. */
  patterns: Array<{ pattern: string; pointer: string }>;
  multipleOf: { value: number; pointer: string } | undefined;
  default: { value: unknown; pointer: string } | undefined;
  discriminator: { propertyName: string; mapping: Record<string, string>; pointer: string } | undefined;
  /** Where `uniqueItems: true` is written, if it is. */
  uniqueItems: string | undefined;
  additional: { state: Additional; pointer: string };
}

interface BoundRule {
  key: BoundKey;
  /** An upper bound is tighter when lower, a lower bound when higher. */
  upper: boolean;
  request: BreakingRuleId;
  /** Absent where oasdiff does not rate the loosening of a response (min/maxProperties). */
  response?: BreakingRuleId;
}

const boundRules: BoundRule[] = [
  { key: 'maxLength', upper: true, request: 'request-max-length-decreased', response: 'response-max-length-increased' },
  {
    key: 'minLength',
    upper: false,
    request: 'request-min-length-increased',
    response: 'response-min-length-decreased',
  },
  { key: 'maxItems', upper: true, request: 'request-max-items-decreased', response: 'response-max-items-increased' },
  { key: 'minItems', upper: false, request: 'request-min-items-increased', response: 'response-min-items-decreased' },
  { key: 'maximum', upper: true, request: 'request-maximum-decreased', response: 'response-maximum-increased' },
  { key: 'minimum', upper: false, request: 'request-minimum-increased', response: 'response-minimum-decreased' },
  { key: 'maxProperties', upper: true, request: 'request-schema-constraint-added' },
  { key: 'minProperties', upper: false, request: 'request-schema-constraint-added' },
];

const isNumber = (value: unknown): value is number => typeof value === 'number' && Number.isFinite(value);

/**
 * `maximum` with OpenAPI 3.0's boolean `exclusiveMaximum`, or 3.1's numeric `exclusiveMaximum`: whichever
 * is tighter when both are given.
 */
function numericBound(schema: Record<string, unknown>, pointer: string, upper: boolean): Bound | undefined {
  const [key, exclusiveKey] = upper ? ['maximum', 'exclusiveMaximum'] : ['minimum', 'exclusiveMinimum'];
  const plain = schema[key];
  const exclusive = schema[exclusiveKey];
  const candidates: Bound[] = [];
  if (isNumber(plain)) candidates.push({ value: plain, exclusive: exclusive === true, pointer: `${pointer}/${key}` });
  if (isNumber(exclusive))
    candidates.push({ value: exclusive, exclusive: true, pointer: `${pointer}/${exclusiveKey}` });
  return candidates.reduce<Bound | undefined>((a, b) => (a === undefined || tighter(b, a, upper) ? b : a), undefined);
}

/** Is `a` stricter than `b`? An absent bound is no bound at all. */
function tighter(a: Bound | undefined, b: Bound | undefined, upper: boolean): boolean {
  if (!a) return false;
  if (!b) return true;
  if (a.value !== b.value) return upper ? a.value < b.value : a.value > b.value;
  return a.exclusive && !b.exclusive;
}

export function constraintsOf(schema: Record<string, unknown>, pointer: string): Constraints {
  const bounds: Constraints['bounds'] = {};
  for (const key of ['maxLength', 'minLength', 'maxItems', 'minItems', 'maxProperties', 'minProperties'] as const) {
    const value = schema[key];
    if (isNumber(value)) bounds[key] = { value, exclusive: false, pointer: `${pointer}/${key}` };
  }
  const maximum = numericBound(schema, pointer, true);
  const minimum = numericBound(schema, pointer, false);
  if (maximum) bounds.maximum = maximum;
  if (minimum) bounds.minimum = minimum;
  const discriminator = schema.discriminator;
  const additional = schema.additionalProperties;
  return {
    uniqueItems: schema.uniqueItems === true ? `${pointer}/uniqueItems` : undefined,
    additional: {
      state: additional === false ? 'closed' : additional && typeof additional === 'object' ? 'schema' : 'open',
      pointer: `${pointer}/additionalProperties`,
    },
    bounds,
    patterns: typeof schema.pattern === 'string' ? [{ pattern: schema.pattern, pointer: `${pointer}/pattern` }] : [],
    multipleOf:
      isNumber(schema.multipleOf) && schema.multipleOf > 0
        ? { value: schema.multipleOf, pointer: `${pointer}/multipleOf` }
        : undefined,
    default: 'default' in schema ? { value: schema.default, pointer: `${pointer}/default` } : undefined,
    discriminator:
      discriminator &&
      typeof discriminator === 'object' &&
      typeof (discriminator as { propertyName?: unknown }).propertyName === 'string'
        ? {
            propertyName: (discriminator as { propertyName: string }).propertyName,
            mapping: Object.fromEntries(
              Object.entries(((discriminator as { mapping?: unknown }).mapping ?? {}) as Record<string, unknown>).map(
                ([k, v]) => [k, String(v)],
              ),
            ),
            pointer: `${pointer}/discriminator`,
          }
        : undefined,
  };
}

/** `allOf`: every member's constraint applies, so the strictest bound wins and patterns add up. */
export function mergeConstraints(a: Constraints, b: Constraints): Constraints {
  const bounds: Constraints['bounds'] = { ...a.bounds };
  for (const { key, upper } of boundRules) {
    const other = b.bounds[key];
    if (other && tighter(other, bounds[key], upper)) bounds[key] = other;
  }
  return {
    bounds,
    patterns: [...a.patterns, ...b.patterns.filter((p) => !a.patterns.some((q) => q.pattern === p.pattern))],
    multipleOf: a.multipleOf ?? b.multipleOf,
    default: a.default ?? b.default,
    discriminator: a.discriminator ?? b.discriminator,
    uniqueItems: a.uniqueItems ?? b.uniqueItems,
    additional:
      additionalOrder.indexOf(b.additional.state) > additionalOrder.indexOf(a.additional.state)
        ? b.additional
        : a.additional,
  };
}

const describeBound = (bound: Bound | undefined, upper: boolean): string =>
  bound ? `${upper ? (bound.exclusive ? '<' : '≤') : bound.exclusive ? '>' : '≥'} ${bound.value}` : 'none';

export function compareConstraints(pair: ViewPair): void {
  compareBounds(pair);
  comparePatterns(pair);
  compareMultipleOf(pair);
  compareDefault(pair);
  compareDiscriminator(pair);
  compareClosure(pair);
}

function compareBounds({ cmp, direction, old, now, label }: ViewPair): void {
  for (const { key, upper, request, response } of boundRules) {
    const before = old.constraints.bounds[key];
    const after = now.constraints.bounds[key];
    // A request breaks when it got stricter, a response when it got looser.
    const broke = direction === 'request' ? tighter(after, before, upper) : tighter(before, after, upper);
    const rule = direction === 'request' ? request : response;
    if (!broke || !rule) continue;
    cmp.add(
      rule,
      'new',
      after?.pointer ?? now.pointer,
      `'${label}' ${key} was ${describeBound(before, upper)}, is now ${describeBound(after, upper)}`,
    );
  }
}

function comparePatterns({ cmp, direction, old, now, label }: ViewPair): void {
  const before = old.constraints.patterns;
  const after = now.constraints.patterns;
  if (direction === 'request') {
    const added = after.filter((p) => !before.some((q) => q.pattern === p.pattern));
    for (const pattern of added) {
      cmp.add(
        before.length === 0 ? 'request-pattern-added' : 'request-pattern-changed',
        'new',
        pattern.pointer,
        before.length === 0
          ? `'${label}' must now match the pattern ${pattern.pattern}`
          : `'${label}' pattern changed from ${before.map((p) => p.pattern).join(' and ')} to ${pattern.pattern}`,
      );
    }
    return;
  }
  const dropped = before.filter((p) => !after.some((q) => q.pattern === p.pattern));
  for (const pattern of dropped) {
    cmp.add(
      'response-pattern-changed',
      'new',
      after[0]?.pointer ?? now.pointer,
      after.length === 0
        ? `'${label}' no longer promises the pattern ${pattern.pattern}`
        : `'${label}' pattern changed from ${pattern.pattern} to ${after.map((p) => p.pattern).join(' and ')}`,
    );
  }
}

/** Is every multiple of `a` a multiple of `b`? (`a` a multiple of `b`, within float noise.) */
function dividesInto(a: number, b: number): boolean {
  const ratio = a / b;
  return Math.abs(ratio - Math.round(ratio)) < 1e-9;
}

function compareMultipleOf({ cmp, direction, old, now, label }: ViewPair): void {
  if (direction !== 'request') return;
  const before = old.constraints.multipleOf;
  const after = now.constraints.multipleOf;
  if (!after || (before && dividesInto(before.value, after.value))) return;
  cmp.add(
    'request-multiple-of-changed',
    'new',
    after.pointer,
    before
      ? `'${label}' must now be a multiple of ${after.value}, was a multiple of ${before.value}`
      : `'${label}' must now be a multiple of ${after.value}`,
  );
}

function compareDefault({ cmp, direction, old, now, label }: ViewPair): void {
  if (direction !== 'request') return;
  const before = old.constraints.default;
  const after = now.constraints.default;
  if (!before || (after && sameValue(before.value, after.value))) return;
  cmp.add(
    'request-default-changed',
    'new',
    after?.pointer ?? now.pointer,
    after
      ? `'${label}' default changed from ${canonical(before.value)} to ${canonical(after.value)}`
      : `'${label}' no longer defaults to ${canonical(before.value)}`,
  );
}

function compareDiscriminator({ cmp, direction, old, now, label }: ViewPair): void {
  const before = old.constraints.discriminator;
  const after = now.constraints.discriminator;
  if (!before || !after) return;
  if (before.propertyName !== after.propertyName) {
    cmp.add(
      'discriminator-property-changed',
      'new',
      `${after.pointer}/propertyName`,
      `'${label}' discriminator reads '${after.propertyName}', was '${before.propertyName}'`,
    );
    return;
  }
  const mappingPointer = (key: string, at: string) => `${at}/mapping/${escapeSegment(key)}`;
  for (const [key, target] of Object.entries(before.mapping)) {
    const now = after.mapping[key];
    if (now === undefined) {
      if (direction === 'request')
        cmp.add(
          'request-discriminator-mapping-removed',
          'old',
          mappingPointer(key, before.pointer),
          `'${label}' discriminator no longer accepts '${key}'`,
        );
    } else if (now !== target) {
      cmp.add(
        'discriminator-mapping-changed',
        'new',
        mappingPointer(key, after.pointer),
        `'${label}' discriminator value '${key}' maps to ${now}, was ${target}`,
      );
    }
  }
  if (direction === 'response') {
    for (const key of Object.keys(after.mapping)) {
      if (!(key in before.mapping))
        cmp.add(
          'response-discriminator-mapping-added',
          'new',
          mappingPointer(key, after.pointer),
          `'${label}' discriminator may now be '${key}'`,
        );
    }
  }
}

/**
 * `uniqueItems` added, and `additionalProperties` narrowed (open → a schema → `false`): a request that
 * clients sent before may now be rejected. (A schema that stays a schema is compared as a schema.)
 */
function compareClosure({ cmp, direction, old, now, label }: ViewPair): void {
  if (direction !== 'request') return;
  if (now.constraints.uniqueItems && !old.constraints.uniqueItems)
    cmp.add(
      'request-schema-constraint-added',
      'new',
      now.constraints.uniqueItems,
      `'${label}' uniqueItems added: arrays with repeated items are now rejected`,
    );
  const before = old.constraints.additional.state;
  const after = now.constraints.additional;
  if (additionalOrder.indexOf(after.state) > additionalOrder.indexOf(before))
    cmp.add(
      'request-schema-constraint-added',
      'new',
      after.pointer,
      after.state === 'closed'
        ? `'${label}' additionalProperties is now false: properties the schema does not list are rejected`
        : `'${label}' additionalProperties now restricts properties the schema does not list (was any value)`,
    );
}
