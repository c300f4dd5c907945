import type { ParamStyle } from '../state.js';
import type { JsonSchema, ParamGroup } from './catalogue.js';

/**
 * `param-style`: how a tool's arguments are laid out for the client. An action's arguments are grouped by where
 * the HTTP call puts them; the styles present the same arguments three ways (the docs page's wording):
 *
 * - `nested` (default) groups by location: `{"path": {"id": …}, "query": {"page_size": 2}}`
 * - `flat_prefixed` flattens with the location as prefix: `{"path_id": …, "query_page_size": 2}`
 * - `flat_smart` flattens and prefixes only names that occur in more than one location
 *
 * A `header` group carries `x-account-id` where a session reaches several accounts serving the same tool.
 * Whatever the style, the arguments are turned back into groups before validation, so one validator per action
 * serves all three, and its errors are reported under the names the client used.
 */

export type GroupName = 'path' | 'query' | 'body' | 'header';
export type ArgumentGroups = Partial<Record<GroupName, ParamGroup>>;
export type Grouped = Partial<Record<GroupName, Record<string, unknown>>>;

const groupOrder: GroupName[] = ['path', 'query', 'body', 'header'];

export interface StyledArguments {
  style: ParamStyle;
  /** The tool's `inputSchema` in this style. */
  inputSchema: JsonSchema;
  /** What the client calls an argument, e.g. `query_page_size` (flat_prefixed) or `query.page_size` (nested). */
  nameOf(group: GroupName, name: string): string;
  /** The client's arguments, grouped; or a sentence naming what does not belong. */
  group(args: Record<string, unknown>): { grouped: Grouped } | { invalid: string };
}

export function styleArguments(groups: ArgumentGroups, style: ParamStyle): StyledArguments {
  const present = groupOrder.filter((g) => groups[g] && Object.keys(groups[g].properties).length > 0);
  if (style === 'nested') return nested(groups, present);
  // Flat: one name per (group, property); in flat_smart only names used by two groups carry the prefix.
  const counts = new Map<string, number>();
  for (const g of present)
    for (const name of Object.keys(groups[g]!.properties)) counts.set(name, (counts.get(name) ?? 0) + 1);
  const flatName = (g: GroupName, name: string) =>
    style === 'flat_prefixed' || (counts.get(name) ?? 0) > 1 ? `${g}_${name}` : name;
  const origin = new Map<string, { group: GroupName; name: string }>();
  const properties: Record<string, JsonSchema> = {};
  const required: string[] = [];
  for (const g of present) {
    const group = groups[g]!;
    for (const [name, schema] of Object.entries(group.properties)) {
      const flat = flatName(g, name);
      origin.set(flat, { group: g, name });
      properties[flat] = schema;
      if (group.required.includes(name)) required.push(flat);
    }
  }
  return {
    style,
    inputSchema: objectSchema(properties, required),
    nameOf: flatName,
    group(args) {
      const grouped: Grouped = {};
      const unknown: string[] = [];
      for (const [key, value] of Object.entries(args)) {
        const from = origin.get(key);
        if (!from) {
          unknown.push(key);
          continue;
        }
        grouped[from.group] = { ...grouped[from.group], [from.name]: value };
      }
      if (unknown.length > 0) return { invalid: unknownArguments(unknown, [...origin.keys()], style) };
      return { grouped };
    },
  };
}

function nested(groups: ArgumentGroups, present: GroupName[]): StyledArguments {
  const properties: Record<string, JsonSchema> = {};
  const required: string[] = [];
  for (const g of present) {
    const group = groups[g]!;
    properties[g] = objectSchema(group.properties, group.required);
    if (group.required.length > 0) required.push(g);
  }
  return {
    style: 'nested',
    inputSchema: objectSchema(properties, required),
    nameOf: (g, name) => `${g}.${name}`,
    group(args) {
      const unknown = Object.keys(args).filter((key) => !present.includes(key as GroupName));
      if (unknown.length > 0) return { invalid: unknownArguments(unknown, present, 'nested') };
      const grouped: Grouped = {};
      for (const g of present) {
        const value = args[g];
        if (value === undefined) continue;
        if (typeof value !== 'object' || value === null || Array.isArray(value)) {
          return { invalid: `${g} must be an object` };
        }
        grouped[g] = value as Record<string, unknown>;
      }
      return { grouped };
    },
  };
}

export function objectSchema(properties: Record<string, JsonSchema>, required: string[]): JsonSchema {
  return {
    type: 'object',
    properties,
    ...(required.length > 0 ? { required } : {}),
    additionalProperties: false,
  };
}

function unknownArguments(unknown: string[], known: string[], style: ParamStyle): string {
  const list = unknown.map((k) => `'${k}'`).join(', ');
  return `unknown argument${unknown.length > 1 ? 's' : ''} ${list} (param-style ${style} takes: ${known.join(', ') || 'none'})`;
}

/** A JSON Schema violation of the grouped arguments, in the client's own names. */
export interface ArgumentViolation {
  instancePath: string;
  keyword: string;
  params: Record<string, unknown>;
  message?: string | undefined;
}

export function describeViolations(
  violations: ArgumentViolation[],
  groups: ArgumentGroups,
  styled: StyledArguments,
): string {
  const lines = violations.map((v) => {
    const [group, name, ...rest] = v.instancePath.split('/').slice(1) as [GroupName | undefined, ...string[]];
    if (v.keyword === 'required') {
      const missing = String(v.params.missingProperty);
      // A whole group left out (flat styles never send one): name its required arguments instead.
      if (!group) {
        const inGroup = groups[missing as GroupName]?.required ?? [];
        return inGroup.map((n) => `${styled.nameOf(missing as GroupName, n)} is required`).join('; ');
      }
      return `${styled.nameOf(group, missing)} is required`;
    }
    if (v.keyword === 'additionalProperties') {
      const extra = String(v.params.additionalProperty);
      return group ? `unknown argument '${styled.nameOf(group, extra)}'` : `unknown argument '${extra}'`;
    }
    const where = !group
      ? 'arguments'
      : !name
        ? group
        : `${styled.nameOf(group, name)}${rest.map((r) => `[${r}]`).join('')}`;
    return `${where} ${v.message ?? `breaks ${v.keyword}`}`;
  });
  return [...new Set(lines)].join('; ');
}
