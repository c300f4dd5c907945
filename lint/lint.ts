import { existsSync, readFileSync } from 'node:fs';
import { relative } from 'node:path';
import spectralCore from '@stoplight/spectral-core';
import spectralParsers from '@stoplight/spectral-parsers';
import spectralRulesets from '@stoplight/spectral-rulesets';
import { parse as parseYaml } from 'yaml';
import { describeError, ToolError } from '../core/errors.js';
import { parsePointer, toPointer } from '../core/json-pointer.js';
import { packageRoot } from '../core/paths.js';
import { isJsonText, type LoadedSpec, loadSpec } from '../core/spec.js';
import { specDefectRules } from '../core/spec-defects.js';
import { compileSpec } from '../core/validators.js';
import { exampleFindings } from './examples.js';
import { type FindingGroup, groupFindings } from './groups.js';

/**
 * `lint`: Spectral's OpenAPI ruleset (through its JavaScript API) plus the project's own rules, which are
 * the spec defects of core/spec-defects.ts, so that lint and conformance never disagree about what is
 * wrong with a spec. Findings that a baseline entry accepts (known upstream defects, each with a reason)
 * are listed but do not fail; anything new at warning or error does.
 */

export type Severity = 'error' | 'warning' | 'info' | 'hint';

export interface LintFinding {
  /** `spectral:<code>` or `mcp-contracts:<rule>`. */
  rule: string;
  severity: Severity;
  /** Relative to the package root when inside it. */
  file: string;
  line: number;
  column: number;
  pointer: string;
  message: string;
  /** The reason from the baseline entry that accepts this finding. */
  baselined: string | undefined;
}

export interface BaselineEntry {
  rule: string;
  file: string;
  pointer: string;
  reason: string;
}

export interface LintResult {
  findings: LintFinding[];
  /** The findings grouped by root cause (lint/groups.ts): what a person reads. */
  groups: FindingGroup[];
  /** Baseline entries that matched nothing: the defect is gone and the entry can go too. */
  unusedBaseline: BaselineEntry[];
  baselineFile: string | undefined;
  /** New findings at the `failOn` severity or worse: these fail the run. */
  failing: LintFinding[];
  failOn: FailOn;
}

/** The least severity that fails a lint: `error`, `warn` (warning or error), `info` (anything but a hint). */
export type FailOn = 'error' | 'warn' | 'info';
const failingSeverities: Record<FailOn, Severity[]> = {
  error: ['error'],
  warn: ['error', 'warning'],
  info: ['error', 'warning', 'info'],
};

export const defaultBaselineFile = 'specs/lint-baseline.yaml';

const spectralSeverity: Severity[] = ['error', 'warning', 'info', 'hint'];

/**
 * Spectral rules switched off because a project rule says the same thing: `oas3-operation-security-defined` is
 * `mcp-contracts:undefined-security-scheme` (with a treatment attached); the two example rules are
 * `mcp-contracts:valid-media-example` and `valid-schema-example` (lint/examples.ts), which judge an example with
 * the compiled validators conformance uses, compiled once per schema rather than once per example.
 */
const replacedSpectralRules = [
  'oas3-operation-security-defined',
  'oas3-valid-media-example',
  'oas3-valid-schema-example',
];

/**
 * The entries of a baseline file. A missing file is no baseline (the default one may be absent), unless the user
 * named it (`required`): then a typo must not silently turn every accepted defect into a new problem.
 */
export function loadBaseline(file: string, required = false): BaselineEntry[] {
  if (!existsSync(file)) {
    if (!required) return [];
    throw new ToolError('MCPC_CONFIG', `baseline file ${file} not found`, 'check the --baseline path');
  }
  let parsed: unknown;
  try {
    parsed = parseYaml(readFileSync(file, 'utf8'));
  } catch (error) {
    throw new ToolError(
      'MCPC_CONFIG',
      `${file}: invalid YAML: ${(error as Error).message.split('\n')[0]}`,
      'fix the baseline file',
    );
  }
  const entries = (parsed as { entries?: unknown } | null)?.entries;
  if (!Array.isArray(entries)) {
    throw new ToolError(
      'MCPC_CONFIG',
      `${file}: expected a top-level 'entries:' list`,
      'see specs/README.md for the baseline format',
    );
  }
  return entries.map((entry, i) => {
    const e = entry as Partial<BaselineEntry> | null;
    for (const key of ['rule', 'file', 'pointer', 'reason'] as const) {
      if (!e || typeof e[key] !== 'string' || e[key] === '') {
        throw new ToolError(
          'MCPC_CONFIG',
          `${file}: entry ${i + 1} has no '${key}'`,
          'every baseline entry needs rule, file, pointer and a reason saying why it is accepted',
        );
      }
    }
    return e as BaselineEntry;
  });
}

