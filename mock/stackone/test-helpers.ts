import type { Express } from 'express';
import request from 'supertest';
import { parseSse } from '../../core/sse.js';

/**
 * A small JSON-RPC client over supertest for the StackOne `POST /mcp` tests: initialize, then messages in the
 * session, with the key, headers, query and Accept of each test's choosing. Tests only: nothing in production
 * imports this file.
 */

export interface SendOptions {
  key?: string;
  session?: string;
  accept?: string;
  /** Appended to `/mcp`, e.g. `?param-style=flat_prefixed`. */
  query?: string;
  headers?: Record<string, string>;
}

export const initializeMessage = (protocolVersion = '2025-06-18', id: string | number = 1) => ({
  jsonrpc: '2.0',
  id,
  method: 'initialize',
  params: { protocolVersion, capabilities: {}, clientInfo: { name: 'test', version: '1.0.0' } },
});

export function mcpClient(app: Express) {
  let nextId = 100;
  const post = (body: unknown, options: SendOptions = {}) => {
    const req = request(app)
      .post(`/mcp${options.query ?? ''}`)
      .auth(options.key ?? 'demo-key', '')
      .set(options.headers ?? {});
    if (options.session) req.set('mcp-session-id', options.session);
    if (options.accept) req.set('Accept', options.accept);
    return typeof body === 'string' ? req.type('json').send(body) : req.send(body as object);
  };
  return {
    post,
    /** Opens a session and returns its id (the test fails unless initialize answered 200 with one). */
    async initialize(options: SendOptions & { protocolVersion?: string } = {}): Promise<string> {
      const res = await post(initializeMessage(options.protocolVersion), options);
      if (res.status !== 200 || typeof res.headers['mcp-session-id'] !== 'string') {
        throw new Error(`initialize answered ${res.status}: ${res.text}`);
      }
      return res.headers['mcp-session-id'];
    },
    /** A request in the session; resolves the JSON-RPC response (from JSON or from the one SSE event). */
    async rpc(method: string, params: unknown, options: SendOptions = {}): Promise<JsonRpcAnswer> {
      const res = await post(
        { jsonrpc: '2.0', id: nextId++, method, ...(params === undefined ? {} : { params }) },
        options,
      );
      if (res.status !== 200) throw new Error(`${method} answered ${res.status}: ${res.text}`);
      return readMessage(res.text, res.headers['content-type']);
    },
    /** `tools/call`, resolving its JSON-RPC response. */
    call(name: string, args: unknown, options: SendOptions = {}) {
      return this.rpc('tools/call', { name, arguments: args }, options);
    },
  };
}

export interface JsonRpcAnswer {
  id: unknown;
  result?: {
    tools?: Array<{
      name: string;
      title?: string;
      inputSchema: { properties?: Record<string, unknown>; required?: string[] };
    }>;
    content?: Array<{ type: string; text?: string }>;
    structuredContent?: Record<string, unknown>;
    isError?: boolean;
    [key: string]: unknown;
  };
  error?: { code: number; message: string };
}

/** The JSON-RPC message of an answer, whether it came as JSON or as the single event of a stream. */
export function readMessage(text: string, contentType: string | undefined): JsonRpcAnswer {
  if (contentType?.startsWith('text/event-stream')) {
    const { events } = parseSse(text);
    if (events.length !== 1) throw new Error(`expected one event, got ${events.length}: ${text}`);
    return JSON.parse(events[0]?.data ?? '') as JsonRpcAnswer;
  }
  return JSON.parse(text) as JsonRpcAnswer;
}
