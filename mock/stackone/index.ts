import type { ApiModule } from '../types.js';
import { stackOneError, stackOneErrorBody, stackOneErrorFor } from './errors.js';
import { answerBodyProblem, handleMcpPost } from './mcp.js';
import { accountIdOf, closeSession, findOpenSession, sweepSessions } from './sessions.js';

/**
 * StackOne: `DELETE /mcp` closes a session, `POST /mcp` speaks MCP. HTTP Basic with the API key as username
 * (the password is ignored, as StackOne's own docs use an empty one); a missing or wrong key is 401.
 */
export const stackone: ApiModule<'stackone_mcp_delete' | 'stackone_mcp_post'> = {
  spec: 'stackone',
  title: 'StackOne',
  apiKeys: (fixtures) => fixtures.stackone.apiKeys,
  wrongKeyStatus: 401,
  error: stackOneErrorFor,
  bodyProblem: { stackone_mcp_post: answerBodyProblem },
  sweep: sweepSessions,
  // MCP Streamable HTTP: a server that offers no stream of its own on GET answers 405, which clients (the
  // official SDK among them) take as "no server-initiated messages here"; other methods the same way.
  methodNotAllowed(method, path, allow, now) {
    const hint =
      method === 'GET'
        ? 'this server offers no server-initiated event stream; POST JSON-RPC messages to it instead'
        : `use ${allow.filter((m) => m !== 'OPTIONS').join(' or ')}`;
    return {
      status: 405,
      contentType: 'application/json',
      body: stackOneErrorBody(405, `${method} is not supported on ${path}: ${hint}`, now),
    };
  },
  handlers: {
    stackone_mcp_post: handleMcpPost,

    stackone_mcp_delete(request, ctx) {
      const now = ctx.now();
      const { accountId, conflict } = accountIdOf(request.header['x-account-id'], request.query?.['x-account-id']);
      if (conflict) {
        return stackOneError(400, 'x-account-id is given as header and as query with different values; send one', now);
      }
      const found = findOpenSession(ctx, request.header['mcp-session-id'], accountId);
      if ('notFound' in found) return stackOneError(404, found.notFound, now);
      closeSession(found.session, now, 'deleted');
      return { status: 200 };
    },
  },
};
