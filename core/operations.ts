import { escapeSegment } from './json-pointer.js';
import { type LoadedSpec, type OpenApiDocument, resolveLocalRef } from './spec.js';

/**
 * The operations of a spec, indexed once: OpenAPI `$ref`s (parameters, request bodies, responses,
 * headers) resolved, path-level parameters merged into operation-level ones, effective security worked
 * out, and every schema named by its JSON pointer so that the compiled validators can be found.
 * Operations are labelled `METHOD /path/{template}` everywhere.
 */

export const httpMethods = ['get', 'put', 'post', 'delete', 'options', 'head', 'patch', 'trace'] as const;
export type HttpMethod = (typeof httpMethods)[number];

export type ParameterLocation = 'path' | 'query' | 'header' | 'cookie';

export interface ExampleSpec {
  name: string;
  value: unknown;
}

export interface ParameterSpec {
  name: string;
  in: ParameterLocation;
  required: boolean;
  pointer: string;
  /** Pointer of the parameter's schema (or of the schema of its single `content` media type). */
  schemaPointer: string | undefined;
  schema: Record<string, unknown> | undefined;
  examples: ExampleSpec[];
  deprecated: boolean;
  /** OpenAPI says a header parameter named Accept, Content-Type or Authorization SHALL be ignored. */
  ignoredByOpenApi: boolean;
  /**
   * How the value is written (OpenAPI `style`, defaulted: `form` in a query or cookie, `simple` in a path or
   * header) and whether it is exploded (`explode`, defaulted: true for `form` only). Undefined for a parameter
   * described by `content`.
   */
  style?: string;
  explode?: boolean;
  /** The media type of a parameter described by `content` (`application/json`): its value is one text in it. */
  contentType?: string;
}

export interface MediaTypeSpec {
  mediaType: string;
  pointer: string;
  schemaPointer: string | undefined;
  /** Per-item schema of a streamed body (`x-itemSchema`, OpenAPI 3.2's `itemSchema`), e.g. SSE events. */
  itemSchemaPointer: string | undefined;
  examples: ExampleSpec[];
}

export interface RequestBodySpec {
  required: boolean;
  pointer: string;
  content: MediaTypeSpec[];
}

export interface HeaderSpec {
  name: string;
  required: boolean;
  pointer: string;
  schemaPointer: string | undefined;
  schema: Record<string, unknown> | undefined;
}

export interface LinkSpec {
  name: string;
  pointer: string;
  operationId: string | undefined;
  /** `header.mcp-session-id` → `$response.header.mcp-session-id`. */
  parameters: Record<string, string>;
}

export interface ResponseSpec {
  /** As written in the spec: `200`, `4XX` or `default`. */
  status: string;
  pointer: string;
  description: string;
  headers: HeaderSpec[];
  content: MediaTypeSpec[];
  links: LinkSpec[];
}

export interface SecuritySchemeSpec {
  name: string;
  type: string;
  /** For `http`: `basic`, `bearer`, … */
  scheme: string | undefined;
  /** For `apiKey`: where and under which name. */
  in: 'header' | 'query' | 'cookie' | undefined;
  paramName: string | undefined;
}

export interface SecurityRequirementSpec {
  scheme: string;
  scopes: string[];
  /** Undefined when the spec references a scheme it never defines (a spec defect). */
  definition: SecuritySchemeSpec | undefined;
}

/** One alternative of a security requirement list: all of its schemes together. Empty = anonymous. */
export type SecurityAlternative = SecurityRequirementSpec[];

export interface Operation {
  specName: string;
  operationId: string;
  /** True when the spec gives no operationId and one was made up from method and path. */
  operationIdGenerated: boolean;
  method: HttpMethod;
  path: string;
  basePath: string;
  /**
   * The path of the operation's own `servers` (operation-level, else path-level), which replaces the spec's base
   * path for this operation; undefined when neither level declares servers.
   */
  serverPath: string | undefined;
  label: string;
  pointer: string;
  summary: string | undefined;
  description: string | undefined;
  tags: string[];
  parameters: ParameterSpec[];
  requestBody: RequestBodySpec | undefined;
  responses: ResponseSpec[];
  security: SecurityAlternative[];
  deprecated: boolean;
}

export interface OperationIndex {
  specName: string;
  serverUrl: string;
  basePath: string;
  operations: Operation[];
  securitySchemes: Map<string, SecuritySchemeSpec>;
  byId: Map<string, Operation>;
}

const ignoredHeaderParameters = new Set(['accept', 'content-type', 'authorization']);

