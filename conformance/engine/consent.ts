import type { Operation } from '../../core/operations.js';
import { resolveLocalRef } from '../../core/spec.js';
import type { CompiledSpec } from '../../core/validators.js';

/**
 * Consent: what a request may do to the target's data, decided from the spec before anything is sent.
 *
 * - `safe`: it cannot create, change or delete anything — a GET/HEAD/OPTIONS/TRACE, or a DELETE/PATCH/POST that
 *   names its resource only by a fresh id the run made up (so it names nothing).
 * - `undoable`: it may create something, and the spec says how to delete what it creates: a link from its
 *   success response to a DELETE (StackOne's initialize → `DELETE /mcp`), or a matching DELETE one path segment
 *   deeper (`POST /gists` → `DELETE /gists/{gist_id}`) whose id the success body carries. The run deletes it at
 *   the end — also after an invalid-input probe that the target wrongly accepted.
 * - `needs-consent`: anything else that may act: a POST to a collection with no way back (`POST /user/repos`
 *   creates a repository and the spec's only DELETE for it lives elsewhere), a PUT to a fresh id with no DELETE
 *   on that path, an operation that changes a resource no parameter names (`DELETE /sessions`). Without
 *   `--allow-destructive` nothing at all is sent to such an operation: not the valid request, not the invalid
 *   ones (a target that wrongly accepted one would act), not the credential probes (a target that ignored them
 *   would act).
 */
export type Consent = 'safe' | 'undoable' | 'needs-consent';

/** How to undo what an operation creates: the DELETE to call and where its parameters come from. */
export interface UndoRecipe {
  /** operationId of the DELETE. */
  operationId: string;
  /** Parameter (`path.gist_id`, `header.mcp-session-id`) → runtime expression on the creating exchange. */
  parameters: Record<string, string>;
  /** `link NAME` or `matching DELETE …`, for remarks and the dry run. */
  via: string;
}

export interface OperationConsent {
  consent: Consent;
  /** Why, as a verb phrase after the operation's label: shown by the dry run and in the remark for an operation left out. */
  reason: string;
  /** For `undoable`: every way the spec offers to delete what it creates. */
  undo: UndoRecipe[];
}

const readOnlyMethods = new Set(['get', 'head', 'options', 'trace']);

/**
 * Classify one operation. `namesOnlyFreshIds` is the planner's word that every request it sends to `op` names
 * its resource by a fresh id (DELETE/PATCH/POST on `/things/{id}` without --allow-destructive).
 */
export function classifyOperation(compiled: CompiledSpec, op: Operation, namesOnlyFreshIds: boolean): OperationConsent {
  if (readOnlyMethods.has(op.method)) return { consent: 'safe', reason: 'only reads', undo: [] };
  const undo = undoRecipes(compiled, op);
  // PUT to a fresh id may create the resource at that id: it is safe only where the spec can delete it again.
  if (namesOnlyFreshIds && op.method !== 'put') {
    return {
      consent: 'safe',
      reason: 'names its resource only by a fresh id the run made up, so it names nothing that exists',
      undo,
    };
  }
  // A PUT to an id the run did not make up replaces what is there: a DELETE afterwards does not bring it back.
  if (undo.length > 0 && (op.method !== 'put' || namesOnlyFreshIds)) {
    return {
      consent: 'undoable',
      reason: `may create data, which the run deletes at the end through ${undo.map((u) => u.via).join(' or ')}`,
      undo,
    };
  }
  return {
    consent: 'needs-consent',
    reason:
      op.method === 'post'
        ? 'may create data, and the spec offers no link or matching DELETE to undo it'
        : op.method === 'put' && namesOnlyFreshIds
          ? 'may create a resource at the id it names, and the spec has no DELETE on that path to undo it'
          : 'changes a resource that no parameter names, so no request can be pointed away from real data',
    undo: [],
  };
}

