import { parsePointer, toPointer } from '../core/json-pointer.js';
import type { LintFinding } from './lint.js';

/**
 * Findings with one root cause, told apart only by where they sit: GitHub's spec repeats the same two header
 * parameters (an id given as a number where the schema says string) in each of its 270 `x-webhooks`, which is 540
 * findings and one mistake. A group is the findings of one rule, severity, file and baseline state whose pointers
 * and messages are the same once the name of the path or webhook and the array positions are wildcarded.
 */
export interface FindingGroup {
  rule: string;
  severity: LintFinding['severity'];
  file: string;
  /** The pointer with the varying parts as `*`, e.g. `/x-webhooks/*\/post/parameters/*\/example`. */
  pattern: string;
  /** The message of the first finding (the others differ only in the wildcarded parts). */
  message: string;
  baselined: string | undefined;
  /** In document order; the first is where to look. */
  findings: LintFinding[];
}

/** Top-level maps whose keys name what the finding is about (a path, a webhook). */
const namedMaps = new Set(['paths', 'webhooks', 'x-webhooks']);
/** Keys whose value is a list: a number after one is a position (a number elsewhere is a status code). */
const lists = new Set([
  'parameters',
  'allOf',
  'anyOf',
  'oneOf',
  'prefixItems',
  'security',
  'servers',
  'tags',
  'required',
]);

export function pointerPattern(pointer: string): string {
  let segments: string[];
  try {
    segments = parsePointer(pointer);
  } catch {
    return pointer;
  }
  return toPointer(
    segments.map((segment, i) =>
      (i === 1 && namedMaps.has(segments[0]!)) || (/^\d+$/.test(segment) && lists.has(segments[i - 1]!))
        ? '*'
        : segment,
    ),
  );
}

/** The message with every pointer in it (`/paths/…`, `/x-webhooks/…`) wildcarded the same way. */
function messagePattern(message: string): string {
  return message.replace(/\/(?:paths|webhooks|x-webhooks)\/[^\s)'"]+/g, (pointer) => pointerPattern(pointer));
}

const methods = new Set(['get', 'put', 'post', 'delete', 'options', 'head', 'patch', 'trace']);

/**
 * A finding about an operation as a whole names it in its message (`GET /app documents no client error (4xx)`): the
 * operation is then what varies, and its label and method are wildcarded too (`* documents no client error (4xx)`,
 * `/paths/*\/*\/responses`), so GitHub's 382 such findings are one group, not one per operation.
 */
function operationPatterns(pointer: string, pattern: string, message: string): { pattern: string; message: string } {
  let segments: string[];
  try {
    segments = parsePointer(pointer);
  } catch {
    return { pattern, message: messagePattern(message) };
  }
  const [top, path, method] = segments;
  if (!top || !namedMaps.has(top) || path === undefined || !method || !methods.has(method)) {
    return { pattern, message: messagePattern(message) };
  }
  const label = `${method.toUpperCase()} ${path}`;
  if (!message.includes(label)) return { pattern, message: messagePattern(message) };
  const wildcarded = parsePointer(pattern);
  wildcarded[2] = '*';
  return { pattern: toPointer(wildcarded), message: messagePattern(message.split(label).join('*')) };
}

export function groupFindings(findings: LintFinding[]): FindingGroup[] {
  const groups = new Map<string, FindingGroup>();
  for (const f of findings) {
    const { pattern, message } = operationPatterns(f.pointer, pointerPattern(f.pointer), f.message);
    const key = [f.rule, f.severity, f.file, f.baselined ?? '', pattern, message].join('\u0000');
    const group = groups.get(key);
    if (group) group.findings.push(f);
    else
      groups.set(key, {
        rule: f.rule,
        severity: f.severity,
        file: f.file,
        pattern,
        message: f.message,
        baselined: f.baselined,
        findings: [f],
      });
  }
  return [...groups.values()];
}
