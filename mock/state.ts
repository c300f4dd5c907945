import type { Fixtures } from './fixtures.js';

/**
 * The mock's in-memory state: what the real APIs would keep in their databases. Seeded from the fixtures and
 * mutated by the handlers. `resetState` refills the same Map objects, so a `MockState` handed out once (to a
 * test, to the `/__mock/state` route) stays the live one across resets.
 */

export interface StackOneSession {
  id: string;
  /** The API key that opened the session; it alone may use or close it. */
  owner: string;
  /** The `x-account-id` given at initialize, if any. */
  accountId: string | undefined;
  protocolVersion: string | undefined;
  openedAt: string;
  /** Set when the session was closed by `DELETE /mcp`; a closed session answers 404 like an unknown one. */
  closedAt: string | undefined;
}

export interface SmitheryNamespace {
  name: string;
  owner: string;
  connections: Set<string>;
}

export interface LangSmithMcpServer {
  id: string;
  name: string;
  url: string | undefined;
}

export interface MockState {
  stackone: { sessions: Map<string, StackOneSession> };
  smithery: { namespaces: Map<string, SmitheryNamespace> };
  langsmith: { mcpServers: Map<string, LangSmithMcpServer> };
}

export function createState(fixtures: Fixtures, now: Date = new Date()): MockState {
  const state: MockState = {
    stackone: { sessions: new Map() },
    smithery: { namespaces: new Map() },
    langsmith: { mcpServers: new Map() },
  };
  resetState(state, fixtures, now);
  return state;
}

export function resetState(state: MockState, fixtures: Fixtures, now: Date = new Date()): void {
  state.stackone.sessions.clear();
  for (const s of fixtures.stackone.sessions ?? []) {
    state.stackone.sessions.set(s.id, {
      id: s.id,
      owner: s.owner,
      accountId: s.accountId,
      protocolVersion: undefined,
      openedAt: now.toISOString(),
      closedAt: undefined,
    });
  }
  state.smithery.namespaces.clear();
  for (const ns of fixtures.smithery.namespaces) {
    state.smithery.namespaces.set(ns.name, { name: ns.name, owner: ns.owner, connections: new Set(ns.connections) });
  }
  state.langsmith.mcpServers.clear();
  for (const server of fixtures.langsmith.mcpServers ?? []) {
    const id = server.id.toLowerCase();
    state.langsmith.mcpServers.set(id, { id, name: server.name, url: server.url });
  }
}

/**
 * The state as JSON for `GET /__mock/state`. API keys are secrets even in a mock (people paste real ones into
 * fixtures), so owners are shown as a short fingerprint, never in full.
 */
export function stateSnapshot(state: MockState): Record<string, unknown> {
  return {
    stackone: {
      sessions: [...state.stackone.sessions.values()].map((s) => ({
        id: s.id,
        owner: maskKey(s.owner),
        accountId: s.accountId ?? null,
        protocolVersion: s.protocolVersion ?? null,
        openedAt: s.openedAt,
        closedAt: s.closedAt ?? null,
        open: s.closedAt === undefined,
      })),
    },
    smithery: {
      namespaces: [...state.smithery.namespaces.values()].map((ns) => ({
        name: ns.name,
        owner: maskKey(ns.owner),
        connections: [...ns.connections],
      })),
    },
    langsmith: {
      mcpServers: [...state.langsmith.mcpServers.values()].map((s) => ({ id: s.id, name: s.name, url: s.url ?? null })),
    },
  };
}

/** `demo-key` → `de…ey`: enough to tell keys apart, not enough to use one. */
export function maskKey(key: string): string {
  if (key.length <= 4) return '…';
  return `${key.slice(0, 2)}…${key.slice(-2)}`;
}
