import { existsSync } from 'node:fs';
import { basename, relative, resolve } from 'node:path';
import { ToolError } from '../../core/errors.js';
import { type BundledSpecName, bundledSpecNames, isBundledSpecName } from '../../core/paths.js';
import type { Fixtures } from '../../mock/fixtures.js';
import { normaliseOrigin } from '../../mock/origin.js';
import type { RunningMock } from '../../mock/server.js';
import type { Output } from '../output.js';

/**
 * `mcp-contracts mock`: serve the bundled specs on one port until SIGINT or SIGTERM, print where and how to
 * call them, and close cleanly (Prism children included). Modules are loaded on demand so that `--help` stays
 * instant and `--engine reference` never loads Prism.
 */

export interface MockFlags {
  port?: string;
  host?: string;
  spec?: string[];
  engine?: 'reference' | 'prism';
  delay?: string;
  fixtures?: string;
  selfCheck?: boolean;
  quiet?: boolean;
  sessionIdleTimeout?: string;
  maxSessions?: string;
  allowOrigin?: string[];
  logFormat?: 'text' | 'json';
  seed?: string;
}

export async function mockCommand(flags: MockFlags, output: Output): Promise<number> {
  const startedAt = process.hrtime.bigint();
  const port = integerFlag(flags.port ?? '4010', '--port', 65_535);
  const delayMs = integerFlag(flags.delay ?? '0', '--delay', 600_000);
  const { names: specs, files: specFiles } = specNames(flags.spec);
  const engine = flags.engine ?? 'reference';
  const log = (line: string) => output.out(output.color.dim(line));
  const logRequests = flags.quiet !== true;
  const host = flags.host ?? '127.0.0.1';
  const allowedOrigins = originFlags(flags.allowOrigin);
  const seed = integerFlag(flags.seed ?? '1', '--seed', 2 ** 31 - 1);
  const sessionLimits = {
    ...(flags.sessionIdleTimeout === undefined
      ? {}
      : { idleTimeoutSeconds: integerFlag(flags.sessionIdleTimeout, '--session-idle-timeout', 604_800) }),
    ...(flags.maxSessions === undefined
      ? {}
      : { maxSessions: integerFlag(flags.maxSessions, '--max-sessions', 100_000, 1) }),
  };

  let running: RunningMock;
  let fixturesNote: string;
  let fixtures: Fixtures;
  if (engine === 'prism') {
    if (flags.fixtures) {
      throw new ToolError('MCPC_USAGE', '--fixtures needs --engine reference: Prism keeps no state');
    }
    if (flags.selfCheck) output.err(output.color.yellow('--self-check applies to --engine reference only; ignored'));
    if (flags.seed !== undefined) {
      output.err(
        output.color.yellow(
          "--seed applies to --engine reference only (Prism answers each request with the spec's example, nothing drawn); ignored",
        ),
      );
    }
    if (Object.keys(sessionLimits).length > 0) {
      output.err(
        output.color.yellow('--session-idle-timeout and --max-sessions apply to --engine reference only; ignored'),
      );
    }
    const { startPrismMock, prismEntry } = await import('../../mock/prism/engine.js');
    prismEntry(); // Prism missing: its dependency error, before anything says Prism is starting.
    output.out(output.color.dim(`starting Prism for ${[...specs, ...specFiles].join(', ')}…`));
    running = await startPrismMock({ specs, specFiles, port, host, delayMs, log, logRequests, allowedOrigins });
    fixtures = (await import('../../mock/fixtures.js')).defaultFixtures();
    fixturesNote = 'stateless: every valid request gets the spec example';
  } else {
    const { startMockServer } = await import('../../mock/server.js');
    const server = await startMockServer({
      specs,
      specFiles,
      port,
      host,
      delayMs,
      log,
      logRequests,
      selfCheck: flags.selfCheck === true,
      sessionLimits,
      allowedOrigins,
      logFormat: flags.logFormat ?? 'text',
      seed,
      ...(flags.fixtures ? { fixtures: flags.fixtures, watchFixtures: true } : {}),
    });
    running = server;
    fixtures = server.mock.fixtures();
    fixturesNote = flags.fixtures
      ? `fixtures ${relative(process.cwd(), flags.fixtures) || flags.fixtures} (reloaded when it changes)`
      : 'fixtures mock/fixtures.json';
  }

  const { exampleRequests } = await import('../../mock/examples.js');
  const ms = Number(process.hrtime.bigint() - startedAt) / 1e6;
  const c = output.color;
  output.out(
    c.bold(`mcp-contracts mock (${engine} engine) listening on ${running.url}`) +
      c.dim(` · ${fixturesNote}${engine === 'reference' && flags.selfCheck ? ' · self-check on' : ''}`),
  );
  const notice = networkNotice(
    host,
    'bound' in running && typeof running.bound === 'string' ? running.bound : `${host}:${new URL(running.url).port}`,
  );
  if (notice) output.out(c.yellow(`  ${notice}`));
  const titles: Record<BundledSpecName, string> = {
    stackone: 'StackOne',
    smithery: 'Smithery',
    langsmith: 'LangSmith',
  };
  for (const name of specs) output.out(`  ${titles[name].padEnd(10)} ${running.urls[name]}`);
  for (const file of specFiles) {
    const name = basename(file).replace(/\.(ya?ml|json)$/i, '');
    output.out(`  ${name.padEnd(10)} ${running.urls[name]} ${c.dim(`(${relative(process.cwd(), file) || file})`)}`);
  }
  if (specFiles.length > 0) {
    output.out(
      c.dim(
        engine === 'prism'
          ? '  spec files: Prism answers each valid request with the spec example; no state'
          : `  spec files: ${fixtures.specFileCredentials ? 'credentials from the fixtures (specFileCredentials)' : 'any non-empty credential is accepted'}; POST {collection} creates, {collection}/{id} reads, changes and deletes (404 after), GET {collection} lists`,
      ),
    );
    const records = Object.entries(fixtures.specFileRecords ?? {});
    if (engine === 'reference' && records.length > 0) {
      output.out(
        c.dim(`  records from the fixtures: ${records.map(([path, list]) => `${path} (${list.length})`).join(', ')}`),
      );
    }
  }
  output.out();
  output.out('Try:');
  for (const example of exampleRequests(fixtures, running.urls)) {
    // Each engine prints what it does: Prism keeps no state, so no seeded session and no "again: 404".
    if (engine === 'prism' && /seeded session/.test(example.title)) continue;
    const title =
      engine === 'prism'
        ? example.title.replace(/ \((\d{3}); again: 404\)/, " (Prism: the spec's example, every time)")
        : example.title;
    output.out(c.dim(`  # ${title}`));
    output.out(`  ${example.curl}`);
  }
  output.out(c.dim('  # any documented status: add -H "Prefer: code=429" (or example=NAME) to a valid request'));
  if (engine === 'reference') {
    output.out(c.dim("  # the mock's state (sessions, connections, servers), and back to the fixtures"));
    output.out(`  curl ${running.url}/__mock/state`);
    output.out(`  curl -X POST ${running.url}/__mock/reset`);
  }
  output.out(c.dim(`Ready in ${Math.round(ms)} ms. Ctrl-C to stop.`));

  const signal = await new Promise<NodeJS.Signals>((resolve) => {
    const stop = (s: NodeJS.Signals) => {
      process.off('SIGINT', stop);
      process.off('SIGTERM', stop);
      resolve(s);
    };
    process.on('SIGINT', stop);
    process.on('SIGTERM', stop);
  });
  output.out(c.dim(`${signal}: stopping…`));
  await running.close();
  output.out(c.dim('stopped'));
  return 0;
}

