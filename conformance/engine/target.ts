import { connect } from 'node:net';
import { ToolError } from '../../core/errors.js';
import { serverFrom } from '../../core/operations.js';
import type { OpenApiDocument } from '../../core/spec.js';

/**
 * Where requests go. `--target` replaces scheme, host and port of the spec's server URL. Its path, when it has
 * one — `/` included — replaces the base path (the spec's, and the path of path- or operation-level `servers`);
 * a target without any path keeps them.
 */
export interface TargetBase {
  /** `http://host:port` */
  origin: string;
  /** The target's own path without trailing slashes (`''` for `/`), or undefined when it has none. */
  path: string | undefined;
}

export function parseTarget(target: string): TargetBase & { url: URL } {
  let url: URL;
  try {
    url = new URL(target);
  } catch {
    throw new ToolError(
      'MCPC_USAGE',
      `--target '${target}' is not a URL`,
      'give a base URL such as http://127.0.0.1:4010 or https://staging.example.com',
    );
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    throw new ToolError('MCPC_USAGE', `--target '${target}' is not http or https`, 'give an http:// or https:// URL');
  }
  // URL normalises a missing path to '/', so whether the user wrote one is read from the text itself.
  const written = /^[a-z][a-z0-9+.-]*:\/\/[^/?#]*(\/[^?#]*)?/i.exec(target.trim())?.[1];
  return {
    url,
    origin: `${url.protocol}//${url.host}`,
    path: written === undefined ? undefined : url.pathname.replace(/\/+$/, ''),
  };
}

/** The base URL one spec (or one operation with its own `servers`) is reached at. */
export function baseUrlFor(target: TargetBase, specBasePath: string, serverPath?: string): string {
  return `${target.origin}${target.path ?? serverPath ?? specBasePath}`;
}

/**
 * The server path of a path item (its `servers`), for a method the spec does not define there: the request goes
 * where the path's own servers say, else to the spec's base path.
 */
export function pathServerPath(document: OpenApiDocument, path: string): string | undefined {
  const item = (document.paths as Record<string, { servers?: unknown } | undefined> | undefined)?.[path];
  return Array.isArray(item?.servers) ? serverFrom(item.servers).basePath : undefined;
}

export async function assertReachable(target: URL, timeoutMs: number): Promise<void> {
  const port = Number(target.port || (target.protocol === 'https:' ? 443 : 80));
  await new Promise<void>((resolve, reject) => {
    const socket = connect({ host: target.hostname.replace(/^\[|\]$/g, ''), port });
    const timer = setTimeout(() => {
      socket.destroy();
      reject(
        new ToolError(
          'MCPC_TARGET_UNREACHABLE',
          `${target.origin} did not accept a connection within ${timeoutMs} ms`,
          'check the URL, VPN and firewall',
        ),
      );
    }, timeoutMs);
    socket.once('connect', () => {
      clearTimeout(timer);
      socket.end();
      resolve();
    });
    socket.once('error', (error: NodeJS.ErrnoException) => {
      clearTimeout(timer);
      reject(
        new ToolError(
          'MCPC_TARGET_UNREACHABLE',
          `${target.origin} cannot be reached (${error.code ?? error.message})`,
          'check --target: is the deployment running and listening there? (`npx mcp-contracts mock` serves all three APIs on :4010)',
        ),
      );
    });
  });
}
