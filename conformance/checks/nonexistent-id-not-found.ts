import { resolveLocalRef } from '../../core/spec.js';
import type { Check, CheckContext } from '../types.js';
import { describeStatus, describesIdempotent, rejectedByJsonRpc } from './util.js';

/** Methods where a fresh id must not "succeed": PUT is left out, since a PUT to a new id may create it. */
const lookupMethods = new Set(['GET', 'HEAD', 'DELETE', 'PATCH', 'POST']);

/**
 * A well-formed id that names nothing is not found: deleting, reading or changing it does not report success.
 * Operations that say they are idempotent (LangSmith: "deleting a non-existent server returns 204") and
 * operations that document neither 404 nor 410 are left alone.
 */
export const nonexistentIdNotFound: Check = {
  id: 'nonexistent-id-not-found',
  description: 'an id that names nothing is answered 404/410 (not success), where the operation documents a 404 or 410',
  applies: ({ exchange }) => {
    const op = exchange.operation;
    if (!exchange.namesNothing || !op || !exchange.response || exchange.preferredStatus !== undefined) return false;
    if (!lookupMethods.has(exchange.request.method)) return false;
    if (describesIdempotent(op.description)) return false;
    return op.responses.some((r) => r.status === '404' || r.status === '410' || r.status === '4XX');
  },
  run(ctx) {
    if (!this.applies(ctx)) return [];
    const { exchange } = ctx;
    const status = exchange.response!.status;
    // A 400 to a request that also varies another parameter (a unicode namespace beside the made-up id) may be
    // about that value: only a request whose one oddity is the made-up id is judged for it.
    const path = exchange.operation?.parameters.filter((p) => p.in === 'path') ?? [];
    const variesTheId = exchange.parameter?.in === 'path' && exchange.parameter.name === path[path.length - 1]?.name;
    const onlyTheId =
      exchange.kind === 'nonexistent-id' || (exchange.kind === 'valid' && (!exchange.parameter || variesTheId));
    if ((status === 400 || status === 422) && onlyTheId) {
      // The id the run made up satisfies its schema. Where the schema pins the id's form (a format, a pattern, an
      // enum, a number) the contract makes it well-formed, so "invalid" is wrong: it must be not found. Where the
      // schema is a bare string, the deployment's ids may have a form the spec does not state: a warning (a
      // failure under --strict) that names the spec fix.
      const pinned = pinnedIdParameter(ctx);
      return [
        {
          severity: pinned || ctx.options.strict ? 'failure' : 'warning',
          expected: `not found (404 or 410): the id was made up for this run, well-formed by its schema${pinned ? ` (${pinned})` : ''}, and names nothing`,
          actual: `${describeStatus(exchange)}: rejected as invalid rather than not found`,
          hint: pinned
            ? undefined
            : "If the deployment's ids have a format the schema does not state, add it (pattern, format) to the spec; otherwise answer 404 for a well-formed id that names nothing.",
        },
      ];
    }
    if (status >= 300) return [];
    if (rejectedByJsonRpc(exchange)) return [];
    return [
      {
        severity: 'failure',
        expected: 'not found (404 or 410): the id was made up for this run and names nothing',
        actual: `${describeStatus(exchange)}: success reported for a resource that does not exist`,
      },
    ];
  },
};

/**
 * `path parameter 'itemId': format uuid` when the parameter naming the resource (the last path parameter, or a
 * required header/query parameter such as a session id) has a schema that pins the form of its values.
 */
function pinnedIdParameter(ctx: CheckContext): string | undefined {
  const op = ctx.exchange.operation;
  if (!op) return undefined;
  const path = op.parameters.filter((p) => p.in === 'path');
  const candidates = [path[path.length - 1], ...op.parameters.filter((p) => p.required && p.in !== 'path')];
  for (const p of candidates) {
    if (!p?.schema) continue;
    const schema = resolveLocalRef<Record<string, unknown>>(ctx.compiled.spec.document, p.schema, '').value ?? {};
    const pins = [
      typeof schema.format === 'string' ? `format ${schema.format}` : undefined,
      typeof schema.pattern === 'string' ? `pattern ${schema.pattern}` : undefined,
      Array.isArray(schema.enum) ? 'an enum' : undefined,
      schema.type === 'integer' || schema.type === 'number' ? `type ${schema.type}` : undefined,
    ].filter(Boolean);
    if (pins.length > 0) return `${p.in} parameter '${p.name}': ${pins.join(', ')}`;
  }
  return undefined;
}
