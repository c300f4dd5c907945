import { specDefectRules } from '../core/spec-defects.js';
import type { FindingGroup } from './groups.js';
import type { LintFinding, LintResult } from './lint.js';

/**
 * The lint result as SARIF 2.1.0, the format GitHub code scanning (`github/codeql-action/upload-sarif`) reads.
 * One result per group of findings (lint/groups.ts), at its first finding, with the others as related locations,
 * so 540 copies of one mistake are one alert that lists them. Baselined findings are reported as suppressed
 * (kind `external`, with the baseline's reason), so code scanning shows them closed rather than hiding them.
 */

const levels: Record<LintFinding['severity'], 'error' | 'warning' | 'note'> = {
  error: 'error',
  warning: 'warning',
  info: 'note',
  hint: 'note',
};

/** GitHub shows at most 1,000 related locations per result. */
const maxRelated = 1000;

export function toSarif(result: LintResult, version: string): Record<string, unknown> {
  const ruleIds = [...new Set(result.groups.map((g) => g.rule))].sort();
  const location = (f: LintFinding) => ({
    physicalLocation: {
      artifactLocation: { uri: f.file },
      region: { startLine: f.line, startColumn: f.column },
    },
    logicalLocations: [{ fullyQualifiedName: f.pointer || '/', kind: 'member' }],
  });
  const resultOf = (g: FindingGroup) => {
    const [first, ...rest] = g.findings as [LintFinding, ...LintFinding[]];
    const more = rest.length > 0 ? ` (${g.findings.length} places like ${g.pattern || '/'})` : '';
    return {
      ruleId: g.rule,
      ruleIndex: ruleIds.indexOf(g.rule),
      level: levels[g.severity],
      message: { text: `${first.message}${more}` },
      locations: [location(first)],
      ...(rest.length > 0
        ? {
            relatedLocations: rest.slice(0, maxRelated).map((f, i) => ({
              id: i + 1,
              ...location(f),
              message: { text: f.pointer },
            })),
          }
        : {}),
      partialFingerprints: { 'mcpContractsGroup/v1': `${g.rule}|${g.file}|${g.pattern}` },
      ...(g.baselined ? { suppressions: [{ kind: 'external', justification: g.baselined }] } : {}),
    };
  };
  return {
    $schema: 'https://json.schemastore.org/sarif-2.1.0.json',
    version: '2.1.0',
    runs: [
      {
        tool: {
          driver: {
            name: 'mcp-contracts',
            version,
            rules: ruleIds.map((id) => ({ id, shortDescription: { text: describeRule(id) } })),
          },
        },
        results: result.groups.map(resultOf),
      },
    ],
  };
}

function describeRule(id: string): string {
  const [source, name = ''] = id.split(':');
  if (source === 'mcp-contracts') {
    if (name === 'valid-media-example') return 'A media type, parameter or header example breaks its schema';
    if (name === 'valid-schema-example') return 'A schema example or default breaks the schema';
    return specDefectRules[name as keyof typeof specDefectRules]?.description ?? name;
  }
  return `Spectral OpenAPI rule ${name}`;
}
