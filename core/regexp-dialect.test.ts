import { describe, expect, it } from 'vitest';
import { compilePattern, matchesPattern } from './regexp-dialect.js';
import { loadSpecFromText } from './spec.js';
import { compileSpec } from './validators.js';

/** A spec's regex dialect never stops a run: legacy patterns apply as JavaScript reads them, broken ones constrain nothing. */
const specWith = (patterns: Record<string, string>) =>
  JSON.stringify({
    openapi: '3.1.0',
    info: { title: 'patterns', version: '1' },
    paths: {},
    components: {
      schemas: Object.fromEntries(
        Object.entries(patterns).map(([name, pattern]) => [name, { type: 'string', pattern, example: 'x' }]),
      ),
    },
  });

describe('compilePattern', () => {
  it('reads an ECMA-262 unicode pattern as JSON Schema means it', () => {
    expect(compilePattern('^\\p{L}+$').dialect).toBe('unicode');
    expect(matchesPattern('^\\p{L}+$', 'Zoë')).toBe(true);
    expect(matchesPattern('^\\p{L}+$', 'Zoë1')).toBe(false);
  });
  it('falls back to the legacy dialect where the u flag refuses an unescaped - in a class', () => {
    const source = '^[\\w-./:]+$';
    expect(() => new RegExp(source, 'u')).toThrow();
    expect(compilePattern('^[\\w-./:]+$').dialect).toBe('legacy');
    expect(matchesPattern('^[\\w-./:]+$', 'a-b/c:d.e')).toBe(true);
    expect(matchesPattern('^[\\w-./:]+$', 'a b')).toBe(false);
  });
  it('lets a pattern no dialect compiles constrain nothing', () => {
    expect(compilePattern('[z-a]').dialect).toBe('uncompilable');
    expect(matchesPattern('[z-a]', 'anything')).toBe(true);
  });
});

describe('compileSpec with patterns from other dialects', () => {
  it('compiles, validates in the dialect that compiles, and names each such pattern as a spec defect', async () => {
    const spec = await loadSpecFromText(
      specWith({ Legacy: '^[\\w-./:]+$', Broken: '[z-a]', Unicode: '^\\p{Lu}' }),
      'patterns.json',
      'patterns',
    );
    const compiled = compileSpec(spec);
    const legacy = compiled.validator('/components/schemas/Legacy');
    expect(legacy.validate('a-b/c')).toEqual([]);
    expect(legacy.validate('a b')).not.toEqual([]);
    expect(compiled.validator('/components/schemas/Broken').validate('whatever')).toEqual([]);
    const unicode = compiled.validator('/components/schemas/Unicode');
    expect(unicode.validate('Émile')).toEqual([]);
    expect(unicode.validate('émile')).not.toEqual([]);
    const flagged = compiled.defects.filter((d) => d.rule === 'pattern-not-ecmascript').map((d) => d.pointer);
    expect(flagged).toEqual(['/components/schemas/Legacy/pattern', '/components/schemas/Broken/pattern']);
  });
});
