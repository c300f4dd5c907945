import { randomUUID } from 'node:crypto';
import { defaultSessionLimits, type Fixtures, type StackOneSessionLimits } from '../fixtures.js';
import type { ClosedReason, MockState, StackOneSession } from '../state.js';
import type { MockContext } from '../types.js';

/**
 * MCP sessions: who may use one, how long it lives, and how many stay open.
 *
 * - A session belongs to the API key that opened it and to the account(s) it was opened for; anyone else is
 *   told "not found", the same answer as for an id that never existed, so ids cannot be probed across tenants.
 * - A session unused for longer than `idleTimeoutSeconds` is closed the next time anything looks at it.
 * - At most `maxSessions` are open; opening one more closes the one unused the longest (least recently used:
 *   an agent that keeps working in an old session keeps it, an abandoned one goes first).
 * - Sessions seeded from the fixtures are exempt from both, so documented examples that use them keep working.
 */

export function sessionLimits(fixtures: Fixtures): Required<StackOneSessionLimits> {
  return { ...defaultSessionLimits, ...fixtures.stackone.sessionLimits };
}

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

export type SessionLookup = { session: StackOneSession } | { notFound: string };

/**
 * The open session `id` as seen by the caller, marked as used now. It must exist, be open (not deleted, idle
 * past the timeout, or evicted), belong to the caller's key and, when the caller names an account, reach it.
 * The owner is told why a session of theirs is gone; anyone else gets the plain "not found".
 */
export function findOpenSession(ctx: MockContext, id: string, accountId: string | undefined): SessionLookup {
  const now = ctx.now();
  const notFound = { notFound: `MCP session '${id}' not found or already closed` };
  const session = ctx.state.stackone.sessions.get(id);
  if (!session || session.owner !== ctx.principal) return notFound;
  expireIfIdle(session, now, sessionLimits(ctx.fixtures));
  if (session.closedReason === 'expired' || session.closedReason === 'evicted') {
    return {
      notFound: `MCP session '${id}' ${closedBecause(session.closedReason, ctx.fixtures)}; initialize a new one`,
    };
  }
  if (session.closedAt !== undefined) return notFound;
  if (accountId !== undefined && !session.accountIds.includes(accountId)) return notFound;
  session.lastUsedMs = now.getTime();
  return { session };
}

export type NewSession = Pick<
  StackOneSession,
  'owner' | 'accountId' | 'accountIds' | 'protocolVersion' | 'paramStyle' | 'toolMode'
>;

/** Open a session, making room first: idle ones expire, and past the cap the least recently used is closed. */
export function openSession(state: MockState, fixtures: Fixtures, fields: NewSession, now: Date): StackOneSession {
  const limits = sessionLimits(fixtures);
  sweepSessions(state, fixtures, now);
  const open = [...state.stackone.sessions.values()].filter((s) => s.closedAt === undefined && !s.seeded);
  open.sort((a, b) => a.lastUsedMs - b.lastUsedMs);
  for (const session of open.slice(0, Math.max(0, open.length - limits.maxSessions + 1))) {
    closeSession(session, now, 'evicted');
  }
  const session: StackOneSession = {
    ...fields,
    id: randomUUID(),
    openedAt: now.toISOString(),
    lastUsedMs: now.getTime(),
    initializedAt: undefined,
    seeded: false,
    closedAt: undefined,
    closedReason: undefined,
  };
  state.stackone.sessions.set(session.id, session);
  return session;
}

export function closeSession(session: StackOneSession, now: Date, reason: ClosedReason): void {
  session.closedAt = now.toISOString();
  session.closedReason = reason;
}

/**
 * Time's housekeeping, done when someone looks rather than on a timer (the mock holds nothing open between
 * requests): idle sessions are closed, and closed ones beyond as many as may be open are forgotten, oldest first,
 * so a long-running mock does not grow without bound.
 */
export function sweepSessions(state: MockState, fixtures: Fixtures, now: Date): void {
  const limits = sessionLimits(fixtures);
  const closed: StackOneSession[] = [];
  for (const session of state.stackone.sessions.values()) {
    expireIfIdle(session, now, limits);
    if (session.closedAt !== undefined && !session.seeded) closed.push(session);
  }
  for (const session of closed.slice(0, Math.max(0, closed.length - limits.maxSessions))) {
    state.stackone.sessions.delete(session.id);
  }
}

function expireIfIdle(session: StackOneSession, now: Date, limits: Required<StackOneSessionLimits>): void {
  if (session.closedAt !== undefined || session.seeded || limits.idleTimeoutSeconds === 0) return;
  const idleSince = session.lastUsedMs + limits.idleTimeoutSeconds * 1000;
  if (now.getTime() > idleSince) closeSession(session, new Date(idleSince), 'expired');
}

function closedBecause(reason: 'expired' | 'evicted', fixtures: Fixtures): string {
  const limits = sessionLimits(fixtures);
  return reason === 'expired'
    ? `expired after ${limits.idleTimeoutSeconds} s without requests`
    : `was closed to make room: this server keeps at most ${limits.maxSessions} sessions open`;
}
