import { existsSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { ToolError } from '../core/errors.js';
import { bundledSpecNames } from '../core/paths.js';

/**
 * The project drift checks: the nearest folder, from `cwd` up, that holds `specs/` with the bundled specs.
 * Drift gates a checkout (a clone, a CI workspace, a scratch copy in a test), not the installed package.
 */
export function findProjectRoot(cwd: string): string {
  let dir = resolve(cwd);
  for (;;) {
    if (bundledSpecNames.some((name) => existsSync(join(dir, 'specs', `${name}.yaml`)))) return dir;
    const parent = dirname(dir);
    if (parent === dir) break;
    dir = parent;
  }
  throw new ToolError(
    'MCPC_USAGE',
    `drift: no specs/ folder with ${bundledSpecNames.map((n) => `${n}.yaml`).join(', ')} in ${resolve(cwd)} or above`,
    'run drift inside the project (the folder holding specs/ and generated/)',
  );
}
