import { encodeBody, preferredRequestMedia } from '../../core/media-encoding.js';
import { fillPathTemplate, type Operation, type ParameterSpec } from '../../core/operations.js';
import { resolveLocalRef } from '../../core/spec.js';
import { type CompiledSpec, formatViolations } from '../../core/validators.js';
import type { CaseKind, LifecycleStep, LinkBinding, PlannedCase, PlannedRequest } from '../types.js';
import {
  applyAuth,
  type Credentials,
  chooseAlternative,
  definedSchemes,
  satisfiableAlternatives,
  wrongCredential,
} from './auth.js';
import { generatedCases } from './cases/index.js';
import { classifyOperation, type OperationConsent } from './consent.js';
import {
  createRandom,
  invalidBody,
  invalidParameterValues,
  nonexistentValue,
  type Produced,
  queryPairs,
  type Random,
  ValueFactory,
} from './values.js';

/**
 * The planner: for every operation, the cases of PRODUCT.md "What conformance means", as concrete requests.
 * Deterministic for a seed. Safety is decided here: without `allowDestructive`, a DELETE/PUT/PATCH never
 * names a resource the run did not create — its resource id is always a fresh value that names nothing.
 */

export interface PlanOptions {
  credentials: Credentials;
  /** `name`, `in.name` (e.g. `path.namespace`) → value. */
  params: Map<string, string>;
  allowDestructive: boolean;
  seed: number;
}

export interface SpecPlan {
  compiled: CompiledSpec;
  cases: PlannedCase[];
  remarks: string[];
  usedParams: Set<string>;
  /** One planner per included operation: the Prefer phase and cleanup build their requests with it. */
  planners: Map<Operation, OperationPlanner>;
}

const unsafeMethods = new Set(['delete', 'put', 'patch']);

/**
 * Does a request with this method act on an existing resource? DELETE, PUT and PATCH do; so does a POST to a
 * path that names one (`POST /orders/{id}/cancel`). A POST to a collection or an RPC endpoint creates.
 */
export function actsOnResource(method: string, op: Operation): boolean {
  return unsafeMethods.has(method) || (method === 'post' && op.parameters.some((p) => p.in === 'path'));
}
const jsonMediaType = (m: string) => m === 'application/json' || m.endsWith('+json');

function isEnumerated(document: unknown, p: ParameterSpec): boolean {
  const schema =
    p.schema && typeof p.schema.$ref === 'string'
      ? resolveLocalRef<Record<string, unknown>>(document, p.schema, '').value
      : p.schema;
  return !!schema && ('enum' in schema || 'const' in schema);
}

interface ValueChoice {
  value: string;
  source: 'param' | 'example' | 'schema' | 'nonexistent';
}

export interface Variant {
  auth?: 'valid' | 'none' | { wrong: number };
  omit?: ParameterSpec;
  replace?: { parameter: ParameterSpec; value: string };
  /** Values in place of the planned ones for several parameters (the ids of an unsafe probe). */
  replaceAll?: Map<ParameterSpec, string>;
  body?:
    | { kind: 'value'; value: unknown; contentType: string }
    | { kind: 'raw'; text: string; contentType: string }
    | { kind: 'none' };
  method?: string;
  extraHeaders?: Record<string, string>;
}

export class OperationPlanner {
  readonly values = new Map<ParameterSpec, ValueChoice>();
  readonly bodyExamples: Array<{ name: string; value: unknown; contentType: string }> = [];
  /** Documented body examples that break their own schema: never sent as valid (a skipped case says why). */
  readonly invalidBodyExamples: Array<{ name: string; reason: string }> = [];
  /** Schema of the body the valid cases send (the media type of `bodyExamples`). */
  readonly bodySchemaPointer: string | undefined;
  /** Validates every value sent as valid, with the compiled validators of the spec. */
  readonly factory: ValueFactory;
  /** Parameters for which no valid value could be made, and why: valid cases that need them are skipped. */
  readonly unavailable = new Map<ParameterSpec, string>();
  /** Why no valid body could be made, when none could. */
  readonly bodyUnavailable: string | undefined;
  readonly credentialsState: PlannedCase['credentials'];
  readonly secured: boolean;
  /** The parameters that name the resource a DELETE/PUT/PATCH acts on. */
  readonly resourceParameters: ParameterSpec[];
  /**
   * True when, without --allow-destructive, nothing at all may be sent to the operation: it may create, change or
   * delete data and the spec gives no way to undo it (engine/consent.ts) — `DELETE /sessions`, `PUT /settings`,
   * `POST /user/repos`. Its invalid-input and credential probes are left out too: a target that wrongly accepted
   * one would act on real data.
   */
  readonly untouchable: boolean;
  /** What requests to this operation may do to the target's data, and how to undo what they create. */
  readonly consent: OperationConsent;
  /** Its own success links back to it (initialize → later POST /mcp): its creating body needs no context. */
  readonly createsOwnContext: boolean;
  /** Parameters that links from other responses fill in (`header.mcp-session-id`): the operation's context. */
  readonly linkedParameters: ParameterSpec[];
  private readonly alternative;

