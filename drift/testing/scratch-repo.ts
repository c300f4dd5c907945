import { execFileSync } from 'node:child_process';
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { packageRoot } from '../../core/paths.js';

/**
 * A throwaway git repository holding a copy of this project's specs/ and generated/, for tests that show
 * drift catching a change made "in a scratch commit". Lives in drift/ (not test/) because both the unit
 * tests next to drift/ and the end-to-end tests use it.
 */
export interface ScratchRepo {
  root: string;
  git(...args: string[]): string;
  /** Replace `from` with `to` in a file; throws when `from` is not there, so a test cannot edit nothing. */
  replace(path: string, from: string, to: string): void;
  read(path: string): string;
  write(path: string, text: string): void;
  commit(message: string): void;
  remove(): void;
}

export function createScratchRepo(options: { git?: boolean } = {}): ScratchRepo {
  const root = mkdtempSync(join(tmpdir(), 'mcpc-drift-'));
  cpSync(join(packageRoot, 'specs'), join(root, 'specs'), { recursive: true });
  cpSync(join(packageRoot, 'generated'), join(root, 'generated'), { recursive: true });
  const git = (...args: string[]): string =>
    execFileSync(
      'git',
      ['-c', 'user.name=drift test', '-c', 'user.email=drift@test.invalid', '-c', 'commit.gpgsign=false', ...args],
      { cwd: root, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] },
    );
  const repo: ScratchRepo = {
    root,
    git,
    read: (path) => readFileSync(join(root, path), 'utf8'),
    write: (path, text) => writeFileSync(join(root, path), text),
    replace: (path, from, to) => {
      const text = repo.read(path);
      if (!text.includes(from)) throw new Error(`scratch repo: '${from.slice(0, 60)}…' not found in ${path}`);
      repo.write(path, text.replace(from, to));
    },
    commit: (message) => {
      git('add', '-A');
      git('commit', '-q', '-m', message);
    },
    remove: () => rmSync(root, { recursive: true, force: true }),
  };
  if (options.git !== false) {
    git('init', '-q', '-b', 'main');
    repo.commit('the specs as they are');
  }
  return repo;
}
