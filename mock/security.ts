import type { Operation, SecurityRequirementSpec, SecuritySchemeSpec } from '../core/operations.js';
import { cookieValue, firstString } from '../core/parameters.js';

/**
 * Credentials, read the way the operation's `security` says: each alternative is a set of schemes that must
 * all be satisfied; the request passes when one alternative does. An alternative naming a scheme the spec never
 * defines (StackOne's `ApiKey`) cannot be satisfied and is skipped, as specs/README.md says.
 *
 * HTTP Basic carries the API key as the username; the password is not checked (StackOne's docs send an empty
 * one, and clients that always send a password should not be locked out of a mock).
 */

export interface IncomingCredentials {
  headers: Record<string, string | string[] | undefined>;
  query: Record<string, unknown>;
}

export type AuthOutcome =
  | { ok: true; principal: string | undefined }
  /** `missing`: no alternative's credentials were sent; `wrong`: sent, but not a valid key. */
  | { ok: false; credential: 'missing' | 'wrong'; schemes: SecuritySchemeSpec[] };

const anyone: AuthOutcome = Object.freeze({ ok: true, principal: undefined });

/** Per operation, worked out on its first request: the alternatives a caller can satisfy, or `open`. */
const usableByOperation = new WeakMap<Operation, SecurityRequirementSpec[][] | 'open'>();

function usableAlternatives(operation: Operation): SecurityRequirementSpec[][] | 'open' {
  let usable = usableByOperation.get(operation);
  if (usable === undefined) {
    const satisfiable = operation.security.filter((alternative) =>
      alternative.every((r) => r.definition !== undefined),
    );
    // No security, or every alternative unsatisfiable (a defect of the spec, not of the caller), or one that asks
    // for nothing: let the request through.
    usable =
      satisfiable.length === 0 || satisfiable.some((alternative) => alternative.length === 0) ? 'open' : satisfiable;
    usableByOperation.set(operation, usable);
  }
  return usable;
}

export function authenticate(
  operation: Operation,
  request: IncomingCredentials,
  validKeys: readonly string[] | 'any',
): AuthOutcome {
  const usable = usableAlternatives(operation);
  if (usable === 'open') return anyone;

  let sawCredential = false;
  for (const alternative of usable) {
    const values = alternative.map((requirement) => credentialOf(requirement, request));
    if (values.some((v) => v !== undefined)) sawCredential = true;
    if (values.every((v): v is string => v !== undefined && (validKeys === 'any' ? v !== '' : validKeys.includes(v)))) {
      return { ok: true, principal: values[0] };
    }
  }
  const schemes = usable.flat().map((r) => r.definition as SecuritySchemeSpec);
  return { ok: false, credential: sawCredential ? 'wrong' : 'missing', schemes };
}

/**
 * The key a request presents for one scheme: `undefined` when nothing was sent where the scheme looks, and
 * an empty string for something unusable (a malformed Basic header, another auth scheme) — present, but wrong.
 */
export function credentialOf(requirement: SecurityRequirementSpec, request: IncomingCredentials): string | undefined {
  const scheme = requirement.definition;
  if (!scheme) return undefined;
  if (scheme.type === 'apiKey') {
    const name = scheme.paramName ?? '';
    if (scheme.in === 'query') return firstString(request.query[name]);
    if (scheme.in === 'cookie') return cookieValue(firstString(request.headers.cookie), name);
    return firstString(request.headers[name.toLowerCase()]);
  }
  const authorization = firstString(request.headers.authorization);
  if (authorization === undefined) return undefined;
  const [given = '', ...rest] = authorization.trim().split(/\s+/);
  const token = rest.join(' ');
  const expected = scheme.type === 'http' ? (scheme.scheme ?? '') : 'bearer';
  if (given.toLowerCase() !== expected) return '';
  if (expected !== 'basic') return token;
  const decoded = Buffer.from(token, 'base64').toString('utf8');
  const colon = decoded.indexOf(':');
  return colon === -1 ? '' : decoded.slice(0, colon);
}

/** How to send a credential for a scheme, for error messages: never includes a key. */
export function describeScheme(scheme: SecuritySchemeSpec): string {
  if (scheme.type === 'apiKey') return `an API key in the ${scheme.paramName} ${scheme.in ?? 'header'}`;
  if (scheme.type === 'http' && scheme.scheme === 'basic') {
    return 'HTTP Basic auth with the API key as username and an empty password';
  }
  return 'Authorization: Bearer <API key>';
}