  constructor(
    readonly compiled: CompiledSpec,
    readonly op: Operation,
    readonly options: PlanOptions,
    private readonly random: Random,
    readonly remarks: string[],
    usedParams: Set<string>,
  ) {
    const document = compiled.spec.document;
    this.factory = new ValueFactory(compiled, random);
    const choose = (p: ParameterSpec, produced: Produced): void => {
      if (produced.ok) this.values.set(p, { value: produced.value, source: produced.source });
      else {
        this.unavailable.set(p, produced.reason);
        this.values.set(p, { value: nonexistentValue(document, p.schema, random), source: 'nonexistent' });
      }
    };
    const unsafe = actsOnResource(op.method, op) && !options.allowDestructive;
    const pathParams = op.parameters.filter((p) => p.in === 'path');
    const resourceId = pathParams[pathParams.length - 1];
    // What names the resource an unsafe request acts on: the last path parameter, and any required header or
    // query parameter (StackOne's mcp-session-id).
    this.resourceParameters = op.parameters.filter(
      (p) => !p.ignoredByOpenApi && (p === resourceId || (p.required && p.in !== 'path')),
    );
    for (const p of op.parameters) {
      if (p.ignoredByOpenApi) continue;
      const given = options.params.get(`${p.in}.${p.name}`) ?? options.params.get(p.name);
      const key = options.params.has(`${p.in}.${p.name}`) ? `${p.in}.${p.name}` : p.name;
      const protectedId = unsafe && this.resourceParameters.includes(p);
      if (given !== undefined && !protectedId) {
        this.values.set(p, { value: given, source: 'param' });
        usedParams.add(key);
      } else if (given !== undefined && protectedId) {
        usedParams.add(key);
        remarks.push(
          `--param ${key} is not used for ${op.label}: the run never deletes or changes a resource it did not create itself (pass --allow-destructive to use it)`,
        );
        choose(p, this.factory.freshParameter(p));
      } else if (protectedId) {
        choose(p, this.factory.freshParameter(p));
      } else if (p.required && p.in === 'path' && p.examples.length === 0 && !isEnumerated(document, p)) {
        // A path id made up from the schema would be a fixed word; a fresh value is just as valid and names nothing.
        const fresh = this.factory.freshParameter(p);
        choose(p, fresh.ok ? fresh : this.factory.validParameter(p));
      } else if (p.required) {
        choose(p, this.factory.validParameter(p));
      }
    }
    const media = preferredRequestMedia(op.requestBody?.content ?? []);
    this.bodySchemaPointer = media?.schemaPointer;
    if (media) {
      for (const example of media.examples) {
        const violations = this.factory.bodyViolations(media.schemaPointer, example.value);
        if (violations.length === 0)
          this.bodyExamples.push({ name: example.name, value: example.value, contentType: media.mediaType });
        else
          this.invalidBodyExamples.push({
            name: example.name,
            reason: `the spec's body example '${example.name}' breaks its own schema (${formatViolations(violations).slice(0, 3).join('; ')}): a spec defect, not sent as valid`,
          });
      }
      if (this.bodyExamples.length === 0) {
        const produced = this.factory.validBody(media.schemaPointer);
        if (produced.ok)
          this.bodyExamples.push({ name: 'from schema', value: produced.value, contentType: media.mediaType });
        else this.bodyUnavailable = produced.reason;
      }
    }
    this.secured = op.security.length > 0 && op.security.every((alt) => alt.length > 0);
    this.alternative = chooseAlternative(op.security, options.credentials);
    this.credentialsState = !this.secured || this.alternative ? 'valid' : 'unavailable';
    this.linkedParameters = linkedParametersOf(compiled, op);
    this.createsOwnContext = op.responses.some(
      (r) => r.status.startsWith('2') && r.links.some((l) => l.operationId === op.operationId),
    );
    const namesOnlyFreshIds =
      actsOnResource(op.method, op) &&
      this.resourceParameters.length > 0 &&
      this.resourceParameters.every((p) => this.values.get(p)?.source === 'nonexistent');
    this.consent = classifyOperation(compiled, op, namesOnlyFreshIds);
    this.untouchable = !options.allowDestructive && this.consent.consent === 'needs-consent';
  }

  /** The Accept header a client of this operation would send: every documented response media type. */
  private accept(): string | undefined {
    const types = new Set<string>();
    for (const r of this.op.responses)
      for (const m of r.content) if (!m.mediaType.includes('*')) types.add(m.mediaType);
    return types.size > 0 ? [...types].join(', ') : undefined;
  }

