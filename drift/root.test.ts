import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { packageRoot } from '../core/paths.js';
import { findProjectRoot } from './root.js';

const outside = mkdtempSync(join(tmpdir(), 'mcpc-root-'));
afterAll(() => rmSync(outside, { recursive: true, force: true }));

describe('findProjectRoot', () => {
  it('finds the project from itself and from a folder inside it', () => {
    expect(findProjectRoot(packageRoot)).toBe(packageRoot);
    expect(findProjectRoot(join(packageRoot, 'specs', 'upstream'))).toBe(packageRoot);
  });

  it('refuses a folder with no specs/ above it, with a usage error', () => {
    mkdirSync(join(outside, 'specs'));
    expect(() => findProjectRoot(outside)).toThrow(/no specs\/ folder with stackone.yaml/);
    try {
      findProjectRoot(outside);
    } catch (error) {
      expect(error).toMatchObject({ code: 'MCPC_USAGE' });
    }
  });
});
