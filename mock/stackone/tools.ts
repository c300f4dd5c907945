import type { ValidateFunction } from 'ajv';
import type { components } from '../../generated/stackone.js';
import { createSchemaCompiler } from '../json-schema.js';
import type { LinkedAccount, ParamStyle, ToolMode } from '../state.js';
import { type Action, type ActionOutcome, actionsFor, type JsonSchema } from './catalogue.js';
import {
  type ArgumentGroups,
  describeViolations,
  type Grouped,
  objectSchema,
  type StyledArguments,
  styleArguments,
} from './param-style.js';

/**
 * The MCP tools of one session, made from its linked accounts' actions:
 *
 * - `tool-mode=individual` (default): one tool per action, named as the action (`hris_list_employees`). When
 *   the session reaches several accounts whose category has that action, the tool takes the account as a
 *   `header` argument `x-account-id` (required, one of them); otherwise the account is implied.
 * - `tool-mode=search_execute`: two tools per linked account, `search_actions_<account>` (find actions by
 *   keywords; answers each match with its input schema) and `execute_action_<account>` (run one by name).
 *
 * `param-style` shapes every action's arguments (param-style.ts). Arguments that break the tool's input schema
 * are a protocol error (-32602), as MCP 2025-06-18 lists "invalid arguments"; what the provider would refuse
 * (unknown id, duplicate email, a bad cursor) is a tool result with `isError: true`, which the model can read.
 */

type Schemas = components['schemas'];
export type McpTool = Schemas['McpTool'];
export type ToolResult = Schemas['McpToolsCallResult'];
export type ToolCallOutcome = { result: ToolResult } | { invalid: string };

export interface SessionTool {
  tool: McpTool;
  call(args: Record<string, unknown>, now: Date): ToolCallOutcome;
}

export interface ToolSettings {
  accounts: LinkedAccount[];
  style: ParamStyle;
  mode: ToolMode;
}

export function sessionTools(settings: ToolSettings): SessionTool[] {
  return settings.mode === 'search_execute' ? searchExecuteTools(settings) : individualTools(settings);
}

function individualTools({ accounts, style }: ToolSettings): SessionTool[] {
  const serving = new Map<Action, LinkedAccount[]>();
  for (const account of accounts) {
    for (const action of actionsFor(account.category)) serving.set(action, [...(serving.get(action) ?? []), account]);
  }
  return [...serving].map(([action, by]) => {
    const ids = by.map((a) => a.id);
    const groups: ArgumentGroups =
      by.length > 1
        ? {
            ...action.params,
            header: {
              properties: {
                'x-account-id': { type: 'string', enum: ids, description: 'The linked account to act on.' },
              },
              required: ['x-account-id'],
            },
          }
        : action.params;
    const styled = styleArguments(groups, style);
    return {
      tool: {
        name: action.name,
        title: action.title,
        description: `${action.description} ${action.http}. Accounts: ${by.map(describeAccount).join(', ')}.`,
        inputSchema: styled.inputSchema as McpTool['inputSchema'],
        annotations: annotationsOf(action),
      },
      call(args, now) {
        const prepared = prepareArguments(action, groups, styled, args);
        if ('invalid' in prepared) return prepared;
        const chosen = prepared.grouped.header?.['x-account-id'];
        const account = by.find((a) => a.id === chosen) ?? (by[0] as LinkedAccount);
        return { result: toolResult(action.run(prepared.grouped, account, now)) };
      },
    };
  });
}

const searchInput = objectSchema(
  {
    query: { type: 'string', minLength: 1, description: 'What you want to do, in a few words, e.g. "list employees".' },
    limit: { type: 'integer', minimum: 1, maximum: 20, default: 5, description: 'Most matches to return.' },
  },
  ['query'],
);