export async function lintSpecs(
  specs: string[],
  options: {
    baselineFile?: string | undefined;
    /** The user named `baselineFile` (`lint --baseline FILE`): it must exist. Without it a missing file is no baseline. */
    baselineRequired?: boolean;
    useBaseline?: boolean;
    /** Project root that reported file paths (and baseline `file:` entries) are relative to (drift on a copy). */
    root?: string;
    /** Default `warn` here (the drift gate holds the project's own specs to it); the CLI's default is `error`. */
    failOn?: FailOn;
  } = {},
): Promise<LintResult> {
  const root = options.root ?? packageRoot;
  const baselineFile =
    options.useBaseline === false ? undefined : (options.baselineFile ?? `${packageRoot}/${defaultBaselineFile}`);
  const baseline = baselineFile
    ? loadBaseline(baselineFile, options.baselineRequired === true && options.baselineFile !== undefined)
    : [];
  const used = new Set<BaselineEntry>();
  const findings: LintFinding[] = [];

  const spectral = new spectralCore.Spectral();
  spectral.setRuleset({
    extends: [[spectralRulesets.oas as never, 'recommended']],
    rules: Object.fromEntries(replacedSpectralRules.map((r) => [r, 'off'])),
  } as never);

  const specFiles = new Set<string>();
  for (const specRef of specs) {
    const spec = await loadSpec(specRef);
    const file = displayPath(spec.file, root);
    specFiles.add(file);
    const document = spectralDocument(spec);
    for (const finding of [
      ...(await runSpectral(spectral, document, file)),
      ...projectFindings(spec, document, file),
    ]) {
      const entry = baseline.find(
        (b) => b.rule === finding.rule && b.file === finding.file && b.pointer === finding.pointer,
      );
      if (entry) used.add(entry);
      findings.push({ ...finding, baselined: entry?.reason });
    }
  }
  findings.sort((a, b) => a.file.localeCompare(b.file) || a.line - b.line || a.rule.localeCompare(b.rule));
  const failOn = options.failOn ?? 'warn';
  return {
    findings,
    groups: groupFindings(findings),
    failOn,
    // An entry only counts as unused when its file was linted in this run.
    unusedBaseline: baseline.filter((b) => !used.has(b) && specFiles.has(b.file)),
    baselineFile: baselineFile && existsSync(baselineFile) ? displayPath(baselineFile, root) : undefined,
    failing: findings.filter((f) => !f.baselined && failingSeverities[failOn].includes(f.severity)),
  };
}

type SpectralDocument = InstanceType<typeof spectralCore.Document>;

/**
 * A JSON document goes to Spectral's JSON parser (several times faster than its YAML one on GitHub's 13 MB spec),
 * decided as loadSpec decides it, so the two agree on what is JSON (a `.yaml` file written as a flow map is YAML).
 */
function spectralDocument(spec: LoadedSpec): SpectralDocument {
  const parser = isJsonText(spec.source, spec.file) ? spectralParsers.Json : spectralParsers.Yaml;
  try {
    return new spectralCore.Document(spec.source, parser as never, spec.file);
  } catch (error) {
    // Spectral's YAML parser throws on what it cannot build (`!!binary`: "data.replace is not a function"), where
    // the loader read the file: a coded line naming the file, not an internal error.
    throw new ToolError(
      'MCPC_SPEC_PARSE',
      `${spec.file}: Spectral (lint's rule engine) cannot read this YAML: ${describeError(error)}`,
      'lint reads plain YAML 1.2: replace tags such as !!binary with plain values (conformance, mock and diff read the file as it is)',
    );
  }
}

async function runSpectral(
  spectral: InstanceType<typeof spectralCore.Spectral>,
  document: SpectralDocument,
  file: string,
): Promise<Array<Omit<LintFinding, 'baselined'>>> {
  const results = await spectral.run(document);
  return results.map((r) => ({
    rule: `spectral:${String(r.code)}`,
    severity: spectralSeverity[r.severity] ?? 'warning',
    file,
    line: r.range.start.line + 1,
    column: r.range.start.character + 1,
    pointer: toPointer(r.path.map(String)),
    message: r.message,
  }));
}

function projectFindings(
  spec: LoadedSpec,
  document: SpectralDocument,
  file: string,
): Array<Omit<LintFinding, 'baselined'>> {
  const compiled = compileSpec(spec);
  // Spectral has parsed the text with positions already: ask it, rather than parse the text a second time.
  const locate = (pointer: string): { line: number; column: number } => {
    let range: ReturnType<SpectralDocument['getRangeForJsonPath']>;
    try {
      range = document.getRangeForJsonPath(parsePointer(pointer), true);
    } catch {
      range = undefined;
    }
    return range ? { line: range.start.line + 1, column: range.start.character + 1 } : { line: 1, column: 1 };
  };
  const defects = compiled.defects.map((d) => ({
    rule: `mcp-contracts:${d.rule}`,
    severity: specDefectRules[d.rule].severity,
    pointer: d.pointer,
    message: d.message,
  }));
  const examples = exampleFindings(compiled).map((e) => ({
    rule: `mcp-contracts:${e.rule}`,
    severity: 'error' as const,
    pointer: e.pointer,
    message: e.message,
  }));
  return [...defects, ...examples].map((f) => ({ ...f, file, ...locate(f.pointer) }));
}

function displayPath(file: string, root: string): string {
  const rel = relative(root, file);
  return rel.startsWith('..') ? file : rel.split('\\').join('/');
}
