import { describe, expect, it } from 'vitest';
import { importOptional, type OptionalPackage, resolveOptional } from './optional-dependency.js';

const absent: OptionalPackage = {
  name: 'mcpc-no-such-package',
  neededBy: 'a test command',
  install: ['mcpc-no-such-package@^1', 'mcpc-no-such-peer@^2'],
};
const present: OptionalPackage = { name: 'yaml', neededBy: 'a test command', install: ['yaml@^2'] };

describe('optional peer dependencies', () => {
  it('an absent package is one coded line naming the install command', async () => {
    expect(() => resolveOptional(absent, 'mcpc-no-such-package/package.json', import.meta.url)).toThrow(
      /a test command needs mcpc-no-such-package, an optional dependency that is not installed/,
    );
    // @ts-expect-error: the package does not exist, which is the point
    await expect(importOptional(absent, () => import('mcpc-no-such-package'))).rejects.toMatchObject({
      code: 'MCPC_DEPENDENCY',
      hint: 'install it beside mcp-contracts: npm install --save-dev mcpc-no-such-package@^1 mcpc-no-such-peer@^2',
    });
  });

  it('a missing package it needs in turn counts as missing too', async () => {
    // @ts-expect-error: as above
    await expect(importOptional(absent, () => import('mcpc-no-such-peer'))).rejects.toMatchObject({
      code: 'MCPC_DEPENDENCY',
    });
  });

  it('a present package loads; an error of its own is not mistaken for absence', async () => {
    expect(resolveOptional(present, 'yaml/package.json', import.meta.url)).toMatch(/yaml\/package\.json$/);
    expect(typeof (await importOptional(present, () => import('yaml'))).parse).toBe('function');
    const own = Object.assign(new Error("Cannot find module './lib/missing.js'"), { code: 'MODULE_NOT_FOUND' });
    await expect(
      importOptional(present, () => {
        throw own;
      }),
    ).rejects.toBe(own);
  });
});
