import type { ApiModule } from '../types.js';
import { stackOneError, stackOneErrorFor } from './errors.js';
import { answerBodyProblem, handleMcpPost } from './mcp.js';
import { accountIdOf, findOpenSession } from './sessions.js';

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
  handlers: {
    stackone_mcp_post: handleMcpPost,

    stackone_mcp_delete(request, ctx) {
      const now = ctx.now();
      const { accountId, conflict } = accountIdOf(request.header['x-account-id'], request.query?.['x-account-id']);
      if (conflict) {
        return stackOneError(400, 'x-account-id is given as header and as query with different values; send one', now);
      }
      const id = request.header['mcp-session-id'];
      const session = findOpenSession(ctx, id, accountId);
      if (!session) return stackOneError(404, `MCP session '${id}' not found or already closed`, now);
      session.closedAt = now.toISOString();
      return { status: 200 };
    },
  },
};
