import type { StackOneSession } from '../state.js';
import type { MockContext } from '../types.js';

/**
 * The `x-account-id` of a request: header or query (StackOne documents both). When both are given they must
 * agree; `conflict` says they do not.
 */
export function accountIdOf(
  header: string | undefined,
  query: unknown,
): { accountId: string | undefined; conflict: boolean } {
  const fromQuery = query === undefined || query === null ? undefined : String(query);
  if (header !== undefined && fromQuery !== undefined && header !== fromQuery) {
    return { accountId: undefined, conflict: true };
  }
  return { accountId: header ?? fromQuery, conflict: false };
}

/**
 * The open session `id` as seen by the caller: it must exist, be open, belong to the caller's key and, when
 * the caller names an account, to that account. Anything else is "not found" — deliberately the same answer
 * for a session that exists but belongs to someone else, so that ids cannot be probed across tenants.
 */
export function findOpenSession(
  ctx: MockContext,
  id: string,
  accountId: string | undefined,
): StackOneSession | undefined {
  const session = ctx.state.stackone.sessions.get(id);
  if (!session || session.closedAt !== undefined || session.owner !== ctx.principal) return undefined;
  if (accountId !== undefined && session.accountId !== undefined && accountId !== session.accountId) return undefined;
  return session;
}
