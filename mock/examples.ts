import type { BundledSpecName } from '../core/paths.js';
import type { Fixtures } from './fixtures.js';
import { actionsFor } from './stackone/catalogue.js';

/**
 * Ready-to-paste curl commands for a running mock, made from the fixtures in force (so a custom fixtures file
 * gets commands with its own keys and ids). The CLI prints them at start; the tests run each one against a
 * live server, so the printed commands cannot rot.
 */

export interface ExampleRequest {
  spec: BundledSpecName;
  title: string;
  /** What the command answers against fresh fixtures, e.g. `200 {"success":true}`. */
  expect: number;
  curl: string;
}

export const initializeBody =
  '{"jsonrpc":"2.0","id":1,"method":"initialize","params":{"protocolVersion":"2025-06-18","capabilities":{},"clientInfo":{"name":"curl","version":"1.0.0"}}}';

export function exampleRequests(fixtures: Fixtures, urls: Partial<Record<BundledSpecName, string>>): ExampleRequest[] {
  const examples: ExampleRequest[] = [];
  const stackone = urls.stackone;
  if (stackone) {
    const key = fixtures.stackone.apiKeys[0] ?? '';
    examples.push({
      spec: 'stackone',
      title: 'StackOne: open an MCP session (the id comes back in the mcp-session-id header)',
      expect: 200,
      curl: `curl -i ${stackone}/mcp -u ${shellQuote(`${key}:`)} -H 'Content-Type: application/json' -d ${shellQuote(initializeBody)}`,
    });
    const session = fixtures.stackone.sessions?.find((s) => s.owner === key);
    // A tool of the seeded session's first account, so a custom fixtures file gets a call that works too.
    const account = (fixtures.stackone.accounts ?? []).find(
      (a) => a.owner === key && (session?.accountId === undefined || a.id === session.accountId),
    );
    const tool = account ? actionsFor(account.category)[0]?.name : undefined;
    if (session && tool) {
      const call = `{"jsonrpc":"2.0","id":2,"method":"tools/call","params":{"name":"${tool}","arguments":{"query":{"page_size":2}}}}`;
      examples.push({
        spec: 'stackone',
        title: `StackOne: call a tool in the seeded session (${tool}, first page of 2)`,
        expect: 200,
        curl: `curl -i ${stackone}/mcp -u ${shellQuote(`${key}:`)} -H ${shellQuote(`mcp-session-id: ${session.id}`)} -H 'Content-Type: application/json' -d ${shellQuote(call)}`,
      });
    }
    if (session) {
      examples.push({
        spec: 'stackone',
        title: 'StackOne: close a session (200; again: 404)',
        expect: 200,
        curl: `curl -i -X DELETE ${stackone}/mcp -u ${shellQuote(`${key}:`)} -H ${shellQuote(`mcp-session-id: ${session.id}`)}`,
      });
    }
  }
  const smithery = urls.smithery;
  const namespace = fixtures.smithery.namespaces.find((n) => n.connections.length > 0);
  if (smithery && namespace) {
    examples.push({
      spec: 'smithery',
      title: 'Smithery: delete a connection (200; again: 404)',
      expect: 200,
      curl: `curl -i -X DELETE ${smithery}/connect/${namespace.name}/${namespace.connections[0]} -H ${shellQuote(`Authorization: Bearer ${namespace.owner}`)}`,
    });
  }
  const langsmith = urls.langsmith;
  if (langsmith) {
    const id = fixtures.langsmith.mcpServers?.[0]?.id ?? '3fa85f64-5717-4562-b3fc-2c963f66afa6';
    examples.push({
      spec: 'langsmith',
      title: 'LangSmith: delete an MCP server (204 for any UUID)',
      expect: 204,
      curl: `curl -i -X DELETE ${langsmith}/mcp-servers/${id} -H ${shellQuote(`X-Api-Key: ${fixtures.langsmith.apiKeys[0] ?? ''}`)}`,
    });
  }
  return examples;
}

/** Single quotes for a POSIX shell; a value without special characters stays bare. */
export function shellQuote(value: string): string {
  if (/^[A-Za-z0-9_./:@=+-]+$/.test(value)) return value;
  return `'${value.replace(/'/g, `'\\''`)}'`;
}
