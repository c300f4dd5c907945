import { findResponse } from '../../core/operations.js';
import type { components } from '../../generated/langsmith.js';
import type { ApiModule, ErrorDetail, MockResponse } from '../types.js';

type ErrorResponse = components['schemas']['ErrorResponse'];

/** LangSmith's structured error (`type`, `code`, `detail`, `status`), with a type URL in its docs' style. */
export function langSmithError(status: number, code: string, detail: string): ErrorResponse {
  return { type: `https://docs.langchain.com/errors/${code}`, code, detail, status };
}

/**
 * LangSmith Managed Deep Agents: `DELETE /mcp-servers/{mcp_server_id}` with `X-Api-Key`. Its auth layer answers
 * `{"error": "Unauthorized"}` (401) without a key and `{"error": "Forbidden"}` (403) with a wrong one, as the
 * contract describes; every other error is the structured `ErrorResponse`. Deleting is idempotent: any UUID
 * answers 204, and a registered server is removed from the state when the key is its owner's.
 */
export const langsmith: ApiModule<'deleteMcpServer'> = {
  spec: 'langsmith',
  title: 'LangSmith',
  apiKeys: (fixtures) => fixtures.langsmith.apiKeys,
  wrongKeyStatus: 403,
  error(operation, status, detail: ErrorDetail): MockResponse | undefined {
    if (!findResponse(operation, status)) return undefined;
    if (status === 401) return { status, contentType: 'application/json', body: { error: 'Unauthorized' } };
    if (status === 403) return { status, contentType: 'application/json', body: { error: 'Forbidden' } };
    return { status, contentType: 'application/json', body: langSmithError(status, detail.code, detail.message) };
  },
  handlers: {
    deleteMcpServer(request, ctx) {
      const id = request.path.mcp_server_id.toLowerCase();
      // Servers belong to the key that registered them. Another key's DELETE is answered like one for an id it
      // has never seen (204, idempotent) and changes nothing: it can neither delete nor probe the server.
      if (ctx.state.langsmith.mcpServers.get(id)?.owner === ctx.principal) ctx.state.langsmith.mcpServers.delete(id);
      return { status: 204 };
    },
  },
};