function undoRecipes(compiled: CompiledSpec, op: Operation): UndoRecipe[] {
  const out: UndoRecipe[] = [];
  for (const response of op.responses) {
    if (!response.status.startsWith('2')) continue;
    for (const link of response.links) {
      const target = link.operationId ? compiled.index.byId.get(link.operationId) : undefined;
      if (target?.method !== 'delete') continue;
      out.push({ operationId: target.operationId, parameters: link.parameters, via: `link ${link.name}` });
    }
  }
  if (out.length > 0) return out;
  const matching = matchingDelete(compiled, op);
  if (matching) out.push(matching);
  return out;
}

/**
 * `POST /gists` → `DELETE /gists/{gist_id}`, with `gist_id` read from the success body's `gist_id`, `gistId` or
 * `id`; `PUT /things/{id}` → `DELETE /things/{id}` with the id it was sent to. Undefined when the spec gives no
 * such DELETE, or no body property to read its id from: then nothing the run creates could be found again.
 */
function matchingDelete(compiled: CompiledSpec, op: Operation): UndoRecipe | undefined {
  if (op.method === 'put') {
    const del = compiled.operations.find((o) => o.method === 'delete' && o.path === op.path);
    if (!del) return undefined;
    const parameters: Record<string, string> = {};
    for (const p of del.parameters.filter((q) => q.in === 'path'))
      parameters[`path.${p.name}`] = `$request.path.${p.name}`;
    return { operationId: del.operationId, parameters, via: `matching DELETE ${del.path}` };
  }
  if (op.method !== 'post') return undefined;
  const prefix = `${op.path.replace(/\/+$/, '')}/`;
  for (const del of compiled.operations) {
    if (del.method !== 'delete' || !del.path.startsWith(prefix)) continue;
    const rest = del.path.slice(prefix.length);
    const param = /^\{([^}/]+)\}$/.exec(rest)?.[1];
    if (!param) continue;
    const property = idPropertyFor(compiled, op, param);
    if (!property) continue;
    // The DELETE's other path parameters are the POST's own (`/repos/{owner}/{repo}/hooks/{hook_id}`).
    const parameters: Record<string, string> = { [`path.${param}`]: `$response.body#/${property}` };
    for (const p of del.parameters.filter((q) => q.in === 'path' && q.name !== param))
      parameters[`path.${p.name}`] = `$request.path.${p.name}`;
    return { operationId: del.operationId, parameters, via: `matching DELETE ${del.path}` };
  }
  return undefined;
}

/** The property of the success body that carries the new resource's id, by the DELETE's parameter name. */
function idPropertyFor(compiled: CompiledSpec, op: Operation, param: string): string | undefined {
  const camel = param.replace(/[_-]([a-z])/g, (_, c: string) => c.toUpperCase());
  // `gist_id`/`petId` may be the body's `id`; `codespace_name` may not (the body's `id` is another key, and a
  // DELETE with it would miss what was created, leaving it behind).
  const candidates = [param, camel, ...(/(^|[-_])id$|[a-z]Id$/.test(param) ? ['id'] : [])];
  for (const response of op.responses) {
    if (!response.status.startsWith('2')) continue;
    for (const media of response.content) {
      if (!media.schemaPointer) continue;
      const props = propertiesOf(compiled.spec.document, { $ref: `#${media.schemaPointer}` }, 0);
      const hit = candidates.find((c) => props.has(c));
      if (hit) return hit;
    }
  }
  return undefined;
}

function propertiesOf(document: unknown, input: unknown, depth: number): Set<string> {
  const out = new Set<string>();
  if (depth > 6 || !input || typeof input !== 'object') return out;
  const schema = resolveLocalRef<Record<string, unknown>>(document, input, '').value;
  if (!schema || typeof schema !== 'object') return out;
  if (schema.properties && typeof schema.properties === 'object')
    for (const k of Object.keys(schema.properties)) out.add(k);
  for (const key of ['allOf', 'oneOf', 'anyOf'] as const) {
    const parts = schema[key];
    if (Array.isArray(parts)) for (const p of parts) for (const k of propertiesOf(document, p, depth + 1)) out.add(k);
  }
  return out;
}
