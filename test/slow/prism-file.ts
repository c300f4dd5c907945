import { createServer, request as httpRequest } from 'node:http';
import type { AddressInfo } from 'node:net';
import { basename } from 'node:path';
import { launchPrism, stopChild } from '../../mock/prism/engine.js';

/**
 * Stoplight Prism (the installed `@stoplight/prism-cli`) serving one OpenAPI file, as a user would start it:
 * `prism mock FILE -h 127.0.0.1 -p 0`. Prism serves every path from the root and ignores the spec's server
 * path, so a front on port 0 puts it where the spec says the API lives (`basePath`, e.g. Petstore's `/v2`)
 * and forwards the rest untouched — the same arrangement `mock --engine prism` uses for LangSmith. A real
 * deployment of Petstore lives at `/v2` too, so the runner's default (keep the spec's base path) applies.
 */
export interface PrismOnFile {
  url: string;
  close(): Promise<void>;
}

export async function startPrismOnFile(file: string, basePath = '', startTimeoutMs = 60_000): Promise<PrismOnFile> {
  const { child, ready } = launchPrism(file, basename(file), startTimeoutMs);
  let prismPort: number;
  try {
    prismPort = await ready;
  } catch (error) {
    await stopChild(child);
    throw error;
  }
  const front = createServer((req, res) => {
    const url = req.url ?? '/';
    const inner = basePath && (url === basePath || url.startsWith(`${basePath}/`) || url.startsWith(`${basePath}?`));
    if (basePath && !inner) {
      res.writeHead(404, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ message: `not under ${basePath}` }));
      return;
    }
    const path = inner ? url.slice(basePath.length) || '/' : url;
    const upstream = httpRequest(
      {
        host: '127.0.0.1',
        port: prismPort,
        method: req.method,
        path: path.startsWith('?') ? `/${path}` : path,
        headers: req.headers,
      },
      (answer) => {
        res.writeHead(answer.statusCode ?? 502, answer.headers);
        answer.pipe(res);
      },
    );
    upstream.on('error', () => {
      if (!res.headersSent) res.writeHead(502);
      res.end();
    });
    req.pipe(upstream);
  });
  await new Promise<void>((resolve) => front.listen(0, '127.0.0.1', resolve));
  const { port } = front.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    close: async () => {
      front.closeAllConnections();
      await new Promise<void>((resolve) => front.close(() => resolve()));
      await stopChild(child);
    },
  };
}
