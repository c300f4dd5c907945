import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { ToolError } from '../../core/errors.js';
import {
  type CheckApplication,
  type ConformanceResult,
  type CoverageRow,
  decideVerdict,
  type SpecNote,
} from '../types.js';
import { reportFormat, reportFormatVersion } from './json.js';

/** A JSON report as read back from a file: the result plus the format header. */
export type ReportFile = ConformanceResult & { format?: string; formatVersion?: number; plan?: PlanFingerprint };

/**
 * Parse one JSON report for merging; anything that is not a conformance report of this format version is a coded
 * error naming the file.
 */
export function parseReport(text: string, file: string): ReportFile {
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (error) {
    throw new ToolError(
      'MCPC_REPORT',
      `${file} is not JSON: ${(error as Error).message}`,
      'give the files written by --report json=FILE',
    );
  }
  const report = parsed as Partial<ReportFile> | null;
  if (!report || typeof report !== 'object' || report.format !== reportFormat) {
    throw new ToolError(
      'MCPC_REPORT',
      `${file} is not an mcp-contracts conformance report`,
      'give the files written by conformance --report json=FILE (a dry run writes a plan, not a report)',
    );
  }
  if (report.formatVersion !== reportFormatVersion) {
    throw new ToolError(
      'MCPC_REPORT',
      `${file} is report format version ${String(report.formatVersion)}; this mcp-contracts reads version ${reportFormatVersion}`,
      'merge reports written by the same mcp-contracts version',
    );
  }
  return report as ReportFile;
}

/**
 * Everything that decides what a run plans and whom it asks: two shards merge only when these are equal. Written
 * into every JSON report by the CLI (`plan`); the spec files are compared by content, so the checkout path of each
 * CI job does not matter; the --param values only by hash, so the report does not carry them.
 */
export interface PlanFingerprint {
  /** The mcp-contracts version that planned the run. */
  tool: string;
  /** The --target URL, or `in-process` for the reference implementation. */
  target: string;
  specs: Array<{ name: string; sha256?: string | undefined }>;
  operations: string[];
  tags: string[];
  seed: number;
  maxExamples: number;
  checks: string[];
  policy: 'lenient' | 'strict';
  allowDestructive: boolean;
  /** sha256 of the sorted --param values. */
  params: string;
}

/** What a run was planned with, as the CLI knows it, turned into the fingerprint its JSON report carries. */
export function planFingerprint(input: {
  version: string;
  target: string | undefined;
  targets: ConformanceResult['targets'];
  operations: string[] | undefined;
  tags: string[] | undefined;
  seed: number;
  maxExamples: number;
  checks: string[];
  strict: boolean;
  allowDestructive: boolean;
  params: string[];
}): PlanFingerprint {
  const sha256 = (text: string | Buffer) => createHash('sha256').update(text).digest('hex');
  const contentHash = (file: string): string | undefined => {
    try {
      return sha256(readFileSync(file));
    } catch {
      return undefined; // not a file (a URL): compared by name only
    }
  };
  return {
    tool: input.version,
    target: input.target ?? 'in-process',
    specs: input.targets
      .map((t) => ({ name: t.specName, sha256: contentHash(t.file) }))
      .sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0)),
    operations: [...(input.operations ?? [])].sort(),
    tags: [...(input.tags ?? [])].sort(),
    seed: input.seed,
    maxExamples: input.maxExamples,
    checks: [...input.checks].sort(),
    policy: input.strict ? 'strict' : 'lenient',
    allowDestructive: input.allowDestructive,
    params: sha256(JSON.stringify([...input.params].sort())),
  };
}

/** A setting of the fingerprint as the user wrote it, to name in an error. */
const describeSetting: { [K in keyof PlanFingerprint]: (f: PlanFingerprint) => string } = {
  tool: (f) => `mcp-contracts ${f.tool}`,
  target: (f) => (f.target === 'in-process' ? 'no --target (the in-process reference)' : `--target ${f.target}`),
  specs: (f) =>
    `--spec ${f.specs.map((s) => `${s.name}${s.sha256 ? ` (sha256 ${s.sha256.slice(0, 12)}…)` : ''}`).join(', ')}`,
  operations: (f) => (f.operations.length ? `--operation ${f.operations.join(', ')}` : 'no --operation'),
  tags: (f) => (f.tags.length ? `--tag ${f.tags.join(', ')}` : 'no --tag'),
  seed: (f) => `--seed ${f.seed}`,
  maxExamples: (f) => `--max-examples ${f.maxExamples}`,
  checks: (f) => `the checks ${f.checks.join(', ')}`,
  policy: (f) => (f.policy === 'strict' ? '--strict' : 'no --strict'),
  allowDestructive: (f) => (f.allowDestructive ? '--allow-destructive' : 'no --allow-destructive'),
  params: (f) => `--param values hashing to ${f.params.slice(0, 12)}…`,
};