  /**
   * Fresh values naming nothing, for every resource parameter and every parameter the user named with --param:
   * what an unsafe request borrowing this operation's values may carry.
   */
  freshIdentifiers(): Map<ParameterSpec, string> {
    const document = this.compiled.spec.document;
    const named = [...this.values].filter(([, choice]) => choice.source === 'param').map(([p]) => p);
    return new Map(
      [...new Set([...this.resourceParameters, ...named])].map((p) => {
        const fresh = this.factory.freshParameter(p);
        return [p, fresh.ok ? fresh.value : nonexistentValue(document, p.schema, this.random)];
      }),
    );
  }

  /**
   * Why a request built with `variant` cannot be sent as valid: a parameter it carries has no valid value, or
   * there is no valid body. Undefined when it can.
   */
  validityGap(variant: Variant = {}): string | undefined {
    for (const [p, reason] of this.unavailable) {
      if (variant.omit === p || variant.replace?.parameter === p || variant.replaceAll?.has(p)) continue;
      return reason;
    }
    if (this.bodyUnavailable && variant.body === undefined) return this.bodyUnavailable;
    return undefined;
  }

  request(variant: Variant = {}): PlannedRequest {
    const pathValues: Record<string, string> = {};
    const query: Array<[string, string]> = [];
    const headers: Record<string, string> = {};
    const cookies: string[] = [];
    for (const [p, choice] of this.values) {
      if (variant.omit === p) continue;
      const value =
        variant.replace?.parameter === p ? variant.replace.value : (variant.replaceAll?.get(p) ?? choice.value);
      if (p.in === 'path') pathValues[p.name] = value;
      else if (p.in === 'query') query.push(...queryPairs(this.compiled.spec.document, p, value));
      else if (p.in === 'header') headers[p.name.toLowerCase()] = value;
      else cookies.push(`${p.name}=${value}`);
    }
    // Parameters the plan leaves out (optional ones) that this variant sends.
    const added = [...(variant.replaceAll ?? [])];
    if (variant.replace) added.push([variant.replace.parameter, variant.replace.value]);
    for (const [p, value] of added) {
      if (this.values.has(p)) continue;
      if (p.in === 'query') query.push(...queryPairs(this.compiled.spec.document, p, value));
      else if (p.in === 'header') headers[p.name.toLowerCase()] = value;
      else if (p.in === 'cookie') cookies.push(`${p.name}=${value}`);
    }
    const accept = this.accept();
    if (accept) headers.accept = accept;
    const auth = variant.auth ?? 'valid';
    if (auth === 'valid' && this.alternative) {
      const applied = applyAuth(this.alternative, this.options.credentials);
      Object.assign(headers, applied.headers);
      query.push(...applied.query);
    } else if (typeof auth === 'object') {
      const alternative = satisfiableAlternatives(this.op.security)[auth.wrong];
      if (alternative) {
        const applied = applyAuth(alternative, this.options.credentials, wrongCredential);
        Object.assign(headers, applied.headers);
        query.push(...applied.query);
      }
    }
    if (cookies.length > 0) headers.cookie = [headers.cookie, ...cookies].filter(Boolean).join('; ');
    let body: string | undefined;
    const bodyVariant =
      variant.body ??
      (this.bodyExamples[0] ? { kind: 'value' as const, ...this.bodyExamples[0] } : { kind: 'none' as const });
    if (bodyVariant.kind === 'value') {
      // Serialised per media type and the OpenAPI `encoding` object (core/media-encoding.ts).
      const media = this.op.requestBody?.content.find((m) => m.mediaType === bodyVariant.contentType);
      const encoded = encodeBody(bodyVariant.value, bodyVariant.contentType, {
        document: this.compiled.spec.document,
        mediaPointer: media?.pointer,
      });
      body = encoded.body;
      headers['content-type'] = encoded.contentType;
    } else if (bodyVariant.kind === 'raw') {
      body = bodyVariant.text;
      headers['content-type'] = bodyVariant.contentType;
    }
    Object.assign(headers, variant.extraHeaders);
    return {
      method: (variant.method ?? this.op.method).toUpperCase(),
      path: fillPathTemplate(this.op.path, pathValues),
      query,
      headers,
      body,
    };
  }

