import { type ChildProcess, spawn } from 'node:child_process';
import { request as httpRequest, type IncomingMessage, type ServerResponse } from 'node:http';
import { basename, dirname, join } from 'node:path';
import { ToolError } from '../../core/errors.js';
import { compilePathTemplate, indexOperations } from '../../core/operations.js';
import { prismPackage, resolveOptional } from '../../core/optional-dependency.js';
import { bundledSpecFile, bundledSpecNames } from '../../core/paths.js';
import { loadSpec } from '../../core/spec.js';
import { type OriginPolicy, originPolicy, refuseForeign } from '../origin.js';
import { reservedPrefix } from '../served.js';
import { baseUrl, closeServer, listen, type MockServerOptions, mockHttpServer, type RunningMock } from '../server.js';

/**
 * `--engine prism`: Stoplight Prism, one child process per spec on a free internal port, behind one front port
 * that routes by path exactly as the reference engine does (StackOne and Smithery at `/`, LangSmith at
 * `/v1/deepagents`, the base path stripped before it reaches Prism, which serves paths from the root). So the
 * same URLs and curl commands work with either engine.
 *
 * Children are Prism's own CLI, started with a tiny preload that ends the child when its stdin closes: if this
 * process dies without cleaning up (even by SIGKILL), the pipe closes and the children go too. A normal close
 * sends SIGTERM, then SIGKILL after two seconds.
 */

/** The reference engine's server options that mean something to Prism (no fixtures, handlers, self-check). */
export interface PrismMockOptions
  extends Pick<
    MockServerOptions,
    'specs' | 'port' | 'host' | 'delayMs' | 'log' | 'logRequests' | 'allowedOrigins' | 'timeouts'
  > {
  /** OpenAPI files to serve besides (or instead of) the bundled specs. */
  specFiles?: string[];
  /** How long to wait for every Prism to say it is listening (default 30 s). */
  startTimeoutMs?: number;
}

export interface RunningPrismMock extends RunningMock {
  /** Process ids of the Prism children, for tests that check nothing is left behind. */
  childPids: number[];
}

/** Ends the child when the parent's end of its stdin pipe closes. */
const watchdog = "data:text/javascript,process.stdin.on('end',()=>process.exit(0)).resume()";

interface Backend {
  spec: string;
  basePath: string;
  matchers: Array<(path: string) => unknown>;
  port: number;
  child: ChildProcess;
}

export function prismEntry(): string {
  // An optional peer dependency: absent, `mock --engine prism` stops with the command that installs it.
  return join(
    dirname(resolveOptional(prismPackage, '@stoplight/prism-cli/package.json', import.meta.url)),
    'dist',
    'index.js',
  );
}

export async function startPrismMock(options: PrismMockOptions): Promise<RunningPrismMock> {
  const files = options.specFiles ?? [];
  const names =
    options.specs && options.specs.length > 0
      ? [...new Set(options.specs)]
      : files.length > 0
        ? []
        : [...bundledSpecNames];
  const sources = [
    ...names.map((name) => ({ name: name as string, file: bundledSpecFile(name) })),
    ...files.map((file) => ({ name: basename(file).replace(/\.(ya?ml|json)$/i, ''), file })),
  ];
  const log = options.log ?? (() => {});
  const timeout = options.startTimeoutMs ?? 30_000;
  // All Prisms start at once (each takes about a second); a failure of one stops the others.
  const launched = sources.map(({ name, file }) => ({ name, file, ...launchPrism(file, name, timeout) }));
  let backends: Backend[];
  try {
    backends = await Promise.all(
      launched.map(async ({ name, file, child, ready }) => {
        const index = indexOperations(await loadSpec(file));
        return {
          spec: name,
          basePath: index.basePath,
          matchers: index.operations.map((op) => compilePathTemplate(op.path)),
          port: await ready,
          child,
        };
      }),
    );
  } catch (error) {
    await Promise.all(launched.map(({ child }) => stopChild(child)));
    throw error;
  }

  const host = options.host ?? '127.0.0.1';
  const requestLog = options.logRequests === false ? () => {} : log;
  const policy = originPolicy(host, options.allowedOrigins);
  const server = mockHttpServer(
    (req, res) => forward(req, res, backends, options.delayMs ?? 0, requestLog, policy),
    options.timeouts,
  );
  let port: number;
  try {
    port = await listen(server, options.port ?? 4010, host);
  } catch (error) {
    await Promise.all(backends.map((b) => stopChild(b.child)));
    throw error;
  }
  const url = baseUrl(host, port);
  const urls: Record<string, string> = {};
  for (const b of backends) urls[b.spec] = `${url}${b.basePath}`;
  let closing: Promise<void> | undefined;
  return {
    url,
    urls,
    childPids: backends.map((b) => b.child.pid ?? -1),
    close: () => {
      closing ??= Promise.all([closeServer(server), ...backends.map((b) => stopChild(b.child))]).then(() => {});
      return closing;
    },
  };
}

/**
 * One Prism process serving `file` on 127.0.0.1 and a free port, which `ready` resolves to. A stdin watchdog ends
 * it if this process dies; `stopChild` ends it otherwise. Exported for the third-party suites, which serve npm
 * specs the same way.
 */
