import { describe, expect, it } from 'vitest';
import { unifiedDiff } from './diff.js';

describe('unifiedDiff', () => {
  it.each([
    ['identical texts', 'a\nb\n', 'a\nb\n', ''],
    ['one changed line', 'a\nb\nc\n', 'a\nB\nc\n', '--- a/f\n+++ b/f\n@@ -1,3 +1,3 @@\n a\n-b\n+B\n c'],
    ['an added line', 'a\n', 'a\nb\n', '--- a/f\n+++ b/f\n@@ -1,1 +1,2 @@\n a\n+b'],
    ['a new file', '', 'x\n', '--- a/f\n+++ b/f\n@@ -0,0 +1,1 @@\n+x'],
  ])('%s', (_name, before, after, want) => {
    expect(unifiedDiff(before, after, 'f')).toBe(want);
  });

  it('keeps far-apart changes in separate hunks', () => {
    const before = Array.from({ length: 30 }, (_, i) => `line ${i}`).join('\n');
    const after = before.replace('line 2\n', 'line two\n').replace('line 25', 'line 25!');
    const diff = unifiedDiff(before, after, 'f');
    expect(diff.match(/^@@/gm)).toHaveLength(2);
  });
});