function integerFlag(value: string, flag: string, max: number, min = 0): number {
  if (!/^\d+$/.test(value) || Number(value) > max || Number(value) < min) {
    throw new ToolError(
      'MCPC_USAGE',
      `${flag} must be a whole number from ${min} to ${max}, got '${value}'`,
      `for example ${flag} ${min}`,
    );
  }
  return Number(value);
}

/** `--allow-origin` values as origins; a path, a wildcard or a non-HTTP scheme is a usage error. */
function originFlags(given: string[] | undefined): string[] {
  return (given ?? []).map((value) => {
    const origin = normaliseOrigin(value);
    if (!origin || origin !== value.replace(/\/$/, '').toLowerCase()) {
      throw new ToolError(
        'MCPC_USAGE',
        `--allow-origin '${value}' is not an origin (scheme://host[:port], nothing after it)`,
        'for example --allow-origin http://app.local:3000',
      );
    }
    return origin;
  });
}

/** `--spec` values: bundled spec names, and OpenAPI files (any path that exists). */
function specNames(given: string[] | undefined): { names: BundledSpecName[]; files: string[] } {
  if (!given || given.length === 0) return { names: [...bundledSpecNames], files: [] };
  const names: BundledSpecName[] = [];
  const files: string[] = [];
  for (const name of given) {
    if (isBundledSpecName(name)) {
      if (!names.includes(name)) names.push(name);
    } else if (existsSync(name)) {
      if (!files.includes(resolve(name))) files.push(resolve(name));
    } else {
      throw new ToolError(
        'MCPC_USAGE',
        `--spec '${name}' is neither a bundled spec (${bundledSpecNames.join(', ')}) nor a file`,
        'for example --spec stackone, or --spec ./openapi.yaml',
      );
    }
  }
  return { names, files };
}

/**
 * What the banner says of a bind beyond this machine: a wildcard (`0.0.0.0`, `::`) listens on every interface,
 * so anyone who can reach the machine can call the mock; the address printed is the one the socket is bound to
 * (the URL above shows 127.0.0.1, which is where to call it from here).
 */
export function networkNotice(host: string, bound: string): string | undefined {
  const wildcard = ['0.0.0.0', '::', '[::]'].includes(host);
  if (!wildcard && ['127.0.0.1', 'localhost', '::1', '[::1]'].includes(host)) return undefined;
  const where = wildcard ? `listening on every interface (bound to ${bound})` : `listening on ${bound}`;
  return `${where}: the mock is reachable from the network — anyone who can reach this machine can call it with the fixtures' keys; /__mock/* answers only on 127.0.0.1/localhost${wildcard ? '' : ` and ${host}`}`;
}
