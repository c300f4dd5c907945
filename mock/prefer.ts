import { documentedCodes, findResponse, type Operation } from '../core/operations.js';
import { firstString } from '../core/parameters.js';
import type { CannedMedia, CannedResponse, CannedTable } from './canned.js';
import type { MockResponse } from './types.js';

/**
 * `Prefer: code=NNN` and `Prefer: example=NAME`, with Stoplight Prism's semantics so that clients and the
 * conformance runner can use either mock the same way:
 *
 * - The header is RFC 7240 preferences separated by commas (`Prefer: code=429, example=rateLimited`); the first
 *   occurrence of a preference wins and unknown ones (`return=minimal`) are ignored; `dynamic=true` asks for fresh data (mock/dynamic.ts). Without a
 *   `Prefer` header, the query parameters `__code` and `__example` are read instead (handy in a browser).
 * - `code` must be three digits. It picks the documented response for that status; an example name picks that
 *   example of it. `example` alone picks the first documented status (2xx first) that has an example of that
 *   name.
 * - Preferences are honoured only for a request that is otherwise acceptable: credentials and validation come
 *   first, as in Prism, so a `Prefer` never hides a 401 or a 400. A forced answer changes no state.
 *
 * Where Prism answers an undocumented code or example with a 404 problem document, this mock answers 400 in
 * the API's own error schema, listing what is documented — a 404 would read as "no such resource".
 */

export interface Preference {
  code?: number;
  example?: string;
  /** `dynamic=true` (Prism's name): fresh data from the schema on every request, seeded by `--seed`. */
  dynamic?: boolean;
}

export type PreferenceResult = { preference: Preference | undefined } | { error: string };

/** The answer for a request that prefers nothing (most of them), made once. */
const noPreference: PreferenceResult = Object.freeze({ preference: undefined });

export function readPreference(
  header: string | string[] | undefined,
  query: Record<string, unknown>,
): PreferenceResult {
  let code: string | undefined;
  let example: string | undefined;
  let dynamic: string | undefined;
  if (header !== undefined) {
    const values = parsePreferHeader(Array.isArray(header) ? header.join(',') : header);
    code = values.get('code');
    example = values.get('example');
    dynamic = values.get('dynamic');
  } else {
    code = firstString(query.__code);
    example = firstString(query.__example);
    dynamic = firstString(query.__dynamic);
  }
  if (dynamic !== undefined && !['', 'true', 'false'].includes(dynamic.toLowerCase())) {
    return { error: `Prefer: dynamic must be true or false, got '${dynamic}'` };
  }
  const isDynamic = dynamic !== undefined && dynamic.toLowerCase() !== 'false';
  if (code === undefined && example === undefined) return isDynamic ? { preference: { dynamic: true } } : noPreference;
  const preference: Preference = isDynamic ? { dynamic: true } : {};
  if (code !== undefined) {
    if (!/^\d{3}$/.test(code)) return { error: `Prefer: code must be a three-digit HTTP status, got '${code}'` };
    preference.code = Number(code);
  }
  if (example !== undefined) {
    if (example === '') return { error: 'Prefer: example needs a name, e.g. example=notFound' };
    preference.example = example;
  }
  return { preference };
}

/** RFC 7240: `token[=value]` preferences separated by commas, parameters after `;` (ignored), values may be quoted. */
export function parsePreferHeader(header: string): Map<string, string> {
  const result = new Map<string, string>();
  for (const preference of splitOutsideQuotes(header, ',')) {
    const [head] = splitOutsideQuotes(preference, ';');
    if (!head) continue;
    const eq = head.indexOf('=');
    const name = (eq === -1 ? head : head.slice(0, eq)).trim().toLowerCase();
    let value = eq === -1 ? '' : head.slice(eq + 1).trim();
    if (value.length >= 2 && value.startsWith('"') && value.endsWith('"')) value = value.slice(1, -1);
    if (name && !result.has(name)) result.set(name, value);
  }
  return result;
}

function splitOutsideQuotes(text: string, separator: string): string[] {
  const parts: string[] = [];
  let quoted = false;
  let start = 0;
  for (let i = 0; i < text.length; i++) {
    const char = text[i];
    if (char === '"') quoted = !quoted;
    else if (char === separator && !quoted) {
      parts.push(text.slice(start, i));
      start = i + 1;
    }
  }
  parts.push(text.slice(start));
  return parts;
}

