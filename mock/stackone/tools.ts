import type { components } from '../../generated/stackone.js';

/**
 * The tools `POST /mcp` offers. For now only the one the contract's own `toolsCall` example calls
 * (`hris_list_employees` with `{query: {page_size}}`), so that every documented message is processed as
 * documented; the linked-account catalogue (providers from the fixtures, `param-style`, `tool-mode`) grows
 * here.
 */

type Schemas = components['schemas'];

export interface McpToolDefinition {
  tool: Schemas['McpTool'];
  /** The result, or a message for invalid arguments (answered as JSON-RPC -32602, as MCP says). */
  call(args: Record<string, unknown>): { result: Schemas['McpToolsCallResult'] } | { invalid: string };
}

const demoEmployees = [
  { id: 'emp-001', first_name: 'Ada', last_name: 'Lovelace', work_email: 'ada@example.com', job_title: 'Engineer' },
  { id: 'emp-002', first_name: 'Grace', last_name: 'Hopper', work_email: 'grace@example.com', job_title: 'Admiral' },
  { id: 'emp-003', first_name: 'Alan', last_name: 'Turing', work_email: 'alan@example.com', job_title: 'Researcher' },
  {
    id: 'emp-004',
    first_name: 'Edsger',
    last_name: 'Dijkstra',
    work_email: 'edsger@example.com',
    job_title: 'Professor',
  },
  {
    id: 'emp-005',
    first_name: 'Barbara',
    last_name: 'Liskov',
    work_email: 'barbara@example.com',
    job_title: 'Professor',
  },
];

const hrisListEmployees: McpToolDefinition = {
  tool: {
    name: 'hris_list_employees',
    title: 'List employees',
    description: 'List the employees of the linked HRIS account.',
    inputSchema: {
      type: 'object',
      properties: {
        query: {
          type: 'object',
          properties: { page_size: { type: 'integer', minimum: 1, maximum: 100, description: 'Employees per page' } },
          additionalProperties: false,
        },
      },
      additionalProperties: false,
    } as Schemas['McpTool']['inputSchema'],
    annotations: { readOnlyHint: true },
  },
  call(args) {
    const query = (args.query ?? {}) as Record<string, unknown>;
    if (typeof query !== 'object' || query === null || Array.isArray(query))
      return { invalid: 'query must be an object' };
    const size = query.page_size ?? 25;
    if (typeof size !== 'number' || !Number.isInteger(size) || size < 1 || size > 100) {
      return { invalid: 'query.page_size must be an integer from 1 to 100' };
    }
    const data = demoEmployees.slice(0, size);
    return {
      result: {
        content: [{ type: 'text', text: JSON.stringify({ data }) }],
        structuredContent: { data },
        isError: false,
      },
    };
  },
};

export const mcpTools: McpToolDefinition[] = [hrisListEmployees];
