import { existsSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

/**
 * The folder holding this package's package.json, found by walking up from this module, so that the same
 * code works from the TypeScript sources (tests) and from the compiled `dist/` (the CLI).
 */
function findPackageRoot(): string {
  let dir = dirname(fileURLToPath(import.meta.url));
  for (;;) {
    if (existsSync(join(dir, 'package.json')) && existsSync(join(dir, 'specs'))) return dir;
    const parent = dirname(dir);
    if (parent === dir) throw new Error('mcp-contracts: cannot find the package root (package.json beside specs/)');
    dir = parent;
  }
}

export const packageRoot = findPackageRoot();

/** The specs that ship with the tool, by the name the CLI accepts. */
export const bundledSpecNames = ['stackone', 'smithery', 'langsmith'] as const;
export type BundledSpecName = (typeof bundledSpecNames)[number];

export function isBundledSpecName(name: string): name is BundledSpecName {
  return (bundledSpecNames as readonly string[]).includes(name);
}

export function bundledSpecFile(name: BundledSpecName): string {
  return join(packageRoot, 'specs', `${name}.yaml`);
}

export function upstreamSpecFile(name: BundledSpecName): string {
  return join(packageRoot, 'specs', 'upstream', `${name}.yaml`);
}

export function fromRoot(...parts: string[]): string {
  return resolve(packageRoot, ...parts);
}
