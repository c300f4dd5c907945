import { createHmac, randomBytes } from 'node:crypto';
import type { AccountRecord, Fixtures, RecordCollection, StackOneAccount } from './fixtures.js';
import type { InferredStore } from './inferred.js';

/**
 * The mock's in-memory state: what the real APIs would keep in their databases. Seeded from the fixtures and
 * mutated by the handlers. `resetState` refills the same Map objects, so a `MockState` handed out once (to a
 * test, to the `/__mock/state` route) stays the live one across resets.
 */

export type ParamStyle = 'nested' | 'flat_prefixed' | 'flat_smart';
export type ToolMode = 'individual' | 'search_execute';

/** Why a session is no longer open: deleted by its client, idle too long, or pushed out by the session cap. */
export type ClosedReason = 'deleted' | 'expired' | 'evicted';

export interface StackOneSession {
  id: string;
  /** The API key that opened the session; it alone may use or close it. */
  owner: string;
  /** The `x-account-id` given at initialize, if any. */
  accountId: string | undefined;
  /** The linked accounts the session reaches: the one named at initialize, else every account of the owner. */
  accountIds: string[];
  /** Negotiated at initialize; undefined for a session seeded from the fixtures (MCP then assumes 2025-03-26). */
  protocolVersion: string | undefined;
  /** `param-style` and `tool-mode` given at initialize: what later requests that do not name one get. */
  paramStyle: ParamStyle | undefined;
  toolMode: ToolMode | undefined;
  openedAt: string;
  /** Milliseconds since the epoch of the last request in the session, for the idle timeout and the cap. */
  lastUsedMs: number;
  /** When the client sent `notifications/initialized`. */
  initializedAt: string | undefined;
  /** Seeded from the fixtures: exempt from the idle timeout and the cap, so the README's examples keep working. */
  seeded: boolean;
  /** Set when the session was closed; a closed session answers 404 like an unknown one. */
  closedAt: string | undefined;
  closedReason: ClosedReason | undefined;
}

/** A linked account as the tools see it: the fixture's description and its records, which `create` tools extend. */
export interface LinkedAccount {
  id: string;
  owner: string;
  provider: string;
  category: StackOneAccount['category'];
  name: string | undefined;
  records: Record<RecordCollection, AccountRecord[]>;
}

export interface SmitheryNamespace {
  name: string;
  owner: string;
  connections: Set<string>;
}

export interface LangSmithMcpServer {
  id: string;
  /** The API key that registered it; only that key can delete it (another key's DELETE changes nothing). */
  owner: string;
  name: string;
  url: string | undefined;
}

export interface MockState {
  stackone: { sessions: Map<string, StackOneSession>; accounts: Map<string, LinkedAccount> };
  smithery: { namespaces: Map<string, SmitheryNamespace> };
  langsmith: { mcpServers: Map<string, LangSmithMcpServer> };
  /** The resources of each served spec file (`mock --spec FILE`), by spec name: emptied by a reset. */
  inferred: Map<string, InferredStore>;
}

export function createState(fixtures: Fixtures, now: Date = new Date()): MockState {
  const state: MockState = {
    stackone: { sessions: new Map(), accounts: new Map() },
    smithery: { namespaces: new Map() },
    langsmith: { mcpServers: new Map() },
    inferred: new Map(),
  };
  resetState(state, fixtures, now);
  return state;
}