function searchExecuteTools({ accounts, style }: ToolSettings): SessionTool[] {
  return accounts.flatMap((account) => {
    const own = actionsFor(account.category).map((action) => ({
      action,
      styled: styleArguments(action.params, style),
    }));
    const slug = account.id.toLowerCase().replace(/[^a-z0-9_]+/g, '_');
    const executeInput = objectSchema(
      {
        action: {
          type: 'string',
          enum: own.map((o) => o.action.name),
          description: 'The action to run (from search).',
        },
        arguments: {
          type: 'object',
          default: {},
          description: `The action's arguments, as its inputSchema from search says (param-style ${style}).`,
        },
      },
      ['action'],
    );
    const search: SessionTool = {
      tool: {
        name: `search_actions_${slug}`,
        title: `Search actions of ${describeAccount(account)}`,
        description: `Find the actions you can run on ${describeAccount(account)} by keywords; each match comes with its input schema. Run one with execute_action_${slug}.`,
        inputSchema: searchInput as McpTool['inputSchema'],
        annotations: { readOnlyHint: true, destructiveHint: false, idempotentHint: true, openWorldHint: false },
      },
      call(args) {
        const invalid = violationsOf('search', searchInput, args);
        if (invalid) return { invalid };
        const limit = typeof args.limit === 'number' ? args.limit : 5;
        const matches = rank(
          String(args.query),
          own.map((o) => o.action),
        )
          .slice(0, limit)
          .map(({ action, score }) => ({
            name: action.name,
            description: `${action.description} ${action.http}.`,
            score,
            inputSchema: own.find((o) => o.action === action)?.styled.inputSchema,
          }));
        return {
          result: toolResult({
            ok: true,
            data: { account: accountSummary(account), actions: matches },
          }),
        };
      },
    };
    const execute: SessionTool = {
      tool: {
        name: `execute_action_${slug}`,
        title: `Run an action on ${describeAccount(account)}`,
        description: `Run one action found with search_actions_${slug} on ${describeAccount(account)}, with its arguments.`,
        inputSchema: executeInput as McpTool['inputSchema'],
        annotations: { readOnlyHint: false, destructiveHint: false, idempotentHint: false, openWorldHint: true },
      },
      call(args, now) {
        const invalid = violationsOf(`execute:${account.category}`, executeInput, args);
        if (invalid) return { invalid };
        const chosen = own.find((o) => o.action.name === args.action)!;
        // The execute tool's own arguments were valid; the action's are its business, so a mismatch is a tool
        // error the model can read and correct, not a protocol error.
        const prepared = prepareArguments(
          chosen.action,
          chosen.action.params,
          chosen.styled,
          (args.arguments ?? {}) as Record<string, unknown>,
        );
        if ('invalid' in prepared)
          return { result: toolResult({ ok: false, statusCode: 400, message: prepared.invalid }) };
        return { result: toolResult(chosen.action.run(prepared.grouped, account, now)) };
      },
    };
    return [search, execute];
  });
}

/** The client's arguments, grouped and checked against the action's schema (and the account choice). */
function prepareArguments(
  action: Action,
  groups: ArgumentGroups,
  styled: StyledArguments,
  args: Record<string, unknown>,
): { grouped: Grouped } | { invalid: string } {
  const grouped = styled.group(args);
  if ('invalid' in grouped) return { invalid: `Invalid arguments for ${action.name}: ${grouped.invalid}` };
  const validate = validatorFor(`action:${action.name}`, () => styleArguments(action.params, 'nested').inputSchema);
  const { header, ...rest } = grouped.grouped;
  const problems: string[] = [];
  if (!validate(rest)) problems.push(describeViolations(validate.errors ?? [], groups, styled));
  const accountChoice = groups.header?.properties['x-account-id'];
  if (accountChoice) {
    const ids = (accountChoice.enum ?? []) as string[];
    const given = header?.['x-account-id'];
    if (given === undefined)
      problems.push(`${styled.nameOf('header', 'x-account-id')} is required: one of ${ids.join(', ')}`);
    else if (!ids.includes(given as string)) {
      problems.push(`${styled.nameOf('header', 'x-account-id')} must be one of ${ids.join(', ')}`);
    }
  }
  if (problems.length > 0) return { invalid: `Invalid arguments for ${action.name}: ${problems.join('; ')}` };
  return grouped;
}

/** Validators for the tools' input schemas, compiled the first time a tool is called and reused after that. */
const validators = new Map<string, ValidateFunction>();
let compiler: ReturnType<typeof createSchemaCompiler> | undefined;