  caseFor(kind: CaseKind, n: number, title: string, variant: Variant = {}): PlannedCase {
    const auth = variant.auth ?? 'valid';
    const gap = kind === 'valid' || kind === 'nonexistent-id' ? this.validityGap(variant) : undefined;
    return {
      ...(gap ? { skip: gap } : {}),
      id: `${this.compiled.spec.name}:${this.op.operationId}:${kind}:${n}`,
      kind,
      specName: this.compiled.spec.name,
      operation: this.op,
      label: this.op.label,
      title,
      request: this.request(variant),
      preferredStatus: undefined,
      credentials: auth === 'none' ? 'none' : typeof auth === 'object' ? 'wrong' : this.credentialsState,
      outsideLinkContext: this.linkedParameters.some((p) => !this.values.has(p) || variant.omit === p),
      namesNothing:
        kind === 'nonexistent-id' ||
        (kind === 'valid' &&
          this.resourceParameters.length > 0 &&
          this.resourceParameters.some((p) => this.values.get(p)?.source === 'nonexistent')),
      consent: this.consent.consent,
    };
  }

  /** Every case of one operation (lifecycles and Prefer cases are planned elsewhere). */
  cases(): PlannedCase[] {
    const out: PlannedCase[] = [];
    const op = this.op;
    const document = this.compiled.spec.document;
    const examples = this.bodyExamples.length > 0 ? this.bodyExamples : [undefined];
    examples.forEach((example, i) => {
      const title = example ? `valid request (body example '${example.name}')` : 'valid request';
      const body = example
        ? { kind: 'value' as const, value: example.value, contentType: example.contentType }
        : undefined;
      out.push(this.caseFor('valid', i, title, body ? { body } : {}));
    });
    // Content negotiation: where a success documents several media types, ask for each one alone.
    const successTypes = new Set(
      op.responses.filter((r) => r.status.startsWith('2')).flatMap((r) => r.content.map((m) => m.mediaType)),
    );
    if (successTypes.size > 1) {
      const first = this.bodyExamples[0];
      const body = first ? { kind: 'value' as const, value: first.value, contentType: first.contentType } : undefined;
      for (const mediaType of successTypes) {
        out.push(
          this.caseFor('valid', out.length, `valid request asking only for ${mediaType}`, {
            ...(body ? { body } : {}),
            extraHeaders: { accept: mediaType },
          }),
        );
      }
    }
    if (this.secured) {
      out.push(this.caseFor('no-auth', 0, 'no credentials', { auth: 'none' }));
      satisfiableAlternatives(op.security).forEach((alternative, i) => {
        const schemes = alternative.map((r) => r.scheme).join(' + ');
        out.push(this.caseFor('wrong-auth', i, `wrong credentials (${schemes})`, { auth: { wrong: i } }));
      });
    }
    let n = 0;
    for (const p of op.parameters) {
      if (p.ignoredByOpenApi || !p.required || p.in === 'path') continue;
      const parameter = { name: p.name, in: p.in, required: p.required };
      out.push({
        ...this.caseFor('missing-parameter', n++, `required ${p.in} parameter '${p.name}' missing`, { omit: p }),
        parameter,
      });
    }
    n = 0;
    for (const p of op.parameters) {
      if (p.ignoredByOpenApi) continue;
      for (const invalid of invalidParameterValues(document, p.schema)) {
        out.push({
          ...this.caseFor(
            'invalid-parameter',
            n++,
            `${p.in} parameter '${p.name}' = '${invalid.value}' (breaks ${invalid.breaks})`,
            {
              replace: { parameter: p, value: invalid.value },
            },
          ),
          parameter: { name: p.name, in: p.in, required: p.required },
        });
      }
    }
    n = 0;
    const valid = out[0]?.request;
    for (const p of op.parameters.filter((q) => q.in === 'path')) {
      const fresh = this.factory.freshParameter(p);
      const candidate = this.caseFor('nonexistent-id', n, `path parameter '${p.name}' names nothing that exists`, {
        replace: { parameter: p, value: fresh.ok ? fresh.value : nonexistentValue(document, p.schema, this.random) },
      });
      if (!fresh.ok) candidate.skip = fresh.reason;
      if (candidate.request.path === valid?.path && this.values.get(p)?.source === 'nonexistent') continue;
      out.push(candidate);
      n++;
    }
    const media = this.bodyExamples[0];
    if (op.requestBody && media) {
      if (op.requestBody.required)
        out.push(this.caseFor('missing-body', 0, 'required body missing', { body: { kind: 'none' } }));
      if (jsonMediaType(media.contentType)) {
        out.push(
          this.caseFor('malformed-body', 0, 'malformed JSON body', {
            body: { kind: 'raw', text: '{"mcpc-malformed": ', contentType: media.contentType },
          }),
        );
      }
      const schemaPointer = op.requestBody.content.find((m) => m.mediaType === media.contentType)?.schemaPointer;
      const broken = schemaPointer ? invalidBody(document, { $ref: `#${schemaPointer}` }) : undefined;
      // A form or multipart body carries only named text fields: "an array where an object belongs" cannot be
      // written in it (it encodes as an empty body, which may well be valid). Only a break that survives the
      // encoding — required fields left out — is sent as invalid there.
      const survives = jsonMediaType(media.contentType) || broken?.breaks.startsWith('required');
      // Confirmed by the request validator: a required property that is readOnly may be left out of a request
      // (OpenAPI 3.0 and 3.1), so `{}` can be valid, and sending it as invalid fails every conformant server.
      const invalid = broken !== undefined && this.factory.bodyViolations(schemaPointer, broken.value).length > 0;
      if (broken && survives && invalid) {
        out.push(
          this.caseFor('invalid-body', 0, `body breaks the schema (${broken.breaks})`, {
            body: { kind: 'value', value: broken.value, contentType: media.contentType },
          }),
        );
      }
    }
    this.invalidBodyExamples.forEach((example, i) => {
      const c = this.caseFor('valid', examples.length + i, `valid request (body example '${example.name}')`);
      out.push({ ...c, id: `${c.id}:spec-example`, skip: example.reason });
    });
    // An operation that needs a linked value (a session) gets its generated cases inside the lifecycle that
    // creates one (lifecycleCases): standalone they would all be refused for want of it, and say nothing.
    // The exception: an operation whose own answer creates that context (StackOne's initialize opens the session
    // later POSTs need) sends the variants of its creating body standalone, since they need no session.
    if (this.linkedParameters.length === 0) out.push(...generatedCases(this, out));
    else if (this.createsOwnContext) {
      // All of them: a variant of the creating body, and the creating request with a parameter varied (an
      // option may matter most where the context is opened: `tool-mode` on initialize).
      for (const g of generatedCases(this, out, undefined, { inLinkContext: true })) {
        out.push({ ...g, outsideLinkContext: false });
      }
    }
    return out;
  }
}