export function resetState(state: MockState, fixtures: Fixtures, now: Date = new Date()): void {
  state.stackone.accounts.clear();
  for (const a of fixtures.stackone.accounts ?? []) {
    state.stackone.accounts.set(a.id, {
      id: a.id,
      owner: a.owner,
      provider: a.provider,
      category: a.category,
      name: a.name,
      // Copies: create tools add records, and a reset must bring back exactly the fixtures.
      records: {
        employees: structuredClone(a.employees ?? []),
        jobs: structuredClone(a.jobs ?? []),
        candidates: structuredClone(a.candidates ?? []),
      },
    });
  }
  state.stackone.sessions.clear();
  for (const s of fixtures.stackone.sessions ?? []) {
    state.stackone.sessions.set(s.id, {
      id: s.id,
      owner: s.owner,
      accountId: s.accountId,
      accountIds: s.accountId ? [s.accountId] : accountsOf(state, s.owner),
      protocolVersion: undefined,
      paramStyle: undefined,
      toolMode: undefined,
      openedAt: now.toISOString(),
      lastUsedMs: now.getTime(),
      initializedAt: undefined,
      seeded: true,
      closedAt: undefined,
      closedReason: undefined,
    });
  }
  state.smithery.namespaces.clear();
  for (const ns of fixtures.smithery.namespaces) {
    state.smithery.namespaces.set(ns.name, { name: ns.name, owner: ns.owner, connections: new Set(ns.connections) });
  }
  state.inferred.clear();
  state.langsmith.mcpServers.clear();
  for (const server of fixtures.langsmith.mcpServers ?? []) {
    const id = server.id.toLowerCase();
    const owner = server.owner ?? fixtures.langsmith.apiKeys[0] ?? '';
    state.langsmith.mcpServers.set(id, { id, owner, name: server.name, url: server.url });
  }
}

/** The ids of the accounts linked to `owner`, in fixture order. */
export function accountsOf(state: MockState, owner: string): string[] {
  return [...state.stackone.accounts.values()].filter((a) => a.owner === owner).map((a) => a.id);
}

/**
 * The state as JSON for `GET /__mock/state`. API keys are secrets even in a mock (people paste real ones into
 * fixtures), so owners are shown as a short fingerprint, never in full.
 */
export function stateSnapshot(state: MockState): Record<string, unknown> {
  const files = Object.fromEntries(
    [...state.inferred].map(([name, store]) => [
      name,
      {
        collections: Object.fromEntries([...store.collections].map(([path, records]) => [path, [...records.keys()]])),
        deleted: [...store.gone],
      },
    ]),
  );
  return {
    stackone: {
      sessions: [...state.stackone.sessions.values()].map((s) => ({
        id: s.id,
        owner: maskKey(s.owner),
        accountId: s.accountId ?? null,
        accountIds: s.accountIds,
        protocolVersion: s.protocolVersion ?? null,
        paramStyle: s.paramStyle ?? null,
        toolMode: s.toolMode ?? null,
        openedAt: s.openedAt,
        lastUsedAt: new Date(s.lastUsedMs).toISOString(),
        closedAt: s.closedAt ?? null,
        closedReason: s.closedReason ?? null,
        open: s.closedAt === undefined,
      })),
      accounts: [...state.stackone.accounts.values()].map((a) => ({
        id: a.id,
        owner: maskKey(a.owner),
        provider: a.provider,
        category: a.category,
        records: Object.fromEntries(Object.entries(a.records).map(([k, v]) => [k, v.length])),
      })),
    },
    smithery: {
      namespaces: [...state.smithery.namespaces.values()].map((ns) => ({
        name: ns.name,
        owner: maskKey(ns.owner),
        connections: [...ns.connections],
      })),
    },
    ...(state.inferred.size > 0 ? { files } : {}),
    langsmith: {
      mcpServers: [...state.langsmith.mcpServers.values()].map((s) => ({
        id: s.id,
        owner: maskKey(s.owner),
        name: s.name,
        url: s.url ?? null,
      })),
    },
  };
}

/** A secret of this process only, so that a fingerprint cannot be looked up or brute-forced offline. */
const fingerprintSalt = randomBytes(16);

/**
 * `demo-key` → `key#3fa2c1`: enough to tell keys apart within one run, and no character of the key itself, so
 * a short key is not shown nearly whole (as `de…ey` showed six of `demo-key`'s eight).
 */
export function maskKey(key: string): string {
  return `key#${createHmac('sha256', fingerprintSalt).update(key).digest('hex').slice(0, 6)}`;
}
