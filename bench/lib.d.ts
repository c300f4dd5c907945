// Types for bench/lib.js (plain ESM, run by node without a build step), so that TypeScript tests can import it.
import type { ChildProcess } from 'node:child_process';
import type { Agent } from 'node:http';

export function percentileSorted(sorted: ArrayLike<number>, p: number): number;
export function median(values: number[]): number;
export function spreadPercent(values: number[]): number;
export function ratio(a: number, b: number): number;
export function geomean(values: number[]): number;
export function round(value: number, digits?: number): number | null;
export const procAvailable: boolean;
export function processTree(pid: number): number[];
export function cpuSeconds(pids: number[]): number;
export function machineCpuSeconds(): { busy: number; steal: number };
export function ownTreeCpuSeconds(): number;
export function liveChildren(): ChildProcess[];
export function startServer(options: {
  args: string[];
  cwd: string;
  ready: RegExp;
  timeoutMs: number;
  env?: Record<string, string>;
}): Promise<{ child: ChildProcess; url: string; readyLineMs: number; started: number; tail: () => string }>;
export function stopChild(child: ChildProcess, graceMs?: number): Promise<void>;
export function stopAllChildren(graceMs?: number): Promise<unknown[]>;
export function killAllChildrenNow(): void;
export function runToExit(options: {
  args: string[];
  cwd: string;
  timeoutMs: number;
  env?: Record<string, string>;
}): Promise<{ wallMs: number; code: number | null; signal: NodeJS.Signals | null; stdout: string; stderr: string }>;
export function request(
  url: string,
  options?: {
    method?: string;
    headers?: Record<string, string>;
    body?: string;
    agent?: Agent | false;
    timeoutMs?: number;
  },
): Promise<{ status: number; headers: Record<string, string | string[] | undefined>; body: string }>;
export interface LoadResult {
  requests: number;
  elapsedMs: number;
  rps: number;
  p50Ms: number;
  p99Ms: number;
  maxMs: number;
  unexpected: number;
  errors: number;
  lastError: string | undefined;
}
export function runLoad(options: {
  url: string;
  method: string;
  headers: Record<string, string>;
  body?: string;
  expect: number;
  agent: Agent;
  concurrency: number;
  durationMs: number;
}): Promise<LoadResult>;
export function keepAliveAgent(concurrency: number): Agent;
