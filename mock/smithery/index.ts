import { findResponse } from '../../core/operations.js';
import type { ApiModule, ErrorDetail } from '../types.js';

/** Smithery's `Error` schema: `{error, message}` and nothing else. */
export interface SmitheryErrorResponse<S extends 400 | 401 | 404> {
  status: S;
  contentType: 'application/json';
  body: { error: string; message: string };
}

export function smitheryError<S extends 400 | 401 | 404>(
  status: S,
  error: string,
  message: string,
): SmitheryErrorResponse<S> {
  return { status, contentType: 'application/json', body: { error, message } };
}

/** Namespaces and connection ids are slugs; anything else is malformed input (400), not an unknown one (404). */
const slug = /^[A-Za-z0-9][A-Za-z0-9._-]{0,127}$/;

/**
 * Smithery: `DELETE /connect/{namespace}/{connectionId}` with a bearer API key. A key owns namespaces; a
 * namespace that does not exist and one owned by another key both answer 404, so that a key cannot learn which
 * namespaces others have. The published contract documents no 401; the working contract adds it with the
 * `Error` schema (specs/README.md, "a documented 401"), and that is what a missing or wrong key gets.
 */
export const smithery: ApiModule<'deleteSmithery.run:namespace:connectionId'> = {
  spec: 'smithery',
  title: 'Smithery',
  apiKeys: (fixtures) => fixtures.smithery.apiKeys,
  wrongKeyStatus: 401,
  error(operation, status, detail: ErrorDetail) {
    if (!findResponse(operation, status) || ![400, 401, 404].includes(status)) return undefined;
    return smitheryError(status as 400 | 401 | 404, detail.code, detail.message);
  },
  handlers: {
    'deleteSmithery.run:namespace:connectionId'(request, ctx) {
      const { namespace, connectionId } = request.path;
      for (const [name, value] of [
        ['namespace', namespace],
        ['connectionId', connectionId],
      ] as const) {
        if (!slug.test(value)) {
          return smitheryError(
            400,
            'bad_request',
            `${name} '${value}' is malformed: use 1 to 128 letters, digits, '.', '_' or '-', starting with a letter or digit`,
          );
        }
      }
      const owned = ctx.state.smithery.namespaces.get(namespace);
      if (!owned || owned.owner !== ctx.principal) {
        return smitheryError(404, 'not_found', `Namespace '${namespace}' not found`);
      }
      if (!owned.connections.delete(connectionId)) {
        return smitheryError(404, 'not_found', `Connection '${connectionId}' not found in namespace '${namespace}'`);
      }
      return { status: 200, contentType: 'application/json', body: { success: true } };
    },
  },
};
