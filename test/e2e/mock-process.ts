import { type ChildProcessWithoutNullStreams, spawn } from 'node:child_process';
import { join } from 'node:path';
import { packageRoot } from '../../core/paths.js';

/** The built CLI as a long-running process: output as it comes, a way to wait for a line, and a stop. */
export interface RunningCli {
  child: ChildProcessWithoutNullStreams;
  output(): string;
  waitFor(pattern: RegExp, timeoutMs: number): Promise<RegExpExecArray>;
  exit: Promise<number | null>;
}

export function startCli(args: string[]): RunningCli {
  const child = spawn(process.execPath, [join(packageRoot, 'bin', 'mcp-contracts.js'), ...args], {
    cwd: packageRoot,
    env: { ...process.env, NO_COLOR: '1' },
  });
  let text = '';
  const listeners = new Set<() => void>();
  const collect = (d: Buffer) => {
    text += d.toString();
    for (const l of listeners) l();
  };
  child.stdout.on('data', collect);
  child.stderr.on('data', collect);
  const exit = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  return {
    child,
    exit,
    output: () => text,
    waitFor: (pattern, timeoutMs) =>
      new Promise((resolve, reject) => {
        const check = () => {
          const match = pattern.exec(text);
          if (!match) return;
          listeners.delete(check);
          clearTimeout(timer);
          resolve(match);
        };
        const timer = setTimeout(() => {
          listeners.delete(check);
          reject(new Error(`timed out waiting for ${pattern}; output so far:\n${text}`));
        }, timeoutMs);
        listeners.add(check);
        check();
        exit.then(() => check());
      }),
  };
}
