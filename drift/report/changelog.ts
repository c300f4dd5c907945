import type { BreakingSeverity } from '../breaking/rules.js';
import type { BreakingFinding, DriftResult } from '../types.js';

/**
 * Every change between two documents grouped by the operation it is felt in: release notes. A change to a
 * shared component is listed under every operation that reaches it.
 */

export interface ChangelogEntry {
  finding: BreakingFinding;
  /** Where in the operation: `query parameter 'q'`, `response 200 application/json`; undefined for the whole. */
  where: string | undefined;
}

export interface OperationChanges {
  operation: string;
  entries: ChangelogEntry[];
}

const severityOrder: BreakingSeverity[] = ['error', 'warning', 'info'];

export const severityTitle: Record<BreakingSeverity, string> = {
  error: 'Breaking',
  warning: 'May break',
  info: 'Changed',
};

export function groupByOperation(findings: readonly BreakingFinding[]): OperationChanges[] {
  const groups = new Map<string, ChangelogEntry[]>();
  for (const finding of findings) {
    for (const context of finding.contexts) {
      const cut = context.indexOf(' › ');
      const operation = cut >= 0 ? context.slice(0, cut) : context;
      const where = cut >= 0 ? context.slice(cut + 3) : undefined;
      const entries = groups.get(operation) ?? [];
      // One change felt in several places of one operation (each media type of a body) is one entry.
      const same = entries.find((e) => e.finding === finding);
      if (same) same.where = same.where && where ? `${same.where}; ${where}` : (same.where ?? where);
      else entries.push({ finding, where });
      groups.set(operation, entries);
    }
  }
  const rank = (e: ChangelogEntry) => severityOrder.indexOf(e.finding.severity);
  return [...groups.entries()]
    .map(([operation, entries]) => ({ operation, entries: entries.sort((a, b) => rank(a) - rank(b)) }))
    .sort((a, b) => pathOf(a.operation).localeCompare(pathOf(b.operation)) || a.operation.localeCompare(b.operation));
}

/** `GET /things/{id}` sorts by its path, so that a path's methods stand together. */
const pathOf = (operation: string): string => operation.replace(/^(webhook |callback .*?: )?[A-Z]+ /, '$1');

export function countBySeverity(findings: readonly BreakingFinding[]): Record<BreakingSeverity, number> {
  const counts: Record<BreakingSeverity, number> = { error: 0, warning: 0, info: 0 };
  for (const f of findings) counts[f.severity] += 1;
  return counts;
}

const code = (s: string): string => {
  const longest = Math.max(0, ...[...s.matchAll(/`+/g)].map((m) => m[0].length));
  const ticks = '`'.repeat(longest + 1);
  return `${ticks}${longest > 0 ? ' ' : ''}${s}${longest > 0 ? ' ' : ''}${ticks}`;
};

/** Markdown text outside code: no HTML, no accidental emphasis or tables. */
const text = (s: string): string => s.replace(/[\\`*_<>|[\]]/g, (c) => `\\${c}`).replace(/\n/g, ' ');

/** The changelog as Markdown, for release notes. */
export function renderChangelog(result: DriftResult): string {
  const counts = countBySeverity(result.breaking);
  const groups = groupByOperation(result.breaking);
  const out = [`# API changes${result.compared ? `: ${text(result.compared)}` : ''}`, ''];
  if (groups.length === 0) {
    out.push('No changes.');
    return `${out.join('\n')}\n`;
  }
  out.push(
    `${counts.error} breaking, ${counts.warning} that may break, ${counts.info} other change(s), in ${groups.length} operation(s).`,
    '',
  );
  for (const { operation, entries } of groups) {
    out.push(`## ${code(operation)}`, '');
    for (const { finding, where } of entries) {
      const accepted = finding.ignored
        ? ` (accepted until ${finding.ignored.expires}: ${text(finding.ignored.reason)})`
        : '';
      out.push(
        `- **${severityTitle[finding.severity]}**${where ? ` — ${text(where)}` : ''}: ${text(finding.message)} (${code(finding.rule)})${accepted}`,
      );
    }
    out.push('');
  }
  return `${out.join('\n').trimEnd()}\n`;
}