export function launchPrism(
  file: string,
  name: string,
  timeoutMs: number,
): { child: ChildProcess; ready: Promise<number> } {
  const child = spawn(
    process.execPath,
    ['--import', watchdog, prismEntry(), 'mock', file, '--port', '0', '--host', '127.0.0.1'],
    { stdio: ['pipe', 'pipe', 'pipe'], env: { ...process.env, FORCE_COLOR: '0', NO_COLOR: '1' } },
  );
  const ready = new Promise<number>((resolve, reject) => {
    let output = '';
    const timer = setTimeout(() => fail(`it did not start within ${Math.round(timeoutMs / 1000)} s`), timeoutMs);
    const fail = (why: string) => {
      clearTimeout(timer);
      const last = output.replace(ansi, '').trim().split('\n').slice(-3).join(' | ');
      reject(
        new ToolError(
          'MCPC_SPEC_INVALID',
          `Prism could not serve ${name}: ${why}${last ? ` (its last words: ${last})` : ''}`,
          `run \`npx prism mock ${file}\` to see the whole story, or use --engine reference`,
        ),
      );
    };
    // Prism lists every route before it says it listens (GitHub's spec: 1,223 lines, ~150 KB), and logs every
    // request after: keep a rolling tail, which holds the "listening" line when it comes and the last words if not.
    const keep = (chunk: Buffer) => {
      output = (output + chunk.toString()).slice(-16 * 1024);
    };
    const onData = (chunk: Buffer) => {
      keep(chunk);
      const match = /Prism is listening on http:\/\/[^\s:]+:(\d+)/.exec(output.replace(ansi, ''));
      if (match) {
        clearTimeout(timer);
        child.stdout?.off('data', onData);
        child.stdout?.resume();
        resolve(Number(match[1]));
      }
    };
    child.stdout?.on('data', onData);
    child.stderr?.on('data', keep);
    child.once('error', (error) => fail(error.message));
    child.once('exit', (code, signal) => fail(`it exited (${signal ?? `code ${code}`})`));
  });
  // Settled by the caller's Promise.all; this only keeps an early failure from counting as unhandled.
  ready.catch(() => {});
  return { child, ready };
}

// biome-ignore lint/suspicious/noControlCharactersInRegex: ANSI colour codes start with ESC.
const ansi = /\u001b\[[0-9;]*m/g;

export function stopChild(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    const kill = setTimeout(() => child.kill('SIGKILL'), 2000);
    child.once('exit', () => {
      clearTimeout(kill);
      resolve();
    });
    child.stdin?.end();
    child.kill('SIGTERM');
  });
}

function forward(
  req: IncomingMessage,
  res: ServerResponse,
  backends: Backend[],
  delayMs: number,
  log: (line: string) => void,
  policy: OriginPolicy,
): void {
  const started = process.hrtime.bigint();
  const [path = '/', query] = (req.url ?? '/').split(/\?(.*)/s);
  res.on('finish', () => {
    const ms = Number(process.hrtime.bigint() - started) / 1e6;
    log(`${new Date().toTimeString().slice(0, 8)} ${req.method} ${path} ${res.statusCode} ${Math.round(ms)}ms (prism)`);
  });
  const json = (status: number, body: Record<string, string>, cors = true) => {
    res.writeHead(status, {
      'Content-Type': 'application/json; charset=utf-8',
      // The origin has passed refuseForeign by then; without one (not a browser) no CORS header is sent.
      ...(cors && req.headers.origin ? { 'Access-Control-Allow-Origin': req.headers.origin, Vary: 'Origin' } : {}),
    });
    res.end(JSON.stringify(body));
  };
  // Prism echoes any Origin with credentials; the front port refuses foreign ones before Prism sees them.
  const refused = refuseForeign(req.headers, policy, path === reservedPrefix || path.startsWith(`${reservedPrefix}/`));
  if (refused) {
    json(refused.status, refused.body, false);
    return;
  }
  if (path === reservedPrefix || path.startsWith(`${reservedPrefix}/`)) {
    json(501, {
      error: 'not_available',
      message: `the prism engine keeps no state; ${reservedPrefix} routes need --engine reference`,
    });
    return;
  }
  const backend = pickBackend(backends, path);
  if (!backend) {
    json(404, { error: 'not_found', message: `no operation at ${req.method} ${path} in the served specs` });
    return;
  }
  const inner = path.slice(backend.basePath.length) || '/';
  setTimeout(() => {
    const upstream = httpRequest(
      {
        host: '127.0.0.1',
        port: backend.port,
        method: req.method,
        path: query === undefined ? inner : `${inner}?${query}`,
        headers: req.headers,
      },
      (answer) => {
        res.writeHead(answer.statusCode ?? 502, answer.headers);
        answer.pipe(res);
      },
    );
    upstream.on('error', (error) => {
      if (!res.headersSent) json(502, { error: 'bad_gateway', message: `Prism for ${backend.spec}: ${error.message}` });
      else res.end();
    });
    req.pipe(upstream);
  }, delayMs);
}

/** The backend whose operations match the path; failing that, the one whose base path the path is under. */
function pickBackend(backends: Backend[], path: string): Backend | undefined {
  for (const b of backends) {
    if (b.basePath && !(path === b.basePath || path.startsWith(`${b.basePath}/`))) continue;
    const inner = path.slice(b.basePath.length) || '/';
    if (b.matchers.some((m) => m(inner))) return b;
  }
  return backends.find((b) => b.basePath && path.startsWith(`${b.basePath}/`));
}
