import { existsSync, readFileSync } from 'node:fs';
import { relative, resolve, sep } from 'node:path';
import { parse as parseYaml } from 'yaml';
import { ToolError } from '../core/errors.js';
import { breakingRuleIds, isBreakingRuleId } from './breaking/rules.js';

/**
 * `specs/drift-ignore.yaml`: breaking changes accepted on purpose. Each entry names exactly one finding
 * (rule, spec file, JSON pointer), says why, and expires: a breaking change is accepted for a while (until
 * clients have moved), never for good. An expired entry fails the gate so that it is looked at again.
 */

export interface IgnoreEntry {
  rule: string;
  /** The working spec, relative to the project root: `specs/smithery.yaml`. */
  file: string;
  pointer: string;
  reason: string;
  /** Last day (UTC) the entry lets the finding through, `YYYY-MM-DD`. */
  expires: string;
}

export const defaultIgnoreFile = 'specs/drift-ignore.yaml';

const entryKeys = ['rule', 'file', 'pointer', 'reason', 'expires'] as const;

const formatHint =
  "each entry needs rule, file, pointer, reason and expires (YYYY-MM-DD), e.g. entries: [{ rule: path-removed, file: openapi.yaml, pointer: '/paths/~1me', reason: moved to /users/me, expires: 2026-12-31 }]";

/** Read and check the ignore file; a missing file means no entries. Malformed → MCPC_CONFIG. */
export function loadIgnoreFile(path: string, displayName: string = path): IgnoreEntry[] {
  if (!existsSync(path)) return [];
  let parsed: unknown;
  try {
    parsed = parseYaml(readFileSync(path, 'utf8'));
  } catch (error) {
    throw new ToolError(
      'MCPC_CONFIG',
      `${displayName}: invalid YAML: ${(error as Error).message.split('\n')[0]}`,
      'fix the YAML syntax of the ignore file',
    );
  }
  if (parsed === null || parsed === undefined) return [];
  const top = parsed as Record<string, unknown>;
  const entries = top.entries ?? [];
  if (
    typeof parsed !== 'object' ||
    Array.isArray(parsed) ||
    !Array.isArray(entries) ||
    Object.keys(top).some((k) => k !== 'entries')
  ) {
    throw new ToolError('MCPC_CONFIG', `${displayName}: expected only a top-level 'entries:' list`, formatHint);
  }
  return entries.map((raw: unknown, i: number) => checkEntry(raw, `${displayName}: entry ${i + 1}`));
}

function checkEntry(raw: unknown, where: string): IgnoreEntry {
  if (raw === null || typeof raw !== 'object' || Array.isArray(raw)) {
    throw new ToolError('MCPC_CONFIG', `${where} is not a mapping`, formatHint);
  }
  const record = raw as Record<string, unknown>;
  const unknown = Object.keys(record).filter((k) => !(entryKeys as readonly string[]).includes(k));
  if (unknown.length > 0) {
    throw new ToolError('MCPC_CONFIG', `${where} has unknown key(s) ${unknown.join(', ')}`, formatHint);
  }
  // YAML 1.1 parsers turn an unquoted date into a timestamp; accept it as the date it names.
  if (record.expires instanceof Date && !Number.isNaN(record.expires.getTime()))
    record.expires = record.expires.toISOString().slice(0, 10);
  for (const key of entryKeys) {
    if (typeof record[key] !== 'string' || (record[key] as string).trim() === '') {
      throw new ToolError('MCPC_CONFIG', `${where} has no '${key}'`, formatHint);
    }
  }
  const entry = record as unknown as IgnoreEntry;
  if (!isBreakingRuleId(entry.rule)) {
    throw new ToolError(
      'MCPC_CONFIG',
      `${where}: unknown rule '${entry.rule}'`,
      `use one of the breaking-change rule ids: ${breakingRuleIds.join(', ')}`,
    );
  }
  if (entry.pointer !== '' && !entry.pointer.startsWith('/')) {
    throw new ToolError(
      'MCPC_CONFIG',
      `${where}: pointer '${entry.pointer}' is not a JSON pointer`,
      'copy the pointer from the drift report (it starts with /)',
    );
  }
  if (!isCalendarDate(entry.expires)) {
    throw new ToolError(
      'MCPC_CONFIG',
      `${where}: expires '${entry.expires}' is not a date YYYY-MM-DD`,
      'write the last day the entry applies, e.g. expires: 2026-03-31',
    );
  }
  return { rule: entry.rule, file: entry.file, pointer: entry.pointer, reason: entry.reason, expires: entry.expires };
}

function isCalendarDate(value: string): boolean {
  const match = /^(\d{4})-(\d{2})-(\d{2})$/.exec(value);
  if (!match) return false;
  const date = new Date(`${value}T00:00:00Z`);
  return !Number.isNaN(date.getTime()) && date.toISOString().slice(0, 10) === value;
}

/** An entry applies through its expiry day (UTC) and is expired from the day after. */
export function isExpired(entry: IgnoreEntry, now: Date): boolean {
  return now.toISOString().slice(0, 10) > entry.expires;
}

/**
 * For `diff`: an entry's `file` is read relative to the ignore file's folder, and matched as the path relative
 * to `cwd` that findings carry (`./new.yaml`, `new.yaml` and `sub/../new.yaml` are one file).
 */
export function relativeToCwd(entries: IgnoreEntry[], ignoreFolder: string, cwd: string): IgnoreEntry[] {
  return entries.map((entry) => ({ ...entry, file: normalisePath(relative(cwd, resolve(ignoreFolder, entry.file))) }));
}

/** A path as findings name it: forward slashes, no `./`. */
export const normalisePath = (path: string): string =>
  path
    .split(sep)
    .join('/')
    .replace(/^(\.\/)+/, '');

export function matchesEntry(entry: IgnoreEntry, finding: { rule: string; file: string; pointer: string }): boolean {
  return entry.rule === finding.rule && entry.file === finding.file && entry.pointer === finding.pointer;
}