/** The settings in which two fingerprints differ, each as `<what b was planned with>` / `<what a was>`. */
function fingerprintDifferences(a: PlanFingerprint, b: PlanFingerprint): Array<[string, string]> {
  const keys = Object.keys(describeSetting) as Array<keyof PlanFingerprint>;
  return keys
    .filter((k) => JSON.stringify(a[k]) !== JSON.stringify(b[k]))
    .map((k) => [describeSetting[k](b), describeSetting[k](a)]);
}

/** The shard a report covers, as `i/n`, or `the unsplit run`. */
const shardName = (r: ReportFile): string => (r.shard ? `shard ${r.shard.index}/${r.shard.total}` : 'the unsplit run');

/**
 * Every shard of one split, each once, all planned alike: anything else is refused with a coded error, because
 * a merged verdict over part of a run, or over parts of different runs, would say what nobody checked. A single
 * report without shard information is a whole run (merging it re-renders it); a single shard is not.
 */
function checkShardSet(reports: Array<{ file: string; report: ReportFile }>): void {
  const sharded = reports.filter((r) => r.report.shard);
  if (sharded.length === 0 && reports.length === 1) return;
  const unsharded = reports.find((r) => !r.report.shard);
  if (unsharded) {
    throw new ToolError(
      'MCPC_REPORT',
      `${unsharded.file} is the report of a whole run (it has no shard index), so it cannot be merged with ${reports.length - 1} other report(s)`,
      'merge-reports combines the reports of one run split with --shard i/n; a whole run needs no merging',
    );
  }
  const [first] = reports as [{ file: string; report: ReportFile }];
  for (const other of reports) {
    if (!other.report.plan) {
      throw new ToolError(
        'MCPC_REPORT',
        `${other.file} carries no plan fingerprint, so nothing shows it was planned like the other shards`,
        'write the shard reports with this mcp-contracts version (conformance --shard i/n --report json=FILE)',
      );
    }
    const diff = fingerprintDifferences(first.report.plan!, other.report.plan);
    if (diff.length > 0) {
      throw new ToolError(
        'MCPC_REPORT',
        `${other.file} and ${first.file} are not shards of the same run: ${diff.map(([b, a]) => `${other.file} was planned with ${b}, ${first.file} with ${a}`).join('; ')}`,
        'give every shard job the same settings, spec files, target and mcp-contracts version; only --shard differs',
      );
    }
  }
  const total = first.report.shard!.total;
  const seen = new Map<number, string>();
  for (const { file, report } of reports) {
    const shard = report.shard!;
    if (shard.total !== total) {
      throw new ToolError(
        'MCPC_REPORT',
        `${file} is shard ${shard.index}/${shard.total}, but ${first.file} is of a split into ${total}`,
        'merge the shards of one split',
      );
    }
    const twice = seen.get(shard.index);
    if (twice) {
      throw new ToolError(
        'MCPC_REPORT',
        `shard ${shard.index}/${total} is given twice: ${twice} and ${file}`,
        'give each shard once',
      );
    }
    seen.set(shard.index, file);
  }
  const missing = Array.from({ length: total }, (_, i) => i + 1).filter((i) => !seen.has(i));
  if (missing.length > 0) {
    throw new ToolError(
      'MCPC_REPORT',
      `shard(s) ${missing.map((i) => `${i}/${total}`).join(', ')} missing: without them the run is not whole`,
      'give the JSON report of every shard (a shard job that failed to write one must be rerun)',
    );
  }
  // Shards of one plan never share a case: one that does was planned differently after all.
  const owner = new Map<string, string>();
  for (const { file, report } of reports) {
    for (const c of report.cases) {
      const key = `${c.specName}\u0000${c.id}`;
      const earlier = owner.get(key);
      if (earlier && earlier !== file) {
        throw new ToolError(
          'MCPC_REPORT',
          `case ${c.id} is in both ${earlier} and ${file}: the shards were not split from one plan`,
          'rerun every shard with the same settings and mcp-contracts version',
        );
      }
      owner.set(key, file);
    }
  }
}

/**
 * Combine the JSON reports of the shards of one run (`--shard i/n`) into one result: the cases, findings and
 * exchanges of all, coverage per status (failed over passed over not provoked), counts summed, and the verdict
 * decided again over the whole. Refused with a coded error (see checkShardSet): a shard missing (also when only
 * one is given), a shard given twice, shards of different splits or of differently planned runs, a case in two
 * shards, a whole run's report among shards.
 */
