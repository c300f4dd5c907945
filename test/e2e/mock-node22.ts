import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { fromRoot } from '../../core/paths.js';

/**
 * A Node ≥ 22 for tools that need it (the official MCP conformance suite calls `fs.globSync`), fetched from the
 * npm registry as the `node-<platform>-<arch>` package into node_modules/.cache on first use and reused after.
 * It is never a dependency in package.json: a package whose bin is `node` would shadow Node 20 for every npm
 * script. Tests only.
 */

export const node22Version = '22.23.3';

/** The package for this platform, or why there is none. */
export function node22Package(): { name: string } | { unavailable: string } {
  const platforms: Record<string, string> = { linux: 'linux', darwin: 'darwin' };
  const arches: Record<string, string> = { x64: 'x64', arm64: 'arm64' };
  const platform = platforms[process.platform];
  const arch = arches[process.arch];
  if (!platform || !arch) {
    return { unavailable: `the npm registry carries no node-${process.platform}-${process.arch} package` };
  }
  return { name: `node-${platform}-${arch}` };
}

/** The path of a Node 22 binary, installing it into the cache first if it is not there yet. */
export async function node22(): Promise<string> {
  const pkg = node22Package();
  if ('unavailable' in pkg) throw new Error(pkg.unavailable);
  const dir = fromRoot('node_modules', '.cache', `mcp-contracts-node${node22Version}`);
  const bin = join(dir, 'node_modules', pkg.name, 'bin', 'node');
  if (!existsSync(bin)) {
    await promisify(execFile)(
      'npm',
      [
        'install',
        '--prefix',
        dir,
        '--no-save',
        '--no-package-lock',
        '--no-audit',
        '--no-fund',
        `${pkg.name}@${node22Version}`,
      ],
      { timeout: 120_000 },
    );
  }
  return bin;
}