/** Parameters of `op` that some link of the spec binds, e.g. `header.mcp-session-id` ← initialize's header. */
function linkedParametersOf(compiled: CompiledSpec, op: Operation): ParameterSpec[] {
  const linked = new Set<ParameterSpec>();
  for (const link of linksByTarget(compiled).get(op.operationId) ?? []) {
    for (const target of Object.keys(link.parameters)) {
      const dot = target.indexOf('.');
      const where = dot > 0 ? target.slice(0, dot) : undefined;
      const name = dot > 0 ? target.slice(dot + 1) : target;
      const p = op.parameters.find((q) => q.name.toLowerCase() === name.toLowerCase() && (!where || q.in === where));
      if (p) linked.add(p);
    }
  }
  return [...linked];
}

type Link = Operation['responses'][number]['links'][number];
const linkIndex = new WeakMap<CompiledSpec, Map<string | undefined, Link[]>>();

/** The spec's links by the operationId they lead to, gathered once per spec (not once per operation planned). */
function linksByTarget(compiled: CompiledSpec): Map<string | undefined, Link[]> {
  let index = linkIndex.get(compiled);
  if (index) return index;
  index = new Map();
  for (const producer of compiled.operations) {
    for (const response of producer.responses) {
      for (const link of response.links) {
        const list = index.get(link.operationId) ?? [];
        list.push(link);
        index.set(link.operationId, list);
      }
    }
  }
  linkIndex.set(compiled, index);
  return index;
}

/** A method the spec does not define for a path: one case per path. */
function unsupportedMethodCase(planner: OperationPlanner, definedMethods: Set<string>): PlannedCase | undefined {
  // Without --allow-destructive a probe that could change something must name nothing real: fine where the
  // path has an id to replace with a fresh one, impossible where it has none (`/settings`) — there only
  // methods that change nothing are tried.
  const hasPathId = planner.op.parameters.some((p) => p.in === 'path');
  const candidates = planner.options.allowDestructive
    ? ['patch', 'put', 'post', 'delete', 'get']
    : hasPathId
      ? ['patch', 'post', 'delete', 'get', 'trace']
      : ['trace', 'get'];
  const method = candidates.find((m) => !definedMethods.has(m));
  if (!method) return undefined;
  const unsafe = actsOnResource(method, planner.op) && !planner.options.allowDestructive;
  const c = planner.caseFor(
    'unsupported-method',
    0,
    `${method.toUpperCase()}, which the spec does not define for ${planner.op.path}`,
    {
      method,
      body: { kind: 'none' },
      ...(unsafe ? { replaceAll: planner.freshIdentifiers() } : {}),
    },
  );
  return {
    ...c,
    id: `${planner.compiled.spec.name}:${method} ${planner.op.path}:unsupported-method:0`,
    operation: undefined,
    label: `${method.toUpperCase()} ${planner.op.path}`,
    namesNothing: false,
    consent: unsafe || method === 'get' || method === 'trace' ? 'safe' : 'needs-consent',
  };
}

/** An operation a lifecycle steps through, and where its parameters come from (a link, or the undo recipe). */
interface LifecycleTarget {
  /** `link NAME` or `matching DELETE /path`. */
  via: string;
  op: Operation;
  parameters: Record<string, string>;
}

