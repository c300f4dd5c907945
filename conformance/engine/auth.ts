import { ToolError } from '../../core/errors.js';
import type { SecurityAlternative, SecuritySchemeSpec } from '../../core/operations.js';

/**
 * Credentials by security scheme name, from `--auth scheme=value` or `MCP_CONTRACTS_AUTH_<SCHEME>` (so secrets
 * stay out of shell history), and how to put them on a request. Every secret is registered for redaction.
 */
export type Credentials = Map<string, string>;

export function parseAuthArguments(values: string[] = [], env: NodeJS.ProcessEnv = process.env): Credentials {
  const credentials: Credentials = new Map();
  for (const [name, value] of Object.entries(env)) {
    const match = /^MCP_CONTRACTS_AUTH_(.+)$/.exec(name);
    if (match?.[1] && value !== undefined) credentials.set(normaliseScheme(match[1]), value);
  }
  for (const raw of values) {
    const eq = raw.indexOf('=');
    if (eq <= 0) {
      throw new ToolError(
        'MCPC_USAGE',
        `--auth '${raw.replace(/=.*/, '=…')}' is not SCHEME=VALUE`,
        'write it as --auth basic=user:pass, --auth bearerAuth=TOKEN or --auth apiKeyAuth=KEY (the scheme name from the spec)',
      );
    }
    credentials.set(normaliseScheme(raw.slice(0, eq)), raw.slice(eq + 1));
  }
  return credentials;
}

/** Scheme names are matched case-insensitively and without punctuation: `bearerAuth` = `BEARERAUTH`. */
export function normaliseScheme(name: string): string {
  return name.toLowerCase().replace(/[^a-z0-9]/g, '');
}

export interface AuthApplication {
  headers: Record<string, string>;
  query: Array<[string, string]>;
}

/** The first alternative of the operation's security that we hold credentials for, or undefined. */
export function chooseAlternative(
  security: SecurityAlternative[],
  credentials: Credentials,
): SecurityAlternative | undefined {
  return security.find(
    (alternative) =>
      alternative.length > 0 &&
      alternative.every((r) => r.definition && credentials.has(normaliseScheme(r.scheme)) && supported(r.definition)),
  );
}

/** The names of the schemes an operation's security uses that the spec defines, each once. */
export function definedSchemes(security: SecurityAlternative[]): string[] {
  return [
    ...new Set(
      security
        .flat()
        .filter((r) => r.definition)
        .map((r) => r.scheme),
    ),
  ];
}

/** Alternatives we could satisfy if we had credentials: defined schemes of a kind we know how to send. */
export function satisfiableAlternatives(security: SecurityAlternative[]): SecurityAlternative[] {
  return security.filter((alternative) => alternative.every((r) => r.definition && supported(r.definition)));
}

function supported(scheme: SecuritySchemeSpec): boolean {
  if (scheme.type === 'http') return scheme.scheme === 'basic' || scheme.scheme === 'bearer';
  if (scheme.type === 'apiKey') return scheme.in !== undefined && scheme.paramName !== undefined;
  return scheme.type === 'oauth2' || scheme.type === 'openIdConnect';
}

/** Put credentials on a request. `value` overrides the held credential (for wrong-credential cases). */
export function applyAuth(
  alternative: SecurityAlternative,
  credentials: Credentials,
  override?: (scheme: SecuritySchemeSpec) => string,
): AuthApplication {
  const result: AuthApplication = { headers: {}, query: [] };
  const cookies: string[] = [];
  for (const requirement of alternative) {
    const scheme = requirement.definition;
    if (!scheme) continue;
    const value = override ? override(scheme) : (credentials.get(normaliseScheme(requirement.scheme)) ?? '');
    if (scheme.type === 'http' && scheme.scheme === 'basic') {
      const userPass = value.includes(':') ? value : `${value}:`;
      result.headers.authorization = `Basic ${Buffer.from(userPass).toString('base64')}`;
    } else if (scheme.type === 'http' || scheme.type === 'oauth2' || scheme.type === 'openIdConnect') {
      result.headers.authorization = `Bearer ${value}`;
    } else if (scheme.type === 'apiKey' && scheme.paramName) {
      if (scheme.in === 'header') result.headers[scheme.paramName.toLowerCase()] = value;
      else if (scheme.in === 'query') result.query.push([scheme.paramName, value]);
      else if (scheme.in === 'cookie') cookies.push(`${scheme.paramName}=${value}`);
    }
  }
  if (cookies.length > 0) result.headers.cookie = cookies.join('; ');
  return result;
}

/** A credential of the right shape that no deployment will accept. */
export function wrongCredential(scheme: SecuritySchemeSpec): string {
  if (scheme.type === 'http' && scheme.scheme === 'basic') return 'mcpc-wrong-user:mcpc-wrong-password';
  return 'mcpc-wrong-credential-0000000000';
}

/** The secrets to keep out of reports, each with the environment variable a user would hold it in. */
export function secretsOf(credentials: Credentials): Array<{ value: string; envName: string }> {
  return [...credentials].map(([scheme, value]) => ({ value, envName: `MCP_CONTRACTS_AUTH_${scheme.toUpperCase()}` }));
}
