// The "bare Express" peer for `npm run bench`: Express 5, the same routes the bench calls, answering the same
// status, headers and body as the reference mock (bench/run.js checks that before it measures), with no
// credential check, no parameter or body validation, no state and no self-check. What it costs is the floor:
// Node's HTTP server + Express routing + JSON in and out.
//
//   node bench/bare-server.js [port] [--app-prototypes]
//                                        port: default 0, any free port; prints "listening on http://127.0.0.1:PORT".
//                                        --app-prototypes: Node makes each request and response with the app's
//                                        prototypes (as the mock's server does, mock/server.ts), so Express does not
//                                        swap them per request (expressjs/express#5998): the floor under that trick.
//   BENCH_BARE_TOOLS='[...]'              the tools/list result's tools (default [])
import { randomUUID } from 'node:crypto';
import http from 'node:http';
import express from 'express';

const cors = {
  'Access-Control-Allow-Origin': '*',
  'Access-Control-Expose-Headers': 'mcp-session-id, Retry-After, Allow',
};
const serverInfo = { name: 'stackone-mcp', title: 'StackOne MCP (mcp-contracts mock)', version: '1.0.0' };
// The mock's tool catalogue grows; the bench reads it from the running mock and hands it over, so that tools/list
// answers the same bytes here (JSON.stringify'd on every request, as the mock does).
const tools = JSON.parse(process.env.BENCH_BARE_TOOLS ?? '[]');

// As the mock does: `Vary: Origin` on every answer, the CORS headers only for a request that carries an Origin (the
// bench sends none), so both answer the same bytes (bench/load.js checks that before it measures).
function withCors(req, res) {
  res.setHeader('Vary', 'Origin');
  if (req.headers.origin) res.set(cors);
  return res;
}

const app = express();
app.disable('x-powered-by');
app.set('etag', false);

// LangSmith: DELETE /v1/deepagents/mcp-servers/{mcp_server_id} → 204, no body.
app.delete('/v1/deepagents/mcp-servers/:id', (req, res) => {
  withCors(req, res).status(204).end();
});

// StackOne: DELETE /mcp → 404 in StackOne's error shape (every session is unknown here).
app.delete('/mcp', (req, res) => {
  withCors(req, res)
    .status(404)
    .json({
      statusCode: 404,
      message: `MCP session '${req.get('mcp-session-id')}' not found or already closed`,
      timestamp: new Date().toISOString(),
    });
});

// StackOne: POST /mcp, JSON-RPC: initialize (with a session id header), ping, tools/list.
app.post('/mcp', express.json(), (req, res) => {
  const { id, method, params } = req.body ?? {};
  withCors(req, res);
  if (method === 'initialize') {
    res.setHeader('mcp-session-id', randomUUID());
    res.json({
      jsonrpc: '2.0',
      id,
      result: { protocolVersion: params?.protocolVersion, capabilities: { tools: { listChanged: false } }, serverInfo },
    });
  } else if (method === 'tools/list') {
    res.json({ jsonrpc: '2.0', id, result: { tools } });
  } else {
    res.json({ jsonrpc: '2.0', id, result: {} });
  }
});

const [portArg = '0', ...flags] = process.argv.slice(2);
// Old-style constructors, so that `prototype` can be the app's own objects (a class's prototype cannot be replaced).
function Request(socket) {
  http.IncomingMessage.call(this, socket);
}
function Response(req, options) {
  http.ServerResponse.call(this, req, options);
}
Request.prototype = app.request;
Response.prototype = app.response;
const made = flags.includes('--app-prototypes') ? { IncomingMessage: Request, ServerResponse: Response } : {};
const server = http.createServer(made, app);
server.once('error', (error) => {
  process.stderr.write(`bare express: ${error.message}\n`);
  process.exit(2);
});
server.listen(Number(portArg), '127.0.0.1', () => {
  process.stdout.write(`bare express listening on http://127.0.0.1:${server.address().port}\n`);
});

for (const signal of ['SIGINT', 'SIGTERM']) {
  process.on(signal, () => {
    server.close(() => process.exit(0));
    server.closeAllConnections();
  });
}