/**
 * The answer a preference asks for, from the responses canned at start-up, or an error sentence saying what
 * is documented instead.
 */
export function preferredResponse(
  operation: Operation,
  canned: CannedTable,
  preference: Preference,
  accept: string | undefined,
): { response: MockResponse; fromExample: boolean } | { error: string } {
  const responses = canned.get(operation.operationId) ?? new Map<string, CannedResponse>();
  let chosen: CannedResponse | undefined;
  let status: number;
  if (preference.code !== undefined) {
    const spec = findResponse(operation, preference.code);
    chosen = spec ? responses.get(spec.status) : undefined;
    if (!chosen) {
      return {
        error: `Prefer: code=${preference.code} is not documented for ${operation.label}; documented: ${documentedCodes(operation).join(', ')}`,
      };
    }
    status = preference.code;
  } else {
    const name = preference.example as string;
    const ordered = [...responses.values()].sort((a, b) => rank(a.spec.status) - rank(b.spec.status));
    chosen = ordered.find((r) => r.media.some((m) => m.examples.has(name) || m.invalidExamples.has(name)));
    if (!chosen) return { error: `Prefer: example=${name}: ${exampleCatalogue(operation, responses)}` };
    status = Number(chosen.spec.status);
  }

  const name = preference.example;
  let media: CannedMedia | undefined;
  if (name !== undefined) {
    const withExample = chosen.media.filter((m) => m.examples.has(name) || m.invalidExamples.has(name));
    media = negotiate(withExample, accept);
    if (!media) {
      return {
        error: `Prefer: example=${name} is not an example of ${chosen.spec.status} for ${operation.label}; ${exampleCatalogue(operation, responses)}`,
      };
    }
    const problems = media.invalidExamples.get(name);
    if (problems) {
      return {
        error: `Prefer: example=${name} of ${chosen.spec.status} for ${operation.label} does not match its own schema (a defect of the spec): ${problems.join('; ')}`,
      };
    }
  } else {
    media = negotiate(chosen.media, accept);
  }

  const response: MockResponse = { status };
  if (Object.keys(chosen.headers).length > 0) response.headers = { ...chosen.headers };
  let fromExample = false;
  if (media) {
    response.contentType = media.mediaType;
    response.body = structuredClone(name !== undefined ? media.examples.get(name) : media.body);
    fromExample = name !== undefined || media.examples.size > 0;
  }
  return { response, fromExample };
}

/** 2xx first, then the rest in numeric order; ranges and `default` last. */
function rank(status: string): number {
  const n = Number(status);
  if (!Number.isInteger(n)) return 10_000;
  return n >= 200 && n < 300 ? n - 1000 : n;
}

function exampleCatalogue(operation: Operation, responses: Map<string, CannedResponse>): string {
  const lines = [...responses.values()]
    .map((r) => {
      const names = new Set(r.media.flatMap((m) => [...m.examples.keys()]));
      return names.size > 0 ? `${r.spec.status}: ${[...names].join(', ')}` : undefined;
    })
    .filter((l): l is string => l !== undefined);
  return lines.length > 0
    ? `named examples of ${operation.label} are ${lines.join('; ')}`
    : `${operation.label} documents no named examples (use Prefer: code=NNN)`;
}

/**
 * The media type to answer in: the first documented one the client accepts (in the client's order of
 * preference by q-value), else the first documented one — an undocumented 406 would not help anyone.
 */
export function negotiate(media: CannedMedia[], accept: string | undefined): CannedMedia | undefined {
  if (media.length === 0 || !accept) return media[0];
  const ranges = accept
    .split(',')
    .map((part) => {
      const [range = '', ...params] = part.split(';').map((s) => s.trim().toLowerCase());
      const q = params.find((p) => p.startsWith('q='));
      return { range, q: q ? Number(q.slice(2)) : 1 };
    })
    .filter((r) => r.range && r.q > 0)
    .sort((a, b) => b.q - a.q);
  for (const { range } of ranges) {
    const found = media.find((m) => mediaMatches(range, m.mediaType));
    if (found) return found;
  }
  return media[0];
}

export function mediaMatches(range: string, mediaType: string): boolean {
  const [type, subtype] = mediaType.toLowerCase().split(';')[0]?.trim().split('/') ?? [];
  const [rangeType, rangeSubtype] = range.split('/');
  if (rangeType === '*' || (rangeType === type && (rangeSubtype === '*' || rangeSubtype === subtype))) return true;
  return false;
}
