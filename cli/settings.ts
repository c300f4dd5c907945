import { accessSync, constants, existsSync, readFileSync, statSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import type { ValidateFunction } from 'ajv';
import { nearestName } from '../conformance/engine/nearest.js';
import { parseShard } from '../conformance/engine/shard.js';
import { ToolError } from '../core/errors.js';
import { fromRoot } from '../core/paths.js';

/**
 * The settings of `conformance`, each from one place, in this order: the command line, the environment
 * (`MCP_CONTRACTS_<KEY>`), the config file (`mcp-contracts.config.json` or `--config`, held to
 * `schemas/config.schema.json`), the built-in default. Commander says where each option's value came from
 * (`cli`, `env`, `default`); a default never hides a config value.
 */

export type SettingSource = 'cli' | 'env' | 'config' | 'default';

type Kind = 'string' | 'list' | 'params' | 'boolean' | 'integer' | 'number' | 'duration' | 'seconds' | 'shard';

interface SettingKey {
  /** The config file key (and, upper-snake-cased, the environment variable). */
  key: string;
  /** Commander's attribute name of the option. */
  attr: string;
  flag: string;
  kind: Kind;
  min?: number;
  max?: number;
}

export const settingKeys: readonly SettingKey[] = [
  { key: 'target', attr: 'target', flag: '--target', kind: 'string' },
  { key: 'specs', attr: 'spec', flag: '--spec', kind: 'list' },
  { key: 'params', attr: 'param', flag: '--param', kind: 'params' },
  { key: 'reports', attr: 'report', flag: '--report', kind: 'list' },
  { key: 'allowDestructive', attr: 'allowDestructive', flag: '--allow-destructive', kind: 'boolean' },
  { key: 'seed', attr: 'seed', flag: '--seed', kind: 'integer', min: 0 },
  { key: 'maxExamples', attr: 'maxExamples', flag: '--max-examples', kind: 'integer', min: 0 },
  { key: 'checks', attr: 'checks', flag: '--checks', kind: 'list' },
  { key: 'excludeChecks', attr: 'excludeChecks', flag: '--exclude-checks', kind: 'list' },
  { key: 'operations', attr: 'operation', flag: '--operation', kind: 'list' },
  { key: 'tags', attr: 'tag', flag: '--tag', kind: 'list' },
  { key: 'timeout', attr: 'timeout', flag: '--timeout', kind: 'duration', min: 1 },
  { key: 'maxBodySize', attr: 'maxBodySize', flag: '--max-body-size', kind: 'integer', min: 1 },
  { key: 'maxResponseTime', attr: 'maxResponseTime', flag: '--max-response-time', kind: 'duration', min: 1 },
  { key: 'concurrency', attr: 'concurrency', flag: '--concurrency', kind: 'integer', min: 1 },
  { key: 'rateLimit', attr: 'rateLimit', flag: '--rate-limit', kind: 'number', min: 0 },
  { key: 'maxRetryWait', attr: 'maxRetryWait', flag: '--max-retry-wait', kind: 'seconds', min: 0 },
  { key: 'requireCoverage', attr: 'requireCoverage', flag: '--require-coverage', kind: 'number', min: 0, max: 100 },
  { key: 'strict', attr: 'strict', flag: '--strict', kind: 'boolean' },
  { key: 'shard', attr: 'shard', flag: '--shard', kind: 'shard' },
];

/** `maxBodySize` → `MCP_CONTRACTS_MAX_BODY_SIZE`. */
export const envName = (key: string): string => `MCP_CONTRACTS_${key.replace(/[A-Z]/g, (c) => `_${c}`).toUpperCase()}`;

export const configEnv = 'MCP_CONTRACTS_CONFIG';
export const defaultConfigFile = 'mcp-contracts.config.json';
export const configSchemaFile = fromRoot('schemas', 'config.schema.json');

export interface Setting {
  value: unknown;
  source: SettingSource;
  /** Where exactly: the flag, the variable, the config file. */
  from: string;
}

export type Settings = Record<string, Setting>;

/** Milliseconds of `10s`, `500ms`, `2m`, `1.5s`; a bare number is in `bareUnit`. Undefined when it is none of these. */
export function parseDuration(raw: string, bareUnit: 'ms' | 's'): number | undefined {
  const match = /^(\d+(?:\.\d+)?)(ms|s|m)?$/.exec(raw.trim());
  if (!match) return undefined;
  const unit = (match[2] ?? bareUnit) as 'ms' | 's' | 'm';
  return Number(match[1]) * { ms: 1, s: 1000, m: 60_000 }[unit];
}

const durationHint = (bareUnit: 'ms' | 's') =>
  `give a duration with a unit — 500ms, 10s, 2m — or a number of ${bareUnit === 'ms' ? 'milliseconds (10000)' : 'seconds (60)'}`;

function invalid(spec: SettingKey, where: string, raw: unknown): ToolError {
  const code = where.startsWith('config') ? 'MCPC_CONFIG' : 'MCPC_USAGE';
  const got = typeof raw === 'string' ? `'${raw}'` : JSON.stringify(raw);
  switch (spec.kind) {
    case 'duration':
    case 'seconds':
      return new ToolError(
        code,
        `${where} must be a duration${spec.min ? ` of at least ${spec.min} ms` : ''}, got ${got}`,
        durationHint(spec.kind === 'duration' ? 'ms' : 's'),
      );
    case 'boolean':
      return new ToolError(
        code,
        `${where} must be true or false, got ${got}`,
        where.startsWith('config') ? `write "${spec.key}": true` : `for example ${where}=true`,
      );
    default: {
      if (spec.max !== undefined && typeof raw !== 'boolean' && Number(raw) > spec.max) {
        return new ToolError(code, `${where} must be at most ${spec.max}, got ${got}`, `for example ${spec.flag} 80`);
      }
      const range = `${spec.min !== undefined ? ` ≥ ${spec.min}` : ''}${spec.max !== undefined ? ` and ≤ ${spec.max}` : ''}`;
      return new ToolError(
        code,
        `${where} must be a${spec.kind === 'integer' ? 'n integer' : ' number'}${range}, got ${got}`,
        `for example ${spec.flag} ${spec.min && spec.min > 1 ? spec.min : 10}`,
      );
    }
  }
}

/** One value, as it came from one source, turned into what the run takes (durations in ms). */
function normalise(spec: SettingKey, raw: unknown, where: string, source: SettingSource): unknown {
  if (raw === undefined) return undefined;
  switch (spec.kind) {
    case 'string':
      return String(raw);
    case 'shard': {
      // Kept as written (`2/3`), once it is known to be one: a matrix job sets MCP_CONTRACTS_SHARD=2/3.
      const shard = parseShard(String(raw), where, where.startsWith('config') ? 'MCPC_CONFIG' : 'MCPC_USAGE');
      return `${shard.index}/${shard.total}`;
    }
    case 'list': {
      const items = Array.isArray(raw) ? raw.map(String) : [String(raw)];
      // --spec a --spec b, but --checks a,b; from the environment every list is comma-separated.
      const split = source === 'env' || spec.attr === 'checks' || spec.attr === 'excludeChecks';
      return split ? items.flatMap((i) => i.split(',').map((s) => s.trim())).filter(Boolean) : items;
    }
    case 'params':
      if (raw && typeof raw === 'object' && !Array.isArray(raw)) {
        return Object.entries(raw as Record<string, unknown>).map(([k, v]) => `${k}=${String(v)}`);
      }
      return normalise({ ...spec, kind: 'list' }, raw, where, source);
    case 'boolean': {
      if (typeof raw === 'boolean') return raw;
      const text = String(raw).trim().toLowerCase();
      if (['true', '1', 'yes'].includes(text)) return true;
      if (['false', '0', 'no', ''].includes(text)) return false;
      throw invalid(spec, where, raw);
    }
    case 'duration':
    case 'seconds': {
      const ms =
        typeof raw === 'number'
          ? raw * (spec.kind === 'seconds' ? 1000 : 1)
          : parseDuration(String(raw), spec.kind === 'seconds' ? 's' : 'ms');
      if (ms === undefined || !Number.isFinite(ms) || ms < (spec.min ?? 0)) throw invalid(spec, where, raw);
      return Math.round(ms);
    }
    default: {
      const value = typeof raw === 'number' ? raw : raw === '' ? Number.NaN : Number(raw);
      const bad =
        !Number.isFinite(value) ||
        (spec.kind === 'integer' && !Number.isInteger(value)) ||
        (spec.min !== undefined && value < spec.min) ||
        (spec.max !== undefined && value > spec.max);
      if (bad) throw invalid(spec, where, raw);
      return value;
    }
  }
}

export interface SettingsInput {
  /** Commander's option values (`command.opts()`). */
  flags: Record<string, unknown>;
  /** Commander's `getOptionValueSource` for each attribute. */
  sources: Record<string, string | undefined>;
  config: { file: string; values: Record<string, unknown> } | undefined;
  env?: NodeJS.ProcessEnv;
}

export function resolveSettings({ flags, sources, config, env = process.env }: SettingsInput): Settings {
  const settings: Settings = {};
  for (const spec of settingKeys) {
    const source = sources[spec.attr];
    let setting: Setting;
    if (source === 'cli') {
      setting = { source: 'cli', from: spec.flag, value: normalise(spec, flags[spec.attr], spec.flag, 'cli') };
    } else if (source === 'env') {
      const name = envName(spec.key);
      // Commander sets a flag from any value of its variable; the text decides here (STRICT=false is false).
      const raw = spec.kind === 'boolean' ? env[name] : flags[spec.attr];
      setting = { source: 'env', from: name, value: normalise(spec, raw, name, 'env') };
    } else if (config && config.values[spec.key] !== undefined) {
      const where = `config '${spec.key}' (${config.file})`;
      setting = {
        source: 'config',
        from: config.file,
        value: normalise(spec, config.values[spec.key], where, 'config'),
      };
    } else {
      const value =
        normalise(spec, flags[spec.attr], spec.flag, 'default') ?? (spec.kind === 'boolean' ? false : undefined);
      setting = { source: 'default', from: 'default', value };
    }
    settings[spec.key] = setting;
  }
  return settings;
}

/** The config file, held to its JSON Schema; undefined when there is none (and none was asked for). */
export async function readConfigFile(
  explicit: string | undefined,
  cwd: string = process.cwd(),
): Promise<{ file: string; values: Record<string, unknown> } | undefined> {
  const file = resolve(cwd, explicit ?? defaultConfigFile);
  if (!existsSync(file)) {
    if (explicit) throw new ToolError('MCPC_CONFIG', `config file ${file} not found`, 'check the --config path');
    return undefined;
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(readFileSync(file, 'utf8'));
  } catch (error) {
    throw new ToolError('MCPC_CONFIG', `${file}: not valid JSON: ${(error as Error).message}`, 'fix the JSON syntax');
  }
  if (parsed && typeof parsed === 'object' && !Array.isArray(parsed) && 'auth' in parsed) {
    throw new ToolError(
      'MCPC_CONFIG',
      `${file}: 'auth' is not allowed in a config file — secrets would end up in the repository`,
      'set MCP_CONTRACTS_AUTH_<SCHEME> in the environment instead (e.g. MCP_CONTRACTS_AUTH_BEARERAUTH)',
    );
  }
  const { validate, schema } = await configValidator();
  if (!validate(parsed)) {
    const error = validate.errors?.[0];
    const key = error?.instancePath.split('/')[1];
    const spec = settingKeys.find((k) => k.key === key);
    const values = parsed as Record<string, unknown>;
    // A duration's two forms (number or "10s") and a boolean make the schema's own message vague; ours says it plainly.
    if (spec && ['duration', 'seconds', 'boolean'].includes(spec.kind)) {
      const plain = invalid(spec, `config '${spec.key}'`, values[spec.key]);
      throw new ToolError('MCPC_CONFIG', `${plain.message} (${file})`, plain.hint);
    }
    if (error?.keyword === 'additionalProperties') {
      const unknown = (error.params as { additionalProperty: string }).additionalProperty;
      const near = nearestName(
        unknown,
        settingKeys.map((k) => k.key),
        (n) => n.toLowerCase(),
      );
      throw new ToolError(
        'MCPC_CONFIG',
        `${file}: unknown key '${unknown}'${near ? `: did you mean '${near}'?` : ''}`,
        `known keys: ${settingKeys.map((k) => k.key).join(', ')} (schema: ${configSchemaFile}; point "$schema" at it for editor completion)`,
      );
    }
    const at = key ? `'${error?.instancePath.slice(1).replace(/\//g, '.')}'` : 'the file';
    throw new ToolError(
      'MCPC_CONFIG',
      `${file}: ${at} ${error?.message ?? 'is not valid'}`,
      key ? `${key}: ${schema.properties[key]?.description ?? ''}` : 'write a JSON object of settings',
    );
  }
  return { file, values: relativeToConfig(parsed as Record<string, unknown>, dirname(file)) };
}

/**
 * Paths in a config file mean what they say where the file is, wherever the command runs from: a spec file and a
 * report's FILE resolve against the file's folder. A bundled spec's name (`langsmith`) and a URL stay as written.
 */
function relativeToConfig(values: Record<string, unknown>, dir: string): Record<string, unknown> {
  const out = { ...values };
  const isPath = (ref: string) => !/^[a-z][a-z0-9+.-]*:\/\//i.test(ref) && /[\\/]|\.[A-Za-z0-9]+$/.test(ref);
  if (Array.isArray(out.specs)) {
    out.specs = out.specs.map((ref: unknown) => (typeof ref === 'string' && isPath(ref) ? resolve(dir, ref) : ref));
  }
  if (Array.isArray(out.reports)) {
    out.reports = out.reports.map((report: unknown) => {
      if (typeof report !== 'string') return report;
      const eq = report.indexOf('=');
      return eq > 0 && eq < report.length - 1
        ? `${report.slice(0, eq + 1)}${resolve(dir, report.slice(eq + 1))}`
        : report;
    });
  }
  return out;
}

interface ConfigSchema {
  properties: Record<string, { description?: string }>;
}
let compiled: { validate: ValidateFunction; schema: ConfigSchema } | undefined;
async function configValidator(): Promise<{ validate: ValidateFunction; schema: ConfigSchema }> {
  if (!compiled) {
    // AJV is loaded only when there is a config file to check.
    const { createSchemaCompiler } = await import('../mock/json-schema.js');
    const schema = JSON.parse(readFileSync(configSchemaFile, 'utf8')) as ConfigSchema;
    compiled = { validate: createSchemaCompiler().compile(schema), schema };
  }
  return compiled;
}

/**
 * Before anything is sent: every report path must be writable, not a folder, and not given twice, so a bad path
 * never costs a whole run its verdict.
 */
export function checkReportPaths(reports: Array<{ format: string; file: string }>): void {
  const seen = new Map<string, string>();
  for (const r of reports) {
    const file = resolve(r.file);
    const fail = (why: string, hint: string) =>
      new ToolError('MCPC_IO', `cannot write the ${r.format} report to ${r.file}: ${why}`, `${hint}; nothing was sent`);
    const earlier = seen.get(file);
    if (earlier) throw fail(`the ${earlier} report goes there too`, 'give each report its own file');
    seen.set(file, r.format);
    if (existsSync(file)) {
      if (statSync(file).isDirectory()) throw fail('it is a folder', 'give a file name inside it');
      try {
        accessSync(file, constants.W_OK);
      } catch {
        throw fail('the file is not writable', 'give another path or fix its permissions');
      }
      continue;
    }
    const dir = dirname(file);
    if (!existsSync(dir) || !statSync(dir).isDirectory()) {
      throw fail(`the folder ${dir} does not exist`, 'create the folder or give another path');
    }
    try {
      accessSync(dir, constants.W_OK);
    } catch {
      throw fail(`the folder ${dir} is not writable`, 'give another path');
    }
  }
}
