import { accessSync, constants, existsSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { normaliseScheme, parseAuthArguments, secretsOf } from '../../conformance/engine/auth.js';
import { defaultMaxExamples } from '../../conformance/engine/fuzz.js';
import type { DescribedCase } from '../../conformance/engine/phases.js';
import {
  type ConformanceOptions,
  defaultRunOptions,
  prepareConformance,
  runConformance,
} from '../../conformance/engine/run.js';
import { parseShard } from '../../conformance/engine/shard.js';
import { createRedactor } from '../../conformance/http/curl.js';
import {
  parseReportArgument,
  type ReportTarget,
  writeReportFile,
  writeReports,
} from '../../conformance/reporters/index.js';
import { policyLine, renderTerminal } from '../../conformance/reporters/terminal.js';
import type { ConformanceEvent } from '../../conformance/types.js';
import { ToolError } from '../../core/errors.js';
import { bundledSpecNames, packageRoot } from '../../core/paths.js';
import type { Output } from '../output.js';

export interface ConformanceFlags {
  target?: string;
  spec?: string[];
  auth?: string[];
  param?: string[];
  report?: string[];
  allowDestructive?: boolean;
  dryRun?: boolean;
  seed?: string;
  maxExamples?: string;
  checks?: string;
  excludeChecks?: string;
  operation?: string[];
  tag?: string[];
  timeout?: string;
  maxBodySize?: string;
  maxResponseTime?: string;
  concurrency?: string;
  shard?: string;
  rateLimit?: string;
  maxRetryWait?: string;
  requireCoverage?: string;
  strict?: boolean;
  config?: string;
}

const configKeys = new Set([
  'target',
  'specs',
  'params',
  'reports',
  'allowDestructive',
  'seed',
  'maxExamples',
  'checks',
  'excludeChecks',
  'operations',
  'tags',
  'timeout',
  'maxBodySize',
  'maxResponseTime',
  'concurrency',
  'rateLimit',
  'maxRetryWait',
  'requireCoverage',
  'strict',
]);

/** `mcp-contracts.config.json`: everything but secrets, which come only from MCP_CONTRACTS_AUTH_<SCHEME>. */
function readConfig(flags: ConformanceFlags): Record<string, unknown> {
  const file = flags.config ? resolve(flags.config) : resolve('mcp-contracts.config.json');
  if (!existsSync(file)) {
    if (flags.config) throw new ToolError('MCPC_CONFIG', `config file ${file} not found`, 'check the --config path');
    return {};
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(readFileSync(file, 'utf8'));
  } catch (error) {
    throw new ToolError('MCPC_CONFIG', `${file}: not valid JSON: ${(error as Error).message}`, 'fix the JSON syntax');
  }
  if (!parsed || typeof parsed !== 'object' || Array.isArray(parsed)) {
    throw new ToolError('MCPC_CONFIG', `${file}: expected a JSON object`, 'see the README section "Config file"');
  }
  const config = parsed as Record<string, unknown>;
  if ('auth' in config) {
    throw new ToolError(
      'MCPC_CONFIG',
      `${file}: 'auth' is not allowed in a config file — secrets would end up in the repository`,
      'set MCP_CONTRACTS_AUTH_<SCHEME> in the environment instead (e.g. MCP_CONTRACTS_AUTH_BEARERAUTH)',
    );
  }
  for (const key of Object.keys(config)) {
    if (!configKeys.has(key)) {
      throw new ToolError('MCPC_CONFIG', `${file}: unknown key '${key}'`, `known keys: ${[...configKeys].join(', ')}`);
    }
  }
  return config;
}

function stringList(value: unknown, key: string): string[] | undefined {
  if (value === undefined) return undefined;
  if (Array.isArray(value) && value.every((v) => typeof v === 'string')) return value;
  throw new ToolError('MCPC_CONFIG', `config '${key}' must be a list of strings`, `write "${key}": ["…"]`);
}

function numberOption(raw: unknown, name: string, { min = 0, integer = true } = {}): number | undefined {
  if (raw === undefined || raw === null || raw === '') return undefined;
  const value = Number(raw);
  if (!Number.isFinite(value) || value < min || (integer && !Number.isInteger(value))) {
    throw new ToolError(
      'MCPC_USAGE',
      `${name} must be a${integer ? 'n integer' : ' number'} ≥ ${min}, got '${String(raw)}'`,
      `for example ${name} 10`,
    );
  }
  return value;
}

function booleanOption(value: unknown, key: string): boolean {
  if (value === undefined) return false;
  if (typeof value === 'boolean') return value;
  throw new ToolError('MCPC_CONFIG', `config '${key}' must be true or false`, `write "${key}": true`);
}

function parseParams(values: string[]): Map<string, string> {
  const params = new Map<string, string>();
  for (const raw of values) {
    const eq = raw.indexOf('=');
    if (eq <= 0) {
      throw new ToolError(
        'MCPC_USAGE',
        `--param '${raw}' is not NAME=VALUE`,
        'for example --param namespace=demo or --param header.x-account-id=acc_123',
      );
    }
    params.set(raw.slice(0, eq), raw.slice(eq + 1));
  }
  return params;
}

function listFlag(value: string | undefined): string[] | undefined {
  return value
    ?.split(',')
    .map((s) => s.trim())
    .filter(Boolean);
}

export async function conformanceCommand(flags: ConformanceFlags, output: Output): Promise<number> {
  const config = readConfig(flags);
  const version = (JSON.parse(readFileSync(join(packageRoot, 'package.json'), 'utf8')) as { version: string }).version;
  const target = flags.target ?? (config.target as string | undefined);
  const inProcess = target === undefined;
  // The reference implementation (and Express with it) is loaded only when it is what gets checked.
  const reference = inProcess ? await import('../../drift/reference.js') : undefined;
  const configParams =
    config.params && typeof config.params === 'object'
      ? Object.entries(config.params as Record<string, unknown>).map(([k, v]) => `${k}=${String(v)}`)
      : [];
  const authArgs = flags.auth ?? [];
  const credentials = parseAuthArguments(
    reference && authArgs.length === 0 ? reference.referenceDefaults.auth : authArgs,
  );
  const authFromFlags = authArgs.map((a) => a.slice(0, Math.max(0, a.indexOf('='))));
  const paramArgs = flags.param ?? configParams;
  const reports: ReportTarget[] = (flags.report ?? stringList(config.reports, 'reports') ?? []).map(
    parseReportArgument,
  );
  // Before anything is sent: a report that cannot be written would lose the verdict of the whole run.
  for (const r of reports) {
    const dir = dirname(resolve(r.file));
    try {
      accessSync(dir, constants.W_OK);
    } catch {
      throw new ToolError(
        'MCPC_IO',
        `cannot write the ${r.format} report to ${r.file}: ${dir} does not exist or is not writable`,
        'create the folder or give another path; nothing was sent',
      );
    }
  }
  const specs = flags.spec ?? stringList(config.specs, 'specs') ?? [...bundledSpecNames];

  const options: ConformanceOptions = {
    specs,
    target: target ?? 'http://127.0.0.1:1',
    credentials,
    params: reference && paramArgs.length === 0 ? reference.referenceDefaults.params : parseParams(paramArgs),
    allowDestructive: inProcess || flags.allowDestructive === true || config.allowDestructive === true,
    seed: numberOption(flags.seed ?? config.seed, '--seed') ?? defaultRunOptions.seed,
    maxExamples: numberOption(flags.maxExamples ?? config.maxExamples, '--max-examples') ?? defaultMaxExamples,
    checks: listFlag(flags.checks) ?? stringList(config.checks, 'checks'),
    excludeChecks: listFlag(flags.excludeChecks) ?? stringList(config.excludeChecks, 'excludeChecks'),
    operations: flags.operation ?? stringList(config.operations, 'operations'),
    tags: flags.tag ?? stringList(config.tags, 'tags'),
    timeoutMs: numberOption(flags.timeout ?? config.timeout, '--timeout', { min: 1 }) ?? defaultRunOptions.timeoutMs,
    maxResponseTimeMs: numberOption(flags.maxResponseTime ?? config.maxResponseTime, '--max-response-time', { min: 1 }),
    maxBodyBytes:
      numberOption(flags.maxBodySize ?? config.maxBodySize, '--max-body-size', { min: 1 }) ??
      defaultRunOptions.maxBodyBytes,
    concurrency:
      numberOption(flags.concurrency ?? config.concurrency, '--concurrency', { min: 1 }) ??
      defaultRunOptions.concurrency,
    shard: flags.shard === undefined ? undefined : parseShard(flags.shard),
    rateLimit: numberOption(flags.rateLimit ?? config.rateLimit, '--rate-limit', { min: 0, integer: false }),
    authFromFlags,
    strict: flags.strict === true || booleanOption(config.strict, 'strict'),
    maxRetryWaitMs:
      (numberOption(flags.maxRetryWait ?? config.maxRetryWait, '--max-retry-wait', { integer: false }) ??
        defaultRunOptions.maxRetryWaitMs / 1000) * 1000,
  };
  const requireCoverage = numberOption(flags.requireCoverage ?? config.requireCoverage, '--require-coverage', {
    integer: false,
  });
  if (requireCoverage !== undefined && requireCoverage > 100) {
    throw new ToolError(
      'MCPC_USAGE',
      `--require-coverage must be at most 100, got ${requireCoverage}`,
      'for example --require-coverage 80',
    );
  }

  if (flags.dryRun) return dryRun(options, output, inProcess, reports);

  const progress = progressLine();
  options.onEvent = progress.onEvent;
  const interruption = onInterrupt(output, progress.clear);
  options.signal = interruption.signal;
  try {
    const result = reference
      ? await reference.runReferenceConformance({
          ...options,
          onStart: (url) =>
            output.err(
              output.color.dim(`no --target: checking the reference implementation, started in-process at ${url}`),
            ),
        })
      : await runConformance(options);
    progress.clear();
    for (const line of renderTerminal(result, output.color)) output.out(line);
    writeReports(reports, result, version);
    for (const r of reports) output.out(output.color.dim(`wrote ${r.format} report to ${r.file}`));
    // 128 + SIGINT, as shells report a Ctrl-C: the run was not carried out, whatever it found so far.
    if (result.status === 'interrupted') return 130;
    if (result.summary.failures > 0) return 1;
    if (result.inconclusive) {
      output.out(output.color.red(`inconclusive: ${result.inconclusive}`));
      return 2;
    }
    if (result.summary.errored > 0) {
      output.out(
        output.color.red(
          `${result.summary.errored} case(s) errored (no response): the deployment was not fully checked, so the run does not pass`,
        ),
      );
      return 1;
    }
    if (requireCoverage !== undefined && result.summary.coveragePercent < requireCoverage) {
      output.out(
        output.color.red(`coverage ${result.summary.coveragePercent}% is below --require-coverage ${requireCoverage}%`),
      );
      return 1;
    }
    return 0;
  } finally {
    interruption.dispose();
    progress.clear();
  }
}

/**
 * SIGINT/SIGTERM interrupt the run: the engine stops sending, deletes what the run created and returns a result
 * marked interrupted (exit 130). A second signal quits at once.
 */
function onInterrupt(output: Output, clear: () => void): { signal: AbortSignal; dispose: () => void } {
  const controller = new AbortController();
  const handler = (name: NodeJS.Signals) => {
    clear();
    if (controller.signal.aborted) {
      output.err(output.color.red(`${name} again: quitting without cleanup`));
      process.exit(130);
    }
    output.err(
      output.color.yellow(
        `${name}: interrupted — no new requests; deleting what the run created, then writing the reports (${name} again quits at once)`,
      ),
    );
    controller.abort();
  };
  process.on('SIGINT', handler);
  process.on('SIGTERM', handler);
  return {
    signal: controller.signal,
    dispose() {
      process.off('SIGINT', handler);
      process.off('SIGTERM', handler);
    },
  };
}

/** The plan a dry run writes with `--report json=FILE`: every phase's cases and requests, each marked for consent. */
interface PlanReport {
  format: 'mcp-contracts-plan';
  version: 1;
  policy: 'lenient' | 'strict';
  allowDestructive: boolean;
  specs: Array<{ name: string; baseUrl: string; phases: Array<{ name: string; cases: DescribedCase[] }> }>;
  /** Planned requests by consent marking (safe / undoable / needs-consent). */
  consent: Record<string, number>;
  remarks: string[];
}

async function dryRun(
  options: ConformanceOptions,
  output: Output,
  inProcess: boolean,
  reports: ReportTarget[],
): Promise<number> {
  const prepared = await prepareConformance(options);
  output.out(
    output.color.bold(
      `Plan (dry run: nothing is sent)${inProcess ? ' — no --target: the reference implementation would be started in-process' : ''}`,
    ),
  );
  const redactSecrets = createRedactor(secretsOf(options.credentials)).redact;
  const counts = new Map<string, number>();
  const consent: Record<string, number> = { safe: 0, undoable: 0, 'needs-consent': 0 };
  const policy = options.strict ? 'strict' : 'lenient';
  const plan: PlanReport = {
    format: 'mcp-contracts-plan',
    version: 1,
    policy,
    allowDestructive: options.allowDestructive,
    specs: [],
    consent,
    remarks: prepared.remarks,
  };
  for (const spec of prepared.plans) {
    output.out();
    output.out(`${spec.compiled.spec.name} → ${spec.baseUrl}`);
    const phases: PlanReport['specs'][number]['phases'] = [];
    for (const phase of prepared.phases) {
      const described = phase.describe(spec, options).map((c) => ({
        ...c,
        requests: c.requests.map((r) => ({
          ...r,
          url: redactSecrets(r.url),
          body: r.body === undefined ? undefined : redactSecrets(r.body),
        })),
      }));
      if (described.length === 0) continue;
      phases.push({ name: phase.name, cases: described });
      output.out(output.color.bold(`  phase ${phase.name}`));
      for (const c of described) {
        counts.set(phase.name, (counts.get(phase.name) ?? 0) + 1);
        output.out(`  ${c.id}  ${c.title}${c.skip ? output.color.yellow(` — not sent: ${c.skip}`) : ''}`);
        for (const r of c.requests) {
          if (!c.skip) consent[r.consent] = (consent[r.consent] ?? 0) + 1;
          output.out(
            output.color.dim(
              `      [${r.consent}] ${r.name ? `${r.name}: ` : ''}${r.method} ${r.url}${r.body ? ` body ${r.body.slice(0, 80).replace(/\r?\n/g, '⏎')}` : ''}`,
            ),
          );
        }
      }
    }
    plan.specs.push({ name: spec.compiled.spec.name, baseUrl: spec.baseUrl, phases });
  }
  for (const r of prepared.remarks) output.out(`- ${r}`);
  output.out();
  const planned = [...counts].map(([phase, n]) => `${n} ${phase}`).join(', ');
  output.out(`planned: ${planned || 'nothing'}; checks: ${prepared.checks.map((c) => c.id).join(', ')}`);
  output.out(
    `consent: ${consent.safe} safe, ${consent.undoable} undoable (deleted at the end), ${consent['needs-consent']} needing consent${options.allowDestructive ? ' (given: --allow-destructive)' : ''}`,
  );
  output.out(`verdict policy: ${policyLine(policy)}`);
  const unknownAuth = [...options.credentials.keys()].filter(
    (k) =>
      !prepared.plans.some((p) => [...p.compiled.index.securitySchemes.keys()].some((s) => normaliseScheme(s) === k)),
  );
  for (const k of unknownAuth) output.out(`- --auth ${k} names no security scheme of the selected specs`);
  for (const r of reports) {
    if (r.format !== 'json') {
      output.out(
        `- --report ${r.format}=${r.file} is not written in a dry run: nothing was sent (json writes the plan)`,
      );
      continue;
    }
    writeReportFile('json', r.file, `${JSON.stringify(plan, null, 2)}\n`);
    output.out(output.color.dim(`wrote the plan (json) to ${r.file}`));
  }
  return 0;
}

/** A progress line on stderr for long runs on a terminal: redrawn in place, erased before the report. */
function progressLine(): { onEvent: (e: ConformanceEvent) => void; clear: () => void } {
  const tty = process.stderr.isTTY === true;
  const started = Date.now();
  let shown = false;
  return {
    onEvent(event) {
      if (!tty || event.type !== 'case-finished' || Date.now() - started < 1000) return;
      shown = true;
      process.stderr.write(
        `\r${event.done}/${event.total} cases · ${event.result.operation}`.slice(0, 100).padEnd(100),
      );
    },
    clear() {
      if (shown) process.stderr.write(`\r${' '.repeat(100)}\r`);
      shown = false;
    },
  };
}