function validatorFor(key: string, schema: () => JsonSchema): ValidateFunction {
  let validate = validators.get(key);
  if (!validate) {
    compiler ??= createSchemaCompiler();
    validate = compiler.compile(schema());
    validators.set(key, validate);
  }
  return validate;
}

/** The search and execute tools' own arguments are flat and fixed: checked as they are. */
function violationsOf(key: string, schema: JsonSchema, args: Record<string, unknown>): string | undefined {
  const validate = validatorFor(key, () => schema);
  if (validate(args)) return undefined;
  const lines = (validate.errors ?? []).map((e) => {
    if (e.keyword === 'required') return `${String(e.params.missingProperty)} is required`;
    if (e.keyword === 'additionalProperties') return `unknown argument '${String(e.params.additionalProperty)}'`;
    return `${e.instancePath.slice(1).replaceAll('/', '.') || 'arguments'} ${e.message ?? `breaks ${e.keyword}`}`;
  });
  return `Invalid arguments: ${[...new Set(lines)].join('; ')}`;
}

export function toolResult(outcome: ActionOutcome): ToolResult {
  if (!outcome.ok) {
    return {
      content: [{ type: 'text', text: `${outcome.statusCode}: ${outcome.message}` }],
      structuredContent: { statusCode: outcome.statusCode, message: outcome.message },
      isError: true,
    };
  }
  return {
    content: [{ type: 'text', text: JSON.stringify(outcome.data) }],
    structuredContent: outcome.data,
    isError: false,
  };
}

function annotationsOf(action: Action): Record<string, unknown> {
  return {
    readOnlyHint: action.readOnly,
    destructiveHint: false,
    idempotentHint: action.readOnly,
    openWorldHint: true,
  };
}

function describeAccount(account: LinkedAccount): string {
  return `${account.id} (${account.provider}${account.name ? `, ${account.name}` : ''})`;
}

function accountSummary(account: LinkedAccount): Record<string, unknown> {
  return { id: account.id, provider: account.provider, category: account.category, name: account.name ?? null };
}

/**
 * Keyword search over the actions' names and titles. Words are reduced to a stem (plural `s` dropped) and
 * common synonyms mapped to the catalogue's words, so "find all staff" finds `hris_list_employees`. The score
 * is the weighted share of the query's words that match (see `weight`); ties keep catalogue order.
 */
const synonyms: Record<string, string> = {
  find: 'list',
  search: 'list',
  show: 'list',
  all: 'list',
  fetch: 'get',
  read: 'get',
  detail: 'get',
  add: 'create',
  new: 'create',
  hire: 'create',
  staff: 'employee',
  people: 'employee',
  person: 'employee',
  worker: 'employee',
  applicant: 'candidate',
  opening: 'job',
  position: 'job',
  role: 'job',
  vacancy: 'job',
  posting: 'job',
};
const stopWords = new Set(['a', 'an', 'the', 'of', 'for', 'in', 'on', 'to', 'me', 'my', 'our', 'and', 'by', 'with']);

function words(text: string): string[] {
  return text
    .toLowerCase()
    .split(/[^a-z0-9]+/)
    .filter((w) => w.length > 0 && !stopWords.has(w))
    .map((w) => (w.length > 3 && w.endsWith('s') ? w.slice(0, -1) : w))
    .map((w) => synonyms[w] ?? w);
}

/** What a query is about (employees, jobs) tells actions apart more than the verb does, so verbs weigh less. */
const verbs = new Set(['list', 'get', 'create']);
const weight = (word: string) => (verbs.has(word) ? 1 : 2);

function rank(query: string, candidates: Action[]): Array<{ action: Action; score: number }> {
  const wanted = [...new Set(words(query))];
  const total = wanted.reduce((sum, w) => sum + weight(w), 0);
  if (total === 0) return [];
  return candidates
    .map((action) => {
      // Names and titles only: descriptions mention other verbs in passing ("pass `next` to get the next page").
      const known = new Set(words(`${action.name} ${action.title}`));
      const hits = wanted.filter((w) => known.has(w)).reduce((sum, w) => sum + weight(w), 0);
      return { action, score: Math.round((hits / total) * 100) / 100 };
    })
    .filter((m) => m.score > 0)
    .sort((a, b) => b.score - a.score);
}
