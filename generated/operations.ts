// generated — do not edit. Source: specs/stackone.yaml, specs/smithery.yaml, specs/langsmith.yaml. Regenerate with: npx mcp-contracts generate

import type { operations as StackOneOperations } from './stackone.js';
import type { operations as SmitheryOperations } from './smithery.js';
import type { operations as LangSmithOperations } from './langsmith.js';

/** Every operation of the bundled specs: where it lives and which statuses it documents. */
export const operationTable = {
  "stackone_mcp_post": {
    spec: "stackone",
    method: "post",
    path: "/mcp",
    basePath: "",
    label: "POST /mcp",
    statuses: [200, 202, 400, 401, 403, 404, 408, 409, 422, 429, 500, 501, 502],
    security: [["basic"]],
  },
  "stackone_mcp_delete": {
    spec: "stackone",
    method: "delete",
    path: "/mcp",
    basePath: "",
    label: "DELETE /mcp",
    statuses: [200, 400, 401, 403, 404, 408, 409, 422, 429, 500, 501, 502],
    security: [["basic"],["ApiKey"]],
  },
  "deleteSmithery.run:namespace:connectionId": {
    spec: "smithery",
    method: "delete",
    path: "/connect/{namespace}/{connectionId}",
    basePath: "",
    label: "DELETE /connect/{namespace}/{connectionId}",
    statuses: [200, 400, 401, 404],
    security: [["bearerAuth"]],
  },
  "deleteMcpServer": {
    spec: "langsmith",
    method: "delete",
    path: "/mcp-servers/{mcp_server_id}",
    basePath: "/v1/deepagents",
    label: "DELETE /mcp-servers/{mcp_server_id}",
    statuses: [204, 400, 401, 403, 404, 500, 502, 503],
    security: [["apiKeyAuth"]],
  },
} as const;

export type OperationId = keyof typeof operationTable;

/** The openapi-typescript type of each operation, by operationId. */
export interface OperationTypes {
  "stackone_mcp_post": StackOneOperations["stackone_mcp_post"];
  "stackone_mcp_delete": StackOneOperations["stackone_mcp_delete"];
  "deleteSmithery.run:namespace:connectionId": SmitheryOperations["deleteSmithery.run:namespace:connectionId"];
  "deleteMcpServer": LangSmithOperations["deleteMcpServer"];
}

type MaybePromise<T> = T | Promise<T>;
type ParametersOf<Op> = Op extends { parameters: infer P } ? P : never;
type Field<T, K extends string> = T extends Record<K, infer V> ? V : T extends Partial<Record<K, infer V>> ? V | undefined : undefined;
type BodyOf<Op> = Op extends { requestBody: { content: infer C } }
  ? C[keyof C]
  : Op extends { requestBody?: { content: infer C } }
    ? C[keyof C] | undefined
    : undefined;

/** What a handler receives: the request's parameters and body, already validated against the spec. */
export interface HandlerRequest<Op> {
  path: Field<ParametersOf<Op>, 'path'>;
  query: Field<ParametersOf<Op>, 'query'>;
  header: Field<ParametersOf<Op>, 'header'>;
  body: BodyOf<Op>;
}

/** What a handler may answer: one of the operation's documented statuses, with that status's body. */
export type HandlerResponse<Op> = Op extends { responses: infer R }
  ? {
      [S in keyof R & number]: R[S] extends { content: infer C }
        ? {
            [M in keyof C & string]: { status: S; contentType: M; body: C[M]; headers?: Record<string, string> };
          }[keyof C & string]
        : { status: S; body?: undefined; headers?: Record<string, string> };
    }[keyof R & number]
  : never;

/** One handler per operationId. A spec operation without a handler here is a compile error. */
export type Handlers<Ctx> = {
  [K in OperationId]: (request: HandlerRequest<OperationTypes[K]>, ctx: Ctx) => MaybePromise<HandlerResponse<OperationTypes[K]>>;
};