export function indexOperations(spec: LoadedSpec): OperationIndex {
  const doc = spec.document;
  const { serverUrl, basePath } = serverOf(doc);
  const securitySchemes = readSecuritySchemes(doc);
  const rootSecurity = Array.isArray(doc.security) ? (doc.security as unknown[]) : [];
  const operations: Operation[] = [];
  const paths = (doc.paths ?? {}) as Record<string, unknown>;

  for (const [path, rawItem] of Object.entries(paths)) {
    const itemPointer = `/paths/${escapeSegment(path)}`;
    const { value: item, pointer: resolvedItemPointer } = resolveLocalRef<Record<string, unknown>>(
      doc,
      rawItem,
      itemPointer,
    );
    if (!item || typeof item !== 'object') continue;
    const pathParams = readParameters(doc, item.parameters, `${resolvedItemPointer}/parameters`);
    for (const method of httpMethods) {
      const op = item[method] as Record<string, unknown> | undefined;
      if (!op || typeof op !== 'object') continue;
      const pointer = `${resolvedItemPointer}/${method}`;
      const ownParams = readParameters(doc, op.parameters, `${pointer}/parameters`);
      const parameters = [
        ...pathParams.filter(
          (p) => !ownParams.some((o) => o.name.toLowerCase() === p.name.toLowerCase() && o.in === p.in),
        ),
        ...ownParams,
      ];
      const operationIdGenerated = typeof op.operationId !== 'string';
      const operationId = operationIdGenerated ? `${method} ${path}` : (op.operationId as string);
      const security = readSecurity(
        Array.isArray(op.security) ? (op.security as unknown[]) : rootSecurity,
        securitySchemes,
      );
      operations.push({
        specName: spec.name,
        operationId,
        operationIdGenerated,
        method,
        path,
        basePath,
        serverPath: Array.isArray(op.servers)
          ? serverFrom(op.servers).basePath
          : Array.isArray(item.servers)
            ? serverFrom(item.servers).basePath
            : undefined,
        label: `${method.toUpperCase()} ${path}`,
        pointer,
        summary: typeof op.summary === 'string' ? op.summary : undefined,
        description: typeof op.description === 'string' ? op.description : undefined,
        tags: Array.isArray(op.tags) ? op.tags.map(String) : [],
        parameters,
        requestBody: readRequestBody(doc, op.requestBody, `${pointer}/requestBody`),
        responses: readResponses(doc, op.responses, `${pointer}/responses`),
        security,
        deprecated: op.deprecated === true,
      });
    }
  }
  return {
    specName: spec.name,
    serverUrl,
    basePath,
    operations,
    securitySchemes,
    byId: new Map(operations.map((o) => [o.operationId, o])),
  };
}

/** The first server's URL with its variables at their defaults, and its path (no trailing slash). */
export function serverOf(doc: OpenApiDocument): { serverUrl: string; basePath: string } {
  return serverFrom(doc.servers);
}

/** The same for a `servers` list of any level (root, path item, operation). */
export function serverFrom(list: unknown): { serverUrl: string; basePath: string } {
  const servers = Array.isArray(list) ? (list as Array<Record<string, unknown>>) : [];
  const first = servers[0];
  let url = typeof first?.url === 'string' ? first.url : '/';
  const variables = (first?.variables ?? {}) as Record<string, { default?: unknown }>;
  url = url.replace(/\{([^}]+)\}/g, (_, name: string) => String(variables[name]?.default ?? ''));
  let basePath: string;
  try {
    basePath = new URL(url, 'http://placeholder.invalid').pathname;
  } catch {
    basePath = '/';
  }
  basePath = basePath.replace(/\/+$/, '');
  return { serverUrl: url, basePath };
}

function readSecuritySchemes(doc: OpenApiDocument): Map<string, SecuritySchemeSpec> {
  const result = new Map<string, SecuritySchemeSpec>();
  const schemes = ((doc.components as Record<string, unknown> | undefined)?.securitySchemes ?? {}) as Record<
    string,
    unknown
  >;
  for (const [name, raw] of Object.entries(schemes)) {
    const { value } = resolveLocalRef<Record<string, unknown>>(
      doc,
      raw,
      `/components/securitySchemes/${escapeSegment(name)}`,
    );
    if (!value || typeof value !== 'object') continue;
    const where = value.in;
    result.set(name, {
      name,
      type: String(value.type ?? ''),
      scheme: typeof value.scheme === 'string' ? value.scheme.toLowerCase() : undefined,
      in: where === 'header' || where === 'query' || where === 'cookie' ? where : undefined,
      paramName: typeof value.name === 'string' ? value.name : undefined,
    });
  }
  return result;
}

