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
export type ReportFile = ConformanceResult & { format?: string; formatVersion?: number; merged?: { shards: string[] } };

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
 * Combine the JSON reports of the shards of one run (`--shard i/n`) into one result: the cases, findings and
 * exchanges of all, coverage per status (failed over passed over not provoked), counts summed, and the verdict
 * decided again over the whole. Refused with a coded error: reports of different specs, checks or verdict
 * policy (not one plan), a shard given twice, shards of different splits, a shard missing, or reports without
 * shard information (nothing says they are parts of one run).
 */
export function mergeReports(reports: Array<{ file: string; report: ReportFile }>): ConformanceResult {
  if (reports.length === 0)
    throw new ToolError(
      'MCPC_USAGE',
      'merge-reports needs at least one JSON report',
      'for example merge-reports shard-1.json shard-2.json',
    );
  const [first, ...rest] = reports;
  const plan = (r: ReportFile) =>
    JSON.stringify({
      specs: r.targets.map((t) => [t.specName, t.file]).sort(),
      checks: [...r.checks].sort(),
      policy: r.policy,
    });
  for (const other of rest) {
    if (plan(other.report) !== plan(first!.report)) {
      throw new ToolError(
        'MCPC_REPORT',
        `${other.file} is not a shard of the same run as ${first!.file}: ${describeDifference(first!.report, other.report)}`,
        'merge only the shards of one run (same specs, checks and verdict policy)',
      );
    }
  }
  if (reports.length > 1) {
    const unsharded = reports.find((r) => !r.report.shard);
    if (unsharded) {
      throw new ToolError(
        'MCPC_REPORT',
        `${unsharded.file} is not a shard (it has no shard index)`,
        'merge the reports of a run split with --shard i/n',
      );
    }
    const total = first!.report.shard!.total;
    const seen = new Map<number, string>();
    for (const { file, report } of reports) {
      const shard = report.shard!;
      if (shard.total !== total) {
        throw new ToolError(
          'MCPC_REPORT',
          `${file} is shard ${shard.index}/${shard.total}, but ${first!.file} is of a split into ${total}`,
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
  }
  const ordered = [...reports].sort((a, b) => (a.report.shard?.index ?? 0) - (b.report.shard?.index ?? 0));
  const results = ordered.map((r) => r.report);
  let offset = 0;
  const findings = results.flatMap((r) => {
    const shifted = r.findings.map((f) => (f.exchange === undefined ? f : { ...f, exchange: f.exchange + offset }));
    offset += r.exchanges.length;
    return shifted;
  });
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
    coveragePercent: coverage.length === 0 ? 100 : Math.round((covered / coverage.length) * 1000) / 10,
    // Shards run side by side: the run took as long as its longest shard.
    durationMs: Math.max(...results.map((r) => r.summary.durationMs)),
  };
  const status = results.some((r) => r.status === 'interrupted') ? 'interrupted' : 'completed';
  // Inconclusive only when no shard had a valid request accepted.
  const inconclusive = results.every((r) => r.inconclusive)
    ? [...new Set(results.map((r) => r.inconclusive))].join('; ')
    : undefined;
  const thresholds = [...new Set(results.map((r) => r.verdict?.requireCoverage).filter((t) => t !== undefined))];
  const requireCoverage = thresholds.length > 0 ? Math.max(...(thresholds as number[])) : undefined;
  // What the interrupted shards never sent: the JUnit and HTML reports of the merged run say so, as one run's would.
  const notSent = results.reduce((n, r) => n + (r.notSent ?? 0), 0);
  const merged: ConformanceResult = {
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
    checks: first!.report.checks,
    applied: mergeApplied(results.flatMap((r) => r.applied)),
    summary,
  };
  return merged;
}

function describeDifference(a: ReportFile, b: ReportFile): string {
  const specs = (r: ReportFile) =>
    r.targets
      .map((t) => t.specName)
      .sort()
      .join(', ');
  if (specs(a) !== specs(b)) return `specs ${specs(b)} vs ${specs(a)}`;
  if (JSON.stringify(a.targets.map((t) => t.file).sort()) !== JSON.stringify(b.targets.map((t) => t.file).sort()))
    return 'the spec files differ';
  if (a.policy !== b.policy) return `verdict policy ${b.policy} vs ${a.policy}`;
  return 'the selected checks differ';
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
