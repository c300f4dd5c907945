import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { selectChecks } from '../../conformance/checks/index.js';
import { normaliseScheme, parseAuthArguments, secretsOf } from '../../conformance/engine/auth.js';
import { defaultMaxExamples } from '../../conformance/engine/fuzz.js';
import { nearestName } from '../../conformance/engine/nearest.js';
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
import { type PlanFingerprint, planFingerprint } from '../../conformance/reporters/merge.js';
import { policyLine, renderTerminal } from '../../conformance/reporters/terminal.js';
import { type ConformanceEvent, type ConformanceResult, decideVerdict } from '../../conformance/types.js';
import { isToolError, ToolError } from '../../core/errors.js';
import { indexOperations } from '../../core/operations.js';
import { bundledSpecNames, packageRoot } from '../../core/paths.js';
import { loadSpec } from '../../core/spec.js';
import { exitCodeFor, type Output, progressText } from '../output.js';
import { checkReportPaths, readConfigFile, resolveSettings, type Settings } from '../settings.js';

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

/**
 * A credential given with --auth for a scheme no selected spec defines would be dropped, and the run would pass
 * with the secured operations unchecked: stop before anything is sent, naming the nearest defined scheme. A scheme
 * of another bundled spec is let through with the remark the run makes: one command line often carries the
 * credentials of all three bundled APIs. (MCP_CONTRACTS_AUTH_<SCHEME> variables are not held to this either.)
 */
async function checkAuthSchemes(schemes: string[], specs: string[]): Promise<void> {
  if (schemes.length === 0) return;
  const schemesOf = async (refs: readonly string[]) => {
    const names = new Set<string>();
    for (const ref of refs)
      for (const name of indexOperations(await loadSpec(ref)).securitySchemes.keys()) names.add(name);
    return [...names];
  };
  const names = await schemesOf(specs);
  const same = (a: string) => (b: string) => normaliseScheme(a) === normaliseScheme(b);
  const unknown = schemes.filter((scheme) => !names.some(same(scheme)));
  if (unknown.length === 0) return;
  const bundled = await schemesOf(bundledSpecNames);
  for (const scheme of unknown) {
    if (bundled.some(same(scheme))) continue;
    const near = nearestName(scheme, names, normaliseScheme);
    throw new ToolError(
      'MCPC_USAGE',
      `--auth ${scheme}=… names no security scheme of the selected spec(s)${names.length > 0 ? ` (they define: ${names.join(', ')})` : ' (they define none)'}${near ? `: did you mean ${near}?` : ''}`,
      names.length > 0
        ? `use the scheme name from components.securitySchemes, e.g. --auth ${near ?? names[0]}=…`
        : 'drop --auth: the selected spec(s) secure nothing',
    );
  }
}