export function mergeReports(
  reports: Array<{ file: string; report: ReportFile }>,
): ConformanceResult & { plan?: PlanFingerprint } {
  if (reports.length === 0)
    throw new ToolError(
      'MCPC_USAGE',
      'merge-reports needs at least one JSON report',
      'for example merge-reports shard-1.json shard-2.json',
    );
  checkShardSet(reports);
  const first = reports[0];
  const ordered = [...reports].sort((a, b) => (a.report.shard?.index ?? 0) - (b.report.shard?.index ?? 0));
  const results = ordered.map((r) => r.report);
  let offset = 0;
  const findings = results.flatMap((r) => {
    const shifted = r.findings.map((f) => (f.exchange === undefined ? f : { ...f, exchange: f.exchange + offset }));
    offset += r.exchanges.length;
    return shifted;
  });
  // As one run orders them: by case id, each case's own findings in the order they were made (the sort is stable).
  findings.sort((a, b) => a.caseId.localeCompare(b.caseId));
  const coverage = mergeCoverage(results.flatMap((r) => r.coverage));
  const covered = coverage.filter((c) => c.state === 'passed').length;
  const sum = (key: keyof ConformanceResult['summary']) => results.reduce((n, r) => n + r.summary[key], 0);
  const summary: ConformanceResult['summary'] = {
    cases: sum('cases'),
    passed: sum('passed'),
    failed: sum('failed'),
    errored: sum('errored'),
    skipped: sum('skipped'),
    requests: sum('requests'),
    failures: sum('failures'),
    warnings: sum('warnings'),
    // No rows at all: as the shards said (100 for a plan with nothing to cover, 0 for a shard that reached nothing).
    coveragePercent:
      coverage.length === 0
        ? Math.min(...results.map((r) => r.summary.coveragePercent))
        : Math.round((covered / coverage.length) * 1000) / 10,
    // Shards run side by side: the run took as long as its longest shard.
    durationMs: Math.max(...results.map((r) => r.summary.durationMs)),
  };
  const status = results.some((r) => r.status === 'interrupted') ? 'interrupted' : 'completed';
  // Inconclusive when no shard had a valid request accepted, or when a shard had not one request answered (its
  // target could not be reached): the operations it owns were never checked, whatever the other shards found.
  const silent = results.filter((r) => r.inconclusive && r.summary.requests === 0 && results.length > 1);
  const inconclusive = results.every((r) => r.inconclusive)
    ? [...new Set(results.map((r) => r.inconclusive))].join('; ')
    : silent.length > 0
      ? silent.map((r) => `${shardName(r)} checked nothing: ${r.inconclusive}`).join('; ')
      : undefined;
  const thresholds = [...new Set(results.map((r) => r.verdict?.requireCoverage).filter((t) => t !== undefined))];
  const requireCoverage = thresholds.length > 0 ? Math.max(...(thresholds as number[])) : undefined;
  // What the interrupted shards never sent: the JUnit and HTML reports of the merged run say so, as one run's would.
  const notSent = results.reduce((n, r) => n + (r.notSent ?? 0), 0);
  const merged: ConformanceResult & { plan?: PlanFingerprint } = {
    verdict: decideVerdict({ status, inconclusive, summary }, requireCoverage),
    ...(status === 'interrupted' ? { notSent } : {}),
    exchanges: results.flatMap((r) => r.exchanges),
    status,
    inconclusive,
    targets: first!.report.targets,
    cases: results.flatMap((r) => r.cases).sort((a, b) => a.id.localeCompare(b.id)),
    findings,
    coverage,
    notes: unique(
      results.flatMap((r) => r.notes),
      (n: SpecNote) => JSON.stringify(n),
    ),
    remarks: [
      ...new Set([
        ...results.flatMap((r) =>
          r.remarks.map((x) => (r.shard ? `shard ${r.shard.index}/${r.shard.total}: ${x}` : x)),
        ),
        ...(reports.length > 1
          ? [`merged from ${reports.length} shard report(s): ${ordered.map((r) => r.file).join(', ')}`]
          : []),
      ]),
    ],
    policy: first!.report.policy,
    ...(first!.report.plan ? { plan: first!.report.plan } : {}),
    checks: first!.report.checks,
    applied: mergeApplied(results.flatMap((r) => r.applied)),
    summary,
  };
  return merged;
}

/** One row per operation and status: failed wins over passed, passed over not provoked. */
function mergeCoverage(rows: CoverageRow[]): CoverageRow[] {
  const rank = { failed: 2, passed: 1, 'not-provoked': 0 } as const;
  const byKey = new Map<string, CoverageRow>();
  for (const row of rows) {
    const key = `${row.specName}\u0000${row.operation}\u0000${row.status}`;
    const seen = byKey.get(key);
    if (!seen || rank[row.state] > rank[seen.state]) byKey.set(key, row);
  }
  return [...byKey.values()];
}

function mergeApplied(rows: CheckApplication[]): CheckApplication[] {
  const byKey = new Map<string, CheckApplication>();
  for (const row of rows) {
    const key = `${row.specName}\u0000${row.operation}\u0000${row.check}`;
    const seen = byKey.get(key);
    byKey.set(key, seen ? { ...seen, exchanges: seen.exchanges + row.exchanges } : { ...row });
  }
  return [...byKey.values()];
}

function unique<T>(items: T[], key: (item: T) => string): T[] {
  const seen = new Set<string>();
  return items.filter((item) => {
    const k = key(item);
    if (seen.has(k)) return false;
    seen.add(k);
    return true;
  });
}
