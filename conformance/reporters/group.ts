import type { ConformanceResult, Finding } from '../types.js';

/**
 * Findings grouped by root cause — the same check, operation, status and violation — with every occurrence
 * (case) listed inside. The terminal and the HTML report group the same way, so their counts agree.
 */
export interface FindingGroup {
  key: string;
  check: string;
  severity: Finding['severity'];
  specName: string;
  operation: string;
  /** The response status the findings share (undefined when no response came). */
  status: number | undefined;
  /** The first occurrence: its expected/actual/details stand for the group. */
  first: Finding;
  findings: Finding[];
}

export function statusOf(result: Pick<ConformanceResult, 'exchanges'>, f: Finding): number | undefined {
  const fromExchange = f.exchange === undefined ? undefined : result.exchanges?.[f.exchange]?.response?.status;
  if (fromExchange !== undefined) return fromExchange;
  const leading = /^(\d{3})\b/.exec(f.actual);
  return leading ? Number(leading[1]) : undefined;
}

export function groupFindings(result: Pick<ConformanceResult, 'findings' | 'exchanges'>): FindingGroup[] {
  const groups = new Map<string, FindingGroup>();
  for (const f of result.findings) {
    const status = statusOf(result, f);
    const violation = f.details.length > 0 ? f.details.join('\n') : f.expected;
    const key = [f.specName, f.operation, f.check, f.severity, status ?? '-', violation].join('\u0000');
    const group = groups.get(key);
    if (group) group.findings.push(f);
    else
      groups.set(key, {
        key,
        check: f.check,
        severity: f.severity,
        specName: f.specName,
        operation: f.operation,
        status,
        first: f,
        findings: [f],
      });
  }
  return [...groups.values()];
}

/** Per check: how many groups and findings failed or warned, and on how many exchanges it applied. */
export interface CheckSummary {
  check: string;
  failures: number;
  warnings: number;
  applied: number;
}

export function summariseChecks(result: Pick<ConformanceResult, 'checks' | 'findings' | 'applied'>): CheckSummary[] {
  return result.checks.map((check) => ({
    check,
    failures: result.findings.filter((f) => f.check === check && f.severity === 'failure').length,
    warnings: result.findings.filter((f) => f.check === check && f.severity === 'warning').length,
    applied: result.applied.filter((a) => a.check === check).reduce((n, a) => n + a.exchanges, 0),
  }));
}

/**
 * The environment variables the reproduction lines read (`${MCP_CONTRACTS_AUTH_…}`), each once, so a report
 * can say once what to export before pasting them.
 */
export function reproductionEnv(result: Pick<ConformanceResult, 'findings' | 'cases'>): string[] {
  const names = new Set<string>();
  const lines = [...result.findings.map((f) => f.curl), ...result.cases.map((c) => c.reason ?? '')];
  for (const line of lines) for (const m of line.matchAll(/\$\{(MCP_CONTRACTS_AUTH_[A-Z0-9_]+)\}/g)) names.add(m[1]!);
  return [...names].sort();
}

export function groupBy<T>(items: T[], key: (item: T) => string): Map<string, T[]> {
  const map = new Map<string, T[]>();
  for (const item of items) {
    const k = key(item);
    const list = map.get(k);
    if (list) list.push(item);
    else map.set(k, [item]);
  }
  return map;
}
