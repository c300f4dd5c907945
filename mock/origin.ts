import type { IncomingHttpHeaders } from 'node:http';

/**
 * DNS-rebinding and cross-site protection for a mock that runs on a developer's laptop. MCP's Streamable HTTP
 * transport says a server MUST validate `Origin` (2025-11-25: and answer 403 to an invalid one); any web page
 * the developer visits could otherwise drive the mock, and a rebinding DNS name could read its answers.
 *
 * - `Host` must name a loopback address (`localhost`, `127.0.0.1`, `[::1]`, any port), or the host the mock
 *   was bound to with `--host` (a wildcard bind, `0.0.0.0` or `::`, accepts any `Host`: the developer asked
 *   for the network).
 * - `Origin`, when a browser sends one, must be a loopback origin or one allowed with `--allow-origin` (or
 *   `allowedOrigins` in the fixtures). Clients that are not browsers send none and are served.
 *
 * Everything else gets 403 with a JSON body saying how to allow it, on every route, `/__mock/*` included.
 */

export interface OriginPolicy {
  /** Extra origins, normalised (`http://localhost:5173`), beyond the loopback ones. */
  allowedOrigins: string[];
  /** Extra `Host` names (lower case, without port) beyond the loopback ones; `*` accepts any. */
  allowedHosts: string[];
}

const loopbackHosts = new Set(['localhost', '127.0.0.1', '[::1]', '::1']);

/** `localhost:4010` → `localhost`; `[::1]:4010` → `[::1]`. */
function hostName(host: string): string {
  const lower = host.trim().toLowerCase();
  if (lower.startsWith('[')) return lower.slice(0, lower.indexOf(']') + 1);
  const colon = lower.indexOf(':');
  return colon === -1 ? lower : lower.slice(0, colon);
}

/** An origin in its serialised form (scheme://host[:port], lower case), or undefined if it is not one. */
export function normaliseOrigin(value: string): string | undefined {
  try {
    const url = new URL(value);
    if (url.protocol !== 'http:' && url.protocol !== 'https:') return undefined;
    return url.origin.toLowerCase();
  } catch {
    return undefined;
  }
}

/** The policy for a mock bound to `boundHost` that also allows `origins`. */
export function originPolicy(boundHost: string, origins: string[] = []): OriginPolicy {
  const bound = hostName(boundHost.includes(':') && !boundHost.startsWith('[') ? `[${boundHost}]` : boundHost);
  const wildcard = bound === '0.0.0.0' || bound === '[::]';
  return {
    allowedOrigins: origins.flatMap((o) => normaliseOrigin(o) ?? []),
    allowedHosts: wildcard ? ['*'] : loopbackHosts.has(bound) ? [] : [bound],
  };
}

export function isLoopbackOrigin(origin: string): boolean {
  const normal = normaliseOrigin(origin);
  if (!normal) return false;
  return loopbackHosts.has(hostName(new URL(normal).host));
}

export function originAllowed(origin: string, policy: OriginPolicy): boolean {
  const normal = normaliseOrigin(origin);
  return normal !== undefined && (isLoopbackOrigin(normal) || policy.allowedOrigins.includes(normal));
}

export interface OriginRefusal {
  status: 403;
  body: { error: 'forbidden_origin' | 'forbidden_host'; message: string };
}

/**
 * undefined when the request may be served; else the 403 to send. `ownRoute` (the mock's `/__mock/*`): on a
 * wildcard bind these still answer only loopback and explicitly bound host names — anyone on the network could
 * otherwise read the state (key fingerprints, session ids) or reset it under the developer.
 */
export function refuseForeign(
  headers: IncomingHttpHeaders,
  policy: OriginPolicy,
  ownRoute = false,
): OriginRefusal | undefined {
  const host = headers.host;
  if (ownRoute && policy.allowedHosts.includes('*')) {
    const name = host === undefined ? '' : hostName(host);
    if (!loopbackHosts.has(name)) {
      return {
        status: 403,
        body: {
          error: 'forbidden_host',
          message: `the mock's own routes (/__mock/*) answer only on this machine when it listens on every interface; call them as 127.0.0.1 or localhost, not '${host ?? ''}'`,
        },
      };
    }
  }
  if (!policy.allowedHosts.includes('*')) {
    const name = host === undefined ? '' : hostName(host);
    if (!loopbackHosts.has(name) && !policy.allowedHosts.includes(name)) {
      return {
        status: 403,
        body: {
          error: 'forbidden_host',
          message: `Host '${host ?? ''}' is not this mock's address (DNS rebinding protection); call it as 127.0.0.1 or localhost, or start it with --host <address> to serve that address`,
        },
      };
    }
  }
  const origin = headers.origin;
  if (origin !== undefined && !originAllowed(origin, policy)) {
    return {
      status: 403,
      body: {
        error: 'forbidden_origin',
        message: `Origin '${origin}' is not allowed: the mock serves loopback origins only; to allow a dev server, start it with --allow-origin ${normaliseOrigin(origin) ?? 'http://host:port'} (or add it to "allowedOrigins" in the fixtures)`,
      },
    };
  }
  return undefined;
}
