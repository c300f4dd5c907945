/**
 * A unified diff (`--- a/x`, `+++ b/x`, `@@ … @@` hunks with three lines of context) of two texts, for
 * telling a user exactly what is stale. Line-based LCS: the files compared here are at most a few thousand
 * lines, so the quadratic table is a few megabytes at worst.
 */
export function unifiedDiff(before: string, after: string, path: string, context = 3): string {
  if (before === after) return '';
  const a = splitLines(before);
  const b = splitLines(after);
  const ops = diffLines(a, b);
  const hunks: string[] = [];
  let i = 0;
  while (i < ops.length) {
    if (ops[i]?.kind === ' ') {
      i++;
      continue;
    }
    let start = Math.max(0, i - context);
    let end = i;
    // Extend the hunk while changes are within 2*context lines of each other.
    while (end < ops.length) {
      let next = end;
      while (next < ops.length && ops[next]?.kind !== ' ') next++;
      let gap = next;
      while (gap < ops.length && ops[gap]?.kind === ' ') gap++;
      if (gap < ops.length && gap - next <= context * 2) end = gap;
      else {
        end = Math.min(ops.length, next + context);
        break;
      }
    }
    while (start > 0 && ops[start - 1]?.kind !== ' ') start--;
    const slice = ops.slice(start, end);
    const aStart = (ops[start]?.aLine ?? a.length) + 1;
    const bStart = (ops[start]?.bLine ?? b.length) + 1;
    const aCount = slice.filter((o) => o.kind !== '+').length;
    const bCount = slice.filter((o) => o.kind !== '-').length;
    hunks.push(`@@ -${aCount ? aStart : aStart - 1},${aCount} +${bCount ? bStart : bStart - 1},${bCount} @@`);
    for (const op of slice) hunks.push(`${op.kind}${op.text}`);
    i = end;
  }
  return [`--- a/${path}`, `+++ b/${path}`, ...hunks].join('\n');
}

interface DiffOp {
  kind: ' ' | '-' | '+';
  text: string;
  aLine: number;
  bLine: number;
}

function splitLines(text: string): string[] {
  if (text === '') return [];
  const lines = text.split('\n');
  if (lines[lines.length - 1] === '') lines.pop();
  return lines;
}

function diffLines(a: string[], b: string[]): DiffOp[] {
  // Trim the common prefix and suffix first: stale generated files usually differ in a few places.
  let prefix = 0;
  while (prefix < a.length && prefix < b.length && a[prefix] === b[prefix]) prefix++;
  let suffix = 0;
  while (
    suffix < a.length - prefix &&
    suffix < b.length - prefix &&
    a[a.length - 1 - suffix] === b[b.length - 1 - suffix]
  )
    suffix++;
  const am = a.slice(prefix, a.length - suffix);
  const bm = b.slice(prefix, b.length - suffix);
  const n = am.length;
  const m = bm.length;
  const table = new Uint32Array((n + 1) * (m + 1));
  for (let i = n - 1; i >= 0; i--) {
    for (let j = m - 1; j >= 0; j--) {
      table[i * (m + 1) + j] =
        am[i] === bm[j]
          ? (table[(i + 1) * (m + 1) + j + 1] ?? 0) + 1
          : Math.max(table[(i + 1) * (m + 1) + j] ?? 0, table[i * (m + 1) + j + 1] ?? 0);
    }
  }
  const ops: DiffOp[] = [];
  for (let k = 0; k < prefix; k++) ops.push({ kind: ' ', text: a[k] ?? '', aLine: k, bLine: k });
  let i = 0;
  let j = 0;
  while (i < n || j < m) {
    if (i < n && j < m && am[i] === bm[j]) {
      ops.push({ kind: ' ', text: am[i] ?? '', aLine: prefix + i, bLine: prefix + j });
      i++;
      j++;
    } else if (i < n && (j >= m || (table[(i + 1) * (m + 1) + j] ?? 0) >= (table[i * (m + 1) + j + 1] ?? 0))) {
      ops.push({ kind: '-', text: am[i] ?? '', aLine: prefix + i, bLine: prefix + j });
      i++;
    } else {
      ops.push({ kind: '+', text: bm[j] ?? '', aLine: prefix + i, bLine: prefix + j });
      j++;
    }
  }
  for (let k = 0; k < suffix; k++) {
    ops.push({
      kind: ' ',
      text: a[a.length - suffix + k] ?? '',
      aLine: a.length - suffix + k,
      bLine: b.length - suffix + k,
    });
  }
  return ops;
}