/**
 * What a creating response leads to: its links, or — where it has none — the matching DELETE the consent rules
 * found (`POST /pets` → `DELETE /pets/{petId}`) together with the other operations on that DELETE's path
 * (`GET /pets/{petId}`), which take the same id.
 */
function lifecycleTargets(
  compiled: CompiledSpec,
  planners: Map<Operation, OperationPlanner>,
  producer: Operation,
  links: Operation['responses'][number]['links'],
): LifecycleTarget[] {
  const included = (op: Operation | undefined): op is Operation =>
    op !== undefined && planners.has(op) && !planners.get(op)?.untouchable;
  if (links.length > 0) {
    return links
      .map((link) => ({
        via: `link ${link.name}`,
        op: link.operationId ? compiled.index.byId.get(link.operationId) : undefined,
        parameters: link.parameters,
      }))
      .filter((t): t is LifecycleTarget => included(t.op));
  }
  const recipe = planners.get(producer)?.consent.undo.find((u) => u.via.startsWith('matching'));
  const del = recipe ? compiled.index.byId.get(recipe.operationId) : undefined;
  if (!recipe || !del || !included(del)) return [];
  return compiled.operations
    .filter((op) => op.path === del.path && op !== producer && included(op) && op.method !== 'put')
    .map((op) => ({ via: recipe.via, op, parameters: recipe.parameters }));
}

/**
 * Lifecycles through OpenAPI links (or a matching DELETE): create → use → credential probes on the created
 * resource → delete → delete again → use after delete. The request that destroys the resource comes last, after
 * every probe of it.
 */
