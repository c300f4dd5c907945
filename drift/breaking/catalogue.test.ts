import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { packageRoot } from '../../core/paths.js';
import { renderRuleCatalogue } from './catalogue.js';
import { breakingRuleIds, breakingRules } from './rules.js';

describe('docs/rules.md, the rule catalogue', () => {
  const page = readFileSync(join(packageRoot, 'docs/rules.md'), 'utf8');

  it('is what the code generates (regenerate with `mcp-contracts diff --rules > docs/rules.md`)', () => {
    expect(page).toBe(renderRuleCatalogue());
  });

  it('lists every rule once with its severity and nearest oasdiff id, and every policy difference', () => {
    for (const id of breakingRuleIds) {
      const rows = page.split('\n').filter((line) => line.startsWith(`| \`${id}\` |`));
      expect(rows, id).toHaveLength(1);
      expect(rows[0]).toContain(`| ${breakingRules[id].severity} |`);
      expect(rows[0]).toContain(breakingRules[id].oasdiff);
    }
    expect(page).toContain('- `security-requirement-added`: oasdiff rates adding a security requirement as info');
  });
});