export async function conformanceCommand(
  flags: ConformanceFlags,
  output: Output,
  _args: string[] = [],
  sources: Record<string, string | undefined> = {},
): Promise<number> {
  const config = await readConfigFile(flags.config);
  const settings = resolveSettings({ flags: flags as Record<string, unknown>, sources, config });
  const value = <T>(key: string): T | undefined => settings[key]?.value as T | undefined;
  const version = (JSON.parse(readFileSync(join(packageRoot, 'package.json'), 'utf8')) as { version: string }).version;
  const target = value<string>('target');
  const inProcess = target === undefined;
  const reports: ReportTarget[] = (value<string[]>('reports') ?? []).map(parseReportArgument);
  // Before anything is loaded or sent: a report that cannot be written would lose the verdict of the whole run.
  checkReportPaths(reports);
  const specs = value<string[]>('specs') ?? [...bundledSpecNames];
  const authArgs = flags.auth ?? [];
  const authFromFlags = authArgs.map((a) => a.slice(0, Math.max(0, a.indexOf('='))));
  const checks = value<string[]>('checks');
  const excludeChecks = value<string[]>('excludeChecks');
  if (selectChecks(checks, excludeChecks).length === 0) {
    throw new ToolError(
      'MCPC_USAGE',
      `no check is left to run: ${checks?.length ? `--checks ${checks.join(',')} ` : ''}--exclude-checks ${excludeChecks?.join(',')} excludes every one`,
      'exclude fewer checks — a run that checks nothing would pass whatever the target does',
    );
  }
  // The reference implementation (and Express with it) is loaded only when it is what gets checked.
  const reference = inProcess ? await import('../../drift/reference.js') : undefined;
  const credentials = parseAuthArguments(
    reference && authArgs.length === 0 ? reference.referenceDefaults.auth : authArgs,
  );
  await checkAuthSchemes(authFromFlags, specs);
  const paramArgs = value<string[]>('params') ?? [];

  const options: ConformanceOptions = {
    specs,
    target: target ?? 'http://127.0.0.1:1',
    credentials,
    params: reference && paramArgs.length === 0 ? reference.referenceDefaults.params : parseParams(paramArgs),
    allowDestructive: inProcess || value<boolean>('allowDestructive') === true,
    seed: value<number>('seed') ?? defaultRunOptions.seed,
    maxExamples: value<number>('maxExamples') ?? defaultMaxExamples,
    checks,
    excludeChecks,
    operations: value<string[]>('operations'),
    tags: value<string[]>('tags'),
    timeoutMs: value<number>('timeout') ?? defaultRunOptions.timeoutMs,
    maxResponseTimeMs: value<number>('maxResponseTime'),
    maxBodyBytes: value<number>('maxBodySize') ?? defaultRunOptions.maxBodyBytes,
    concurrency: value<number>('concurrency') ?? defaultRunOptions.concurrency,
    rateLimit: value<number>('rateLimit'),
    shard: value<string>('shard') === undefined ? undefined : parseShard(value<string>('shard')!),
    authFromFlags,
    strict: value<boolean>('strict') === true,
    maxRetryWaitMs: value<number>('maxRetryWait') ?? defaultRunOptions.maxRetryWaitMs,
  };
  const requireCoverage = value<number>('requireCoverage');

  options.requireCoverage = requireCoverage;
  // What the JSON report carries so merge-reports can tell the shards of one run from parts of different runs.
  const withPlan = (result: ConformanceResult): ConformanceResult & { plan: PlanFingerprint } => ({
    ...result,
    plan: planFingerprint({
      version,
      target,
      targets: result.targets,
      operations: options.operations,
      tags: options.tags,
      seed: options.seed,
      maxExamples: options.maxExamples ?? defaultMaxExamples,
      checks: result.checks,
      strict: options.strict === true,
      allowDestructive: options.allowDestructive,
      params: paramArgs,
    }),
  });

  if (flags.dryRun) return dryRun(options, output, inProcess, reports, settings);

  const progress = progressLine(output);
  options.onEvent = progress.onEvent;
  const interruption = onInterrupt(output, progress.clear);
  options.signal = interruption.signal;
  try {
    const result = reference
      ? await reference.runReferenceConformance({
          ...options,
          onStart: (url) =>
            output.err(
              (output.errColor ?? output.color).dim(
                `no --target: checking the reference implementation, started in-process at ${url}`,
              ),
            ),
        })
      : await runConformance(options).catch(async (error: unknown) => {
          // A target that cannot be reached still gets its reports, with the reason: a CI artifact is never empty.
          if (isToolError(error) && error.code === 'MCPC_TARGET_UNREACHABLE' && reports.length > 0) {
            progress.clear();
            writeReports(reports, withPlan(await unreachableResult(options, error)), version);
            for (const r of reports) {
              output.out(output.color.dim(`wrote ${r.format} report to ${r.file} (the target could not be reached)`));
            }
          }
          throw error;
        });
    progress.clear();
    for (const line of renderTerminal(result, output.color, { width: output.width })) output.out(line);
    writeReports(reports, withPlan(result), version);
    for (const r of reports) output.out(output.color.dim(`wrote ${r.format} report to ${r.file}`));
    return exitCodeFor(result.verdict);
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
      output.err((output.errColor ?? output.color).red(`${name} again: quitting without cleanup`));
      output.flush?.();
      process.exit(130);
    }
    output.err(
      (output.errColor ?? output.color).yellow(
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
  /** With --shard: which part of the split run this plan is (the rest of the plan goes to the other shards). */
  shard?: { index: number; total: number };
  specs: Array<{ name: string; baseUrl: string; phases: Array<{ name: string; cases: DescribedCase[] }> }>;
  /** Planned requests by consent marking (safe / undoable / needs-consent). */
  consent: Record<string, number>;
  remarks: string[];
  /** Every setting with its value (durations in ms) and where it came from: cli, env, config or default. */
  settings: Settings;
}

async function dryRun(
  options: ConformanceOptions,
  output: Output,
  inProcess: boolean,
  reports: ReportTarget[],
  settings: Settings,
): Promise<number> {
  const prepared = await prepareConformance(options);
  output.out(
    output.color.bold(
      `Plan (dry run: nothing is sent)${inProcess ? ' — no --target: the reference implementation would be started in-process' : ''}`,
    ),
  );
  const shard = prepared.shard ? { index: prepared.shard.index, total: prepared.shard.total } : undefined;
  if (shard) {
    output.out(
      `shard ${shard.index}/${shard.total}: only this shard's part of the plan (split by operation; the other ${shard.total - 1} shard(s) send the rest)`,
    );
  }
  const redactSecrets = createRedactor(secretsOf(options.credentials)).redact;
  const counts = new Map<string, number>();
  const consent: Record<string, number> = { safe: 0, undoable: 0, 'needs-consent': 0 };
  const policy = options.strict ? 'strict' : 'lenient';
  const plan: PlanReport = {
    format: 'mcp-contracts-plan',
    version: 1,
    policy,
    allowDestructive: options.allowDestructive,
    ...(shard ? { shard } : {}),
    specs: [],
    consent,
    remarks: prepared.remarks,
    settings,
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
      if (shard && phase.name === 'cleanup') {
        output.out(
          output.color.dim(
            `  (shard ${shard.index}/${shard.total} deletes only what its own cases created: each DELETE below is sent only for such a resource still there at the end)`,
          ),
        );
      }
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
  const given = Object.entries(settings).filter(([, s]) => s.source !== 'default');
  output.out(
    `settings (command line > environment > config file > default): ${given.length === 0 ? 'all defaults' : `${given.length} given, the rest defaults`}`,
  );
  for (const [key, s] of given) output.out(`  ${key} = ${JSON.stringify(s.value)} — ${s.source}: ${s.from}`);
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

/**
 * The result a report shows for a target that could not be reached: the specs it was meant to check, no cases, and
 * the reason as the run's `inconclusive` verdict (the CLI exits 2 for it, as for the unreachable target itself).
 */
async function unreachableResult(options: ConformanceOptions, error: ToolError): Promise<ConformanceResult> {
  const prepared = await prepareConformance(options);
  const base = {
    // A shard's report says which shard it is, reached or not: merge-reports then names it as missing its checks.
    ...(options.shard ? { shard: { index: options.shard.index, total: options.shard.total } } : {}),
    status: 'completed' as const,
    inconclusive: `the target could not be reached, so nothing was checked: ${error.toLine()}`,
    targets: prepared.plans.map((p) => ({
      specName: p.compiled.spec.name,
      file: p.compiled.spec.file,
      baseUrl: p.baseUrl,
    })),
    cases: [],
    findings: [],
    coverage: [],
    notes: [],
    remarks: [...prepared.remarks, `not one request was answered: ${error.message}`],
    policy: options.strict ? ('strict' as const) : ('lenient' as const),
    checks: prepared.checks.map((c) => c.id),
    applied: [],
    summary: {
      cases: 0,
      passed: 0,
      failed: 0,
      errored: 0,
      skipped: 0,
      requests: 0,
      failures: 0,
      warnings: 0,
      coveragePercent: 0,
      durationMs: 0,
    },
  };
  return { ...base, verdict: decideVerdict(base, options.requireCoverage), exchanges: [] };
}

/**
 * A progress line on stderr, only when stderr is a terminal (never in a CI log or a redirected file): cases done
 * of the planned total, failures so far and the time left; redrawn in place and erased before the report.
 */
function progressLine(output: Output): { onEvent: (e: ConformanceEvent) => void; clear: () => void } {
  const started = Date.now();
  let total = 0;
  let failed = 0;
  let shown = false;
  return {
    onEvent(event) {
      if (event.type === 'planned') total = event.cases;
      if (event.type !== 'case-finished') return;
      if (event.result.outcome === 'failed') failed++;
      if (!output.status || Date.now() - started < 1000) return;
      shown = true;
      output.status(progressText(event.done, total || event.total, failed, Date.now() - started));
    },
    clear() {
      if (shown) output.status?.('');
      shown = false;
    },
  };
}
