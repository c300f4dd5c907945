import { type ChildProcess, spawn } from 'node:child_process';
import { createServer, request as httpRequest } from 'node:http';
import type { AddressInfo } from 'node:net';
import { prismEntry } from '../../mock/prism/engine.js';

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
  const child = spawn(process.execPath, [prismEntry(), 'mock', file, '-h', '127.0.0.1', '-p', '0'], {
    stdio: ['ignore', 'pipe', 'pipe'],
    env: { ...process.env, FORCE_COLOR: '0', NO_COLOR: '1' },
  });
  let prismPort: number;
  try {
    prismPort = await listening(child, startTimeoutMs);
  } catch (error) {
    await stop(child);
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
      await stop(child);
    },
  };
}

// biome-ignore lint/suspicious/noControlCharactersInRegex: ANSI colour codes start with ESC.
const ansi = /\u001b\[[0-9;]*m/g;

function listening(child: ChildProcess, timeoutMs: number): Promise<number> {
  return new Promise((resolve, reject) => {
    let output = '';
    const timer = setTimeout(() => reject(new Error(`Prism did not start in ${timeoutMs} ms: ${output}`)), timeoutMs);
    const onData = (chunk: Buffer) => {
      if (output.length < 64 * 1024) output += chunk.toString();
      const match = /Prism is listening on http:\/\/[^\s:]+:(\d+)/.exec(output.replace(ansi, ''));
      if (!match) return;
      clearTimeout(timer);
      child.stdout?.off('data', onData);
      child.stdout?.resume();
      resolve(Number(match[1]));
    };
    child.stdout?.on('data', onData);
    child.stderr?.on('data', (chunk: Buffer) => {
      if (output.length < 64 * 1024) output += chunk.toString();
    });
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`Prism exited (code ${code}): ${output.replace(ansi, '').slice(-2000)}`));
    });
  });
}

function stop(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    const kill = setTimeout(() => child.kill('SIGKILL'), 2000);
    child.once('exit', () => {
      clearTimeout(kill);
      resolve();
    });
    child.kill('SIGTERM');
  });
}