function lifecycleCases(compiled: CompiledSpec, planners: Map<Operation, OperationPlanner>): PlannedCase[] {
  const out: PlannedCase[] = [];
  for (const [producer, planner] of planners) {
    if (planner.untouchable) continue;
    const seen = new Set<string>();
    for (const response of producer.responses) {
      if (!response.status.startsWith('2')) continue;
      const targets = lifecycleTargets(compiled, planners, producer, response.links);
      if (targets.length === 0) continue;
      // Several 2xx without links of their own lead to the same matching DELETE: one lifecycle is enough.
      const key = targets.map((t) => `${t.via} ${t.op.operationId}`).join('|');
      if (seen.has(key)) continue;
      seen.add(key);
      const deletes = targets.filter((t) => t.op.method === 'delete');
      const uses = targets.filter((t) => t.op.method !== 'delete');
      const createRequest = planner.request();
      const bindingsOf = (t: LifecycleTarget): LinkBinding[] =>
        Object.entries(t.parameters).map(([target, expression]) => ({ target, expression }));
      const createExample = planner.bodyExamples[0];
      const step = (
        t: LifecycleTarget,
        role: LifecycleStep['role'],
        name: string,
        request: PlannedRequest,
        credentials?: 'none' | 'wrong',
      ): LifecycleStep => ({
        name,
        operation: t.op,
        request,
        bindings: bindingsOf(t),
        role,
        ...(credentials ? { credentials } : {}),
        consent: planners.get(t.op)!.consent.consent,
      });
      /** One step per documented body of the target (all but the one that created), or one plain request. */
      const stepsFor = (t: LifecycleTarget, role: LifecycleStep['role'], name: string): LifecycleStep[] => {
        const targetPlanner = planners.get(t.op)!;
        const bodies = targetPlanner.bodyExamples.filter((e) => t.op !== producer || e.name !== createExample?.name);
        if (bodies.length === 0) return [step(t, role, name, targetPlanner.request())];
        return bodies.map((e) =>
          step(
            t,
            role,
            `${name}, body '${e.name}'`,
            targetPlanner.request({ body: { kind: 'value', value: e.value, contentType: e.contentType } }),
          ),
        );
      };
      /**
       * The generated cases (cases/: optional parameters, enum values, unusual forms, body fields of the wrong
       * type) of an operation that needs the created resource (StackOne's POST /mcp needs the session): sent
       * standalone they go without it and their answers say nothing, so they go here, in the resource's context.
       * A variant of the create's own body is left out (an `initialize` inside a session is not a use of it);
       * a variant of a parameter carries a use's body instead.
       */
      const generatedStepsFor = (t: LifecycleTarget): LifecycleStep[] => {
        const targetPlanner = planners.get(t.op)!;
        if (targetPlanner.linkedParameters.length === 0) return [];
        const plain = targetPlanner.request();
        const use = useExample(targetPlanner, t.op === producer ? createExample?.name : undefined);
        const useRequest = use
          ? targetPlanner.request({ body: { kind: 'value', value: use.value, contentType: use.contentType } })
          : plain;
        const out: LifecycleStep[] = [];
        for (const g of generatedCases(targetPlanner, [], undefined, { inLinkContext: true })) {
          if (g.skip) continue;
          // The MCP protocol version of a session is the one negotiated when it was opened: inside it, any other
          // documented version is rightly refused (the transport: 400), so it is varied only where it is opened.
          if (g.parameter?.in === 'header' && /protocol-version$/i.test(g.parameter.name)) continue;
          const variesBody = g.request.body !== plain.body;
          if (variesBody && t.op === producer) continue;
          const request = variesBody
            ? g.request
            : { ...g.request, body: useRequest.body, headers: { ...g.request.headers, ...contentTypeOf(useRequest) } };
          out.push({ ...step(t, 'use', `${g.title} (${t.op.label})`, request), kind: g.kind, parameter: g.parameter });
        }
        return out;
      };
      /** No and wrong credentials on the created resource: a bypass a made-up id (404) would hide shows here. */
      const probesFor = (t: LifecycleTarget): LifecycleStep[] => {
        const targetPlanner = planners.get(t.op)!;
        if (!targetPlanner.secured || targetPlanner.credentialsState !== 'valid') return [];
        // The body of a use, not the one that created (a probe of POST /mcp goes in the session, not as initialize).
        const use = useExample(targetPlanner, t.op === producer ? createExample?.name : undefined);
        const body = use ? { body: { kind: 'value' as const, value: use.value, contentType: use.contentType } } : {};
        const probes = [
          step(
            t,
            'auth-probe',
            `no credentials on the created resource (${t.op.label})`,
            targetPlanner.request({ auth: 'none', ...body }),
            'none',
          ),
        ];
        const alternative = satisfiableAlternatives(t.op.security)[0];
        if (alternative) {
          const schemes = alternative.map((r) => r.scheme).join(' + ');
          probes.push(
            step(
              t,
              'auth-probe',
              `wrong credentials (${schemes}) on the created resource (${t.op.label})`,
              targetPlanner.request({ auth: { wrong: 0 }, ...body }),
              'wrong',
            ),
          );
        }
        return probes;
      };
      const steps: LifecycleStep[] = [
        {
          name: `create (${producer.label})`,
          operation: producer,
          request: createRequest,
          bindings: [],
          role: 'create',
          consent: planner.consent.consent,
        },
      ];
      for (const use of uses) steps.push(...stepsFor(use, 'use', `use via ${use.via} (${use.op.label})`));
      for (const use of uniqueByOperation(uses)) steps.push(...generatedStepsFor(use));
      for (const use of uses) steps.push(...probesFor(use));
      for (const del of deletes) {
        steps.push(...probesFor(del));
        steps.push(...stepsFor(del, 'delete', `delete via ${del.via} (${del.op.label})`));
        steps.push(...stepsFor(del, 'delete-again', `delete again (${del.op.label})`));
      }
      if (deletes.length > 0) {
        for (const use of uses)
          steps.push(...stepsFor(use, 'use-after-delete', `use after delete via ${use.via} (${use.op.label})`));
      }
      const vias = [...new Set(targets.map((t) => t.via))];
      const names = vias.every((v) => v.startsWith('link '))
        ? `links ${vias.map((v) => v.slice(5)).join(', ')}`
        : vias.join(', ');
      out.push({
        id: `${compiled.spec.name}:${producer.operationId}:lifecycle:${response.status}`,
        kind: 'lifecycle',
        specName: compiled.spec.name,
        operation: producer,
        label: producer.label,
        title: `lifecycle through ${names}: ${summariseRoles(steps)}`,
        request: createRequest,
        preferredStatus: undefined,
        credentials: planner.credentialsState,
        steps,
        outsideLinkContext: false,
        namesNothing: false,
        consent: planner.consent.consent,
      });
    }
  }
  return out;
}

/**
 * The documented body a use of an operation sends: not the one that created the resource, and preferably one that
 * gets an answer (a JSON-RPC request with an id, not a notification), so an option it carries has an effect.
 */
function useExample(
  planner: OperationPlanner,
  createName: string | undefined,
): OperationPlanner['bodyExamples'][number] | undefined {
  const uses = planner.bodyExamples.filter((e) => e.name !== createName);
  const answered = (e: (typeof uses)[number]) =>
    !!e.value && typeof e.value === 'object' && 'method' in e.value && 'id' in e.value;
  return uses.find(answered) ?? uses[0];
}

/** Each operation once (a link per body example names the same operation several times). */
function uniqueByOperation(targets: LifecycleTarget[]): LifecycleTarget[] {
  const seen = new Set<Operation>();
  return targets.filter((t) => !seen.has(t.op) && seen.add(t.op));
}

function contentTypeOf(request: PlannedRequest): Record<string, string> {
  const type = request.headers['content-type'];
  return type ? { 'content-type': type } : {};
}

