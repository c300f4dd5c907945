/** The defined name nearest to a misspelt one, by edit distance over the normalised names; undefined if none is near. */
export function nearestName(wrong: string, names: string[], normalise: (s: string) => string): string | undefined {
  const w = normalise(wrong);
  let best: { name: string; score: number } | undefined;
  for (const name of names) {
    const n = normalise(name);
    const score = n.includes(w) || w.includes(n) ? Math.abs(n.length - w.length) / 2 : editDistance(w, n);
    if (!best || score < best.score) best = { name, score };
  }
  return best && best.score <= Math.max(2, Math.ceil(w.length / 2)) ? best.name : undefined;
}

function editDistance(a: string, b: string): number {
  let row = Array.from({ length: b.length + 1 }, (_, i) => i);
  for (let i = 1; i <= a.length; i++) {
    const next = [i];
    for (let j = 1; j <= b.length; j++) {
      next[j] = Math.min(row[j]! + 1, next[j - 1]! + 1, row[j - 1]! + (a[i - 1] === b[j - 1] ? 0 : 1));
    }
    row = next;
  }
  return row[b.length]!;
}
