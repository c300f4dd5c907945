/**
 * OpenAPI says `pattern` is an ECMA-262 regular expression, but specs are written against other dialects too:
 * `[\w-./:]` is fine in PCRE, Python and JavaScript's legacy mode, and a SyntaxError under the `u` flag that JSON
 * Schema validators use. A spec's regex dialect must never stop a run, a mock or a comparison, so a pattern is
 * compiled with `u` first, then without it, and where neither compiles it constrains nothing (and `lint` and
 * the conformance notes say so: `pattern-not-ecmascript`).
 */

/** How a pattern could be compiled: `unicode` (as JSON Schema means it), `legacy` (without `u`), or not at all. */
export type PatternDialect = 'unicode' | 'legacy' | 'uncompilable';

const compiled = new Map<string, { regex: RegExp | undefined; dialect: PatternDialect }>();

export function compilePattern(pattern: string): { regex: RegExp | undefined; dialect: PatternDialect } {
  let hit = compiled.get(pattern);
  if (hit) return hit;
  try {
    hit = { regex: new RegExp(pattern, 'u'), dialect: 'unicode' };
  } catch {
    try {
      hit = { regex: new RegExp(pattern), dialect: 'legacy' };
    } catch {
      hit = { regex: undefined, dialect: 'uncompilable' };
    }
  }
  compiled.set(pattern, hit);
  return hit;
}

/** Whether `value` matches `pattern` in the most faithful dialect that compiles it (`true` where none does). */
export function matchesPattern(pattern: string, value: string): boolean {
  const { regex } = compilePattern(pattern);
  return regex ? regex.test(value) : true;
}

interface RegExpLike {
  test: (s: string) => boolean;
}

/**
 * AJV's `code.regExp` engine with the same tolerance: AJV asks for `(pattern, "u")`; a pattern that needs the
 * legacy dialect gets it, and one that compiles in no dialect accepts every string instead of failing the compile
 * of every schema around it.
 */
export const tolerantRegExpEngine = Object.assign(
  (pattern: string, flags: string): RegExpLike => {
    try {
      return new RegExp(pattern, flags);
    } catch {
      const { regex } = compilePattern(pattern);
      return regex ?? { test: () => true };
    }
  },
  { code: 'new RegExp' },
);