function readSecurity(requirements: unknown[], schemes: Map<string, SecuritySchemeSpec>): SecurityAlternative[] {
  return requirements
    .filter((r): r is Record<string, unknown> => !!r && typeof r === 'object')
    .map((requirement) =>
      Object.entries(requirement).map(([scheme, scopes]) => ({
        scheme,
        scopes: Array.isArray(scopes) ? scopes.map(String) : [],
        definition: schemes.get(scheme),
      })),
    );
}

function readExamples(node: Record<string, unknown>, doc: OpenApiDocument, pointer: string): ExampleSpec[] {
  const result: ExampleSpec[] = [];
  if (node.examples && typeof node.examples === 'object' && !Array.isArray(node.examples)) {
    for (const [name, raw] of Object.entries(node.examples as Record<string, unknown>)) {
      const { value } = resolveLocalRef<Record<string, unknown>>(
        doc,
        raw,
        `${pointer}/examples/${escapeSegment(name)}`,
      );
      if (value && typeof value === 'object' && 'value' in value) result.push({ name, value: value.value });
    }
  }
  if ('example' in node) result.push({ name: 'example', value: node.example });
  return result;
}

function schemaAt(
  doc: OpenApiDocument,
  node: Record<string, unknown>,
  key: string,
  pointer: string,
): { schemaPointer: string | undefined; schema: Record<string, unknown> | undefined } {
  if (!(key in node) || node[key] === null || typeof node[key] !== 'object')
    return { schemaPointer: undefined, schema: undefined };
  const { value, pointer: at } = resolveLocalRef<Record<string, unknown>>(
    doc,
    node[key],
    `${pointer}/${escapeSegment(key)}`,
  );
  return { schemaPointer: at, schema: value };
}

/** A parameter's `style` and `explode`, with OpenAPI's defaults filled in. */
function styleOf(p: Record<string, unknown>, location: ParameterLocation): { style: string; explode: boolean } {
  const style =
    typeof p.style === 'string' ? p.style : location === 'query' || location === 'cookie' ? 'form' : 'simple';
  return { style, explode: typeof p.explode === 'boolean' ? p.explode : style === 'form' };
}

function readParameters(doc: OpenApiDocument, raw: unknown, pointer: string): ParameterSpec[] {
  if (!Array.isArray(raw)) return [];
  const result: ParameterSpec[] = [];
  raw.forEach((entry, i) => {
    const { value: p, pointer: at } = resolveLocalRef<Record<string, unknown>>(doc, entry, `${pointer}/${i}`);
    if (!p || typeof p !== 'object' || typeof p.name !== 'string') return;
    const location = p.in as ParameterLocation;
    if (!['path', 'query', 'header', 'cookie'].includes(location)) return;
    let { schemaPointer, schema } = schemaAt(doc, p, 'schema', at);
    const examples = readExamples(p, doc, at);
    let contentType: string | undefined;
    if (!schemaPointer && p.content && typeof p.content === 'object') {
      const [mediaType, media] = Object.entries(p.content as Record<string, unknown>)[0] ?? [];
      if (mediaType && media && typeof media === 'object') {
        contentType = mediaType;
        ({ schemaPointer, schema } = schemaAt(
          doc,
          media as Record<string, unknown>,
          'schema',
          `${at}/content/${escapeSegment(mediaType)}`,
        ));
        examples.push(
          ...readExamples(media as Record<string, unknown>, doc, `${at}/content/${escapeSegment(mediaType)}`),
        );
      }
    }
    if (schema && 'example' in schema) examples.push({ name: 'schema example', value: schema.example });
    result.push({
      name: p.name,
      in: location,
      required: location === 'path' ? true : p.required === true,
      pointer: at,
      schemaPointer,
      schema,
      examples,
      deprecated: p.deprecated === true,
      ignoredByOpenApi: location === 'header' && ignoredHeaderParameters.has(p.name.toLowerCase()),
      ...(contentType !== undefined ? { contentType } : styleOf(p, location)),
    });
  });
  return result;
}

function readContent(doc: OpenApiDocument, raw: unknown, pointer: string): MediaTypeSpec[] {
  if (!raw || typeof raw !== 'object') return [];
  return Object.entries(raw as Record<string, unknown>).map(([mediaType, media]) => {
    const at = `${pointer}/${escapeSegment(mediaType)}`;
    const node = (media && typeof media === 'object' ? media : {}) as Record<string, unknown>;
    const itemKey = 'itemSchema' in node ? 'itemSchema' : 'x-itemSchema';
    return {
      mediaType,
      pointer: at,
      schemaPointer: schemaAt(doc, node, 'schema', at).schemaPointer,
      itemSchemaPointer: schemaAt(doc, node, itemKey, at).schemaPointer,
      examples: readExamples(node, doc, at),
    };
  });
}