/** `create → use ×4 → delete → delete-again → use-after-delete ×4` */
function summariseRoles(steps: LifecycleStep[]): string {
  const runs: Array<{ role: string; count: number }> = [];
  for (const step of steps) {
    const last = runs[runs.length - 1];
    if (last?.role === step.role) last.count++;
    else runs.push({ role: step.role, count: 1 });
  }
  return runs.map((r) => (r.count > 1 ? `${r.role} ×${r.count}` : r.role)).join(' → ');
}

/**
 * A delete of a resource the user named with --param (only with --allow-destructive): first without and with
 * wrong credentials — on a resource that exists, so a bypass cannot hide behind a 404 — then the delete, then
 * the delete again. The request that destroys the resource comes last.
 */
function deleteAgainSteps(planner: OperationPlanner, base: PlannedCase): PlannedCase {
  const step = (
    name: string,
    request: PlannedRequest,
    role: LifecycleStep['role'],
    credentials?: 'none' | 'wrong',
  ) => ({
    name: `${name} (${planner.op.label})`,
    operation: planner.op,
    request,
    bindings: [],
    role,
    ...(credentials ? { credentials } : {}),
    consent: base.consent,
  });
  const steps: LifecycleStep[] = [];
  if (planner.secured && planner.credentialsState === 'valid') {
    steps.push(step('no credentials on the named resource', planner.request({ auth: 'none' }), 'auth-probe', 'none'));
    if (satisfiableAlternatives(planner.op.security).length > 0)
      steps.push(
        step('wrong credentials on the named resource', planner.request({ auth: { wrong: 0 } }), 'auth-probe', 'wrong'),
      );
  }
  steps.push(step('delete', base.request, 'delete'), step('delete again', base.request, 'delete-again'));
  return { ...base, title: `${base.title}, then deleted again`, steps };
}

/** The run's seed mixed with the operation's label (FNV-1a), as a 32-bit seed. */
export function operationSeed(seed: number, label: string): number {
  let hash = 0x811c9dc5 ^ (seed >>> 0);
  for (let i = 0; i < label.length; i++) hash = Math.imul(hash ^ label.charCodeAt(i), 0x01000193);
  return hash >>> 0;
}

export function planSpec(compiled: CompiledSpec, options: PlanOptions, include: (op: Operation) => boolean): SpecPlan {
  const remarks: string[] = [];
  const usedParams = new Set<string>();
  const planners = new Map<Operation, OperationPlanner>();
  for (const op of compiled.operations) {
    if (!include(op)) continue;
    // Each operation draws from its own stream, seeded by the run's seed and the operation: what it plans does not
    // depend on which other operations are selected, so `--operation X --seed N` replays the full run's values.
    const random = createRandom(operationSeed(options.seed, op.label));
    planners.set(op, new OperationPlanner(compiled, op, options, random, remarks, usedParams));
  }
  const cases: PlannedCase[] = [];
  const pathsDone = new Set<string>();
  for (const [op, planner] of planners) {
    if (planner.untouchable) {
      remarks.push(`${op.label} ${planner.consent.reason}: nothing is sent to it without --allow-destructive`);
      continue;
    }
    const opCases = planner.cases();
    const namedByUser = planner.resourceParameters.some((p) => planner.values.get(p)?.source === 'param');
    for (const c of opCases) {
      cases.push(c.kind === 'valid' && op.method === 'delete' && namedByUser ? deleteAgainSteps(planner, c) : c);
    }
    if (planner.credentialsState === 'unavailable') {
      const schemes = definedSchemes(op.security);
      remarks.push(
        `no credentials for ${op.label} (${schemes.join(' or ')}): valid requests are sent without them and cannot be expected to succeed; pass --auth ${schemes[0]}=… or set MCP_CONTRACTS_AUTH_${(schemes[0] ?? 'SCHEME').toUpperCase()}`,
      );
    }
    if (!pathsDone.has(op.path)) {
      pathsDone.add(op.path);
      const defined = new Set(compiled.operations.filter((o) => o.path === op.path).map((o) => o.method));
      const unsupported = unsupportedMethodCase(planner, defined);
      if (unsupported) cases.push(unsupported);
    }
  }
  cases.push(...lifecycleCases(compiled, planners));
  return { compiled, cases, remarks: [...new Set(remarks)], usedParams, planners };
}

/** The `Prefer: code=NNN` case for a documented status the natural cases did not reach. */
export function preferCase(planner: OperationPlanner, status: number): PlannedCase {
  const c = planner.caseFor('prefer', status, `Prefer: code=${status}`, { extraHeaders: { prefer: `code=${status}` } });
  // A request the run cannot make valid is not sent: a mock refuses it whatever Prefer says, which would read as
  // "Prefer not honoured" and leave every other status unasked.
  const gap = planner.validityGap();
  return { ...c, preferredStatus: status, ...(gap ? { skip: gap } : {}) };
}
