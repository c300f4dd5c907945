import { createRequire } from 'node:module';
import { ToolError } from './errors.js';

/**
 * Packages that only one command needs are optional peer dependencies (package.json `peerDependenciesMeta`):
 * Prism for `mock --engine prism`, openapi-typescript (and TypeScript with it) for `generate`. They are loaded
 * where that command needs them and nowhere else; when absent, the command stops with one line that names the
 * install command, instead of a module-not-found stack.
 */
export interface OptionalPackage {
  /** The package to resolve or import. */
  name: string;
  /** What needs it, for the message: "mock --engine prism". */
  neededBy: string;
  /** Every package to install, with versions: "@stoplight/prism-cli@5". */
  install: string[];
}

export const prismPackage: OptionalPackage = {
  name: '@stoplight/prism-cli',
  neededBy: 'mock --engine prism',
  install: ['@stoplight/prism-cli@^5.14.2'],
};

export const openapiTypescriptPackage: OptionalPackage = {
  name: 'openapi-typescript',
  neededBy: 'generate (and the generated-files step of drift)',
  install: ['openapi-typescript@^7.13.0', 'typescript@^5'],
};

export function missingDependency(pkg: OptionalPackage): ToolError {
  return new ToolError(
    'MCPC_DEPENDENCY',
    `${pkg.neededBy} needs ${pkg.name}, an optional dependency that is not installed`,
    `install it beside mcp-contracts: npm install --save-dev ${pkg.install.join(' ')}`,
  );
}

/** A module-not-found error for the package or one it needs in turn (openapi-typescript without TypeScript). */
const notFound = (error: unknown, pkg: OptionalPackage): boolean => {
  const code = (error as { code?: string }).code;
  const message = String((error as Error).message);
  const names = [pkg.name, ...pkg.install.map((i) => i.replace(/(.)@.*$/, '$1'))];
  return (
    (code === 'MODULE_NOT_FOUND' || code === 'ERR_MODULE_NOT_FOUND') && names.some((n) => message.includes(`'${n}`))
  );
};

/** The file `require.resolve` finds for `specifier` (a path inside the package), or the coded error. */
export function resolveOptional(pkg: OptionalPackage, specifier: string, from: string): string {
  try {
    return createRequire(from).resolve(specifier);
  } catch (error) {
    if (notFound(error, pkg)) throw missingDependency(pkg);
    throw error;
  }
}

/** `import()` of the package (its ESM entry), or the coded error. */
export async function importOptional<T>(pkg: OptionalPackage, load: () => Promise<T>): Promise<T> {
  try {
    return await load();
  } catch (error) {
    if (notFound(error, pkg)) throw missingDependency(pkg);
    throw error;
  }
}