function readRequestBody(doc: OpenApiDocument, raw: unknown, pointer: string): RequestBodySpec | undefined {
  if (!raw) return undefined;
  const { value, pointer: at } = resolveLocalRef<Record<string, unknown>>(doc, raw, pointer);
  if (!value || typeof value !== 'object') return undefined;
  return {
    required: value.required === true,
    pointer: at,
    content: readContent(doc, value.content, `${at}/content`),
  };
}

function readResponses(doc: OpenApiDocument, raw: unknown, pointer: string): ResponseSpec[] {
  if (!raw || typeof raw !== 'object') return [];
  return Object.entries(raw as Record<string, unknown>).map(([status, entry]) => {
    const { value, pointer: at } = resolveLocalRef<Record<string, unknown>>(
      doc,
      entry,
      `${pointer}/${escapeSegment(status)}`,
    );
    const response = (value && typeof value === 'object' ? value : {}) as Record<string, unknown>;
    const headers: HeaderSpec[] = Object.entries((response.headers ?? {}) as Record<string, unknown>).map(
      ([name, h]) => {
        const { value: header, pointer: hp } = resolveLocalRef<Record<string, unknown>>(
          doc,
          h,
          `${at}/headers/${escapeSegment(name)}`,
        );
        const node = (header && typeof header === 'object' ? header : {}) as Record<string, unknown>;
        return { name, required: node.required === true, pointer: hp, ...schemaAt(doc, node, 'schema', hp) };
      },
    );
    const links: LinkSpec[] = Object.entries((response.links ?? {}) as Record<string, unknown>).map(([name, l]) => {
      const { value: link, pointer: lp } = resolveLocalRef<Record<string, unknown>>(
        doc,
        l,
        `${at}/links/${escapeSegment(name)}`,
      );
      const node = (link && typeof link === 'object' ? link : {}) as Record<string, unknown>;
      return {
        name,
        pointer: lp,
        operationId: typeof node.operationId === 'string' ? node.operationId : undefined,
        parameters: Object.fromEntries(
          Object.entries((node.parameters ?? {}) as Record<string, unknown>).map(([k, v]) => [k, String(v)]),
        ),
      };
    });
    return {
      status: String(status).toUpperCase() === 'DEFAULT' ? 'default' : String(status).toUpperCase(),
      pointer: at,
      description: typeof response.description === 'string' ? response.description : '',
      headers,
      content: readContent(doc, response.content, `${at}/content`),
      links,
    };
  });
}

/**
 * The response spec that covers `status`: the exact code first, then its range (`4XX`), then `default`.
 * Undefined when the operation does not document it.
 */
export function findResponse(operation: Operation, status: number): ResponseSpec | undefined {
  const exact = operation.responses.find((r) => r.status === String(status));
  if (exact) return exact;
  const range = operation.responses.find((r) => r.status === `${String(status)[0]}XX`);
  if (range) return range;
  return operation.responses.find((r) => r.status === 'default');
}

/** The documented statuses that are concrete codes (`404`), in order. */
export function documentedCodes(operation: Operation): number[] {
  return operation.responses
    .map((r) => Number(r.status))
    .filter((n) => Number.isInteger(n))
    .sort((a, b) => a - b);
}

/** `/connect/{namespace}/{connectionId}` → a matcher that returns the path parameters, or undefined. */
export function compilePathTemplate(template: string): (path: string) => Record<string, string> | undefined {
  const names: string[] = [];
  const pattern = template
    .split(/(\{[^}]+\})/)
    .map((part) => {
      const m = /^\{([^}]+)\}$/.exec(part);
      if (m?.[1]) {
        names.push(m[1]);
        return '([^/]+)';
      }
      return part.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
    })
    .join('');
  const regex = new RegExp(`^${pattern}/?$`);
  return (path) => {
    const match = regex.exec(path);
    if (!match) return undefined;
    const params: Record<string, string> = {};
    names.forEach((name, i) => {
      const raw = match[i + 1] ?? '';
      try {
        params[name] = decodeURIComponent(raw);
      } catch {
        params[name] = raw;
      }
    });
    return params;
  };
}

/** Fill a path template with values, percent-encoding each one. */
export function fillPathTemplate(template: string, values: Record<string, string>): string {
  return template.replace(/\{([^}]+)\}/g, (_, name: string) => encodeURIComponent(values[name] ?? `{${name}}`));
}
