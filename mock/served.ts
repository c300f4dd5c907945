import { ToolError } from '../core/errors.js';
import { compilePathTemplate } from '../core/operations.js';
import type { BundledSpecName } from '../core/paths.js';
import { loadSpec } from '../core/spec.js';
import { compileSpec } from '../core/validators.js';
import { buildCannedResponses } from './canned.js';
import { apiBehaviours } from './handlers.js';
import type { ServedSpec } from './routes.js';
import { createResponseChecker } from './self-check.js';

/**
 * The bundled specs, loaded and compiled once per process: every app made in the same process (each test
 * makes its own) shares the compiled validators and canned responses, which depend on the spec files alone.
 */
const cache = new Map<BundledSpecName, Promise<ServedSpec>>();

export function servedSpec(name: BundledSpecName): Promise<ServedSpec> {
  let entry = cache.get(name);
  if (!entry) {
    entry = prepare(name);
    cache.set(name, entry);
    // A failure is not cached: the next attempt (after fixing the spec) tries again.
    entry.catch(() => cache.delete(name));
  }
  return entry;
}

async function prepare(name: BundledSpecName): Promise<ServedSpec> {
  const compiled = compileSpec(await loadSpec(name));
  return {
    name,
    compiled,
    canned: buildCannedResponses(compiled),
    check: createResponseChecker(compiled),
    behaviour: apiBehaviours[name],
  };
}

/** The reserved prefix for the mock's own routes; no spec path may start with it. */
export const reservedPrefix = '/__mock';

export interface PathEntry {
  spec: string;
  /** Base path + path template, e.g. `/v1/deepagents/mcp-servers/{mcp_server_id}`. */
  template: string;
  match: (path: string) => Record<string, string> | undefined;
  methods: Set<string>;
}

/**
 * Every served path with its methods, checked for collisions: a spec path under the reserved prefix, or the
 * same method and path in two specs (they share one port), is a start-up error rather than a route that
 * silently never answers.
 */
export function pathTable(specs: ServedSpec[]): PathEntry[] {
  const entries = new Map<string, PathEntry>();
  for (const served of specs) {
    for (const op of served.compiled.operations) {
      const template = `${op.basePath}${op.path}`;
      if (template === reservedPrefix || template.startsWith(`${reservedPrefix}/`)) {
        throw new ToolError(
          'MCPC_SPEC_INVALID',
          `${served.compiled.spec.file}: ${op.label} would be served at ${template}, under the mock's reserved prefix ${reservedPrefix}`,
          'rename the path in the spec; the mock keeps /__mock for its own state and reset routes',
        );
      }
      // Templates that differ only in parameter names match the same requests.
      const key = template.replace(/\{[^}]+\}/g, '{}');
      const entry = entries.get(key) ?? {
        spec: served.name,
        template,
        match: compilePathTemplate(template),
        methods: new Set<string>(),
      };
      const method = op.method.toUpperCase();
      if (entry.methods.has(method)) {
        throw new ToolError(
          'MCPC_SPEC_INVALID',
          `${method} ${template} is an operation of both ${entry.spec} and ${served.name}; they cannot share one port`,
          'serve them one at a time with --spec',
        );
      }
      entry.methods.add(method);
      entries.set(key, entry);
    }
  }
  return [...entries.values()];
}
