import { execFileSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { startCli } from './mock-process.js';

/** Process ids of the direct children of `pid` (Linux `ps`). */
function childrenOf(pid: number): number[] {
  try {
    return execFileSync('ps', ['-o', 'pid=', '--ppid', String(pid)], { encoding: 'utf8' })
      .split('\n')
      .map((s) => Number(s.trim()))
      .filter((n) => n > 0);
  } catch {
    return [];
  }
}

const alive = (pid: number): boolean => {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
};

describe('mcp-contracts mock --engine prism', () => {
  it('serves the three specs through one port with Prism, and leaves no Prism behind', async () => {
    const cli = startCli(['mock', '--engine', 'prism', '--port', '0', '--seed', '7']);
    let prisms: number[] = [];
    try {
      const [, url] = await cli.waitFor(/listening on (http:\/\/127\.0\.0\.1:\d+)/, 45_000);
      prisms = childrenOf(cli.child.pid as number);
      expect(prisms).toHaveLength(3);
      // Each engine prints what it does: Prism keeps no state, so no seeded session and no "again: 404".
      await cli.waitFor(/Ready in/, 10_000);
      expect(cli.output()).toMatch(/Try:/);
      expect(cli.output()).not.toMatch(/again: 404|seeded session|__mock\/state/);
      expect(cli.output()).toMatch(/Prism: the spec's example, every time/);
      // Prism draws nothing: a --seed is said to be ignored rather than silently dropped.
      expect(cli.output()).toMatch(/--seed applies to --engine reference only .*; ignored/);
      // A foreign origin is refused before Prism (which would echo it with credentials) sees the request.
      const foreign = await fetch(`${url}/mcp`, { method: 'POST', headers: { Origin: 'http://evil.example.com' } });
      expect(foreign.status).toBe(403);
      expect(foreign.headers.get('access-control-allow-origin')).toBeNull();

      const stackone = await fetch(`${url}/mcp`, {
        method: 'POST',
        headers: { 'Content-Type': 'application/json', Authorization: `Basic ${btoa('demo-key:')}` },
        body: JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'ping' }),
      });
      expect(stackone.status).toBe(200);
      expect(await stackone.json()).toMatchObject({ jsonrpc: '2.0', result: { serverInfo: { name: 'stackone-mcp' } } });

      const smithery = await fetch(`${url}/connect/demo/conn-1`, {
        method: 'DELETE',
        headers: { Authorization: 'Bearer demo-key' },
      });
      expect(smithery.status).toBe(200);
      expect(await smithery.json()).toEqual({ success: true });

      const uuid = '3fa85f64-5717-4562-b3fc-2c963f66afa6';
      const langsmith = await fetch(`${url}/v1/deepagents/mcp-servers/${uuid}`, {
        method: 'DELETE',
        headers: { 'X-Api-Key': 'demo-key' },
      });
      expect(langsmith.status).toBe(204);
      const forced = await fetch(`${url}/v1/deepagents/mcp-servers/${uuid}`, {
        method: 'DELETE',
        headers: { 'X-Api-Key': 'demo-key', Prefer: 'code=404' },
      });
      expect(forced.status).toBe(404);
      expect(await forced.json()).toMatchObject({ code: 'agent_not_found' });
      const badId = await fetch(`${url}/v1/deepagents/mcp-servers/nope`, {
        method: 'DELETE',
        headers: { 'X-Api-Key': 'k' },
      });
      expect(badId.status).toBe(400);

      const unknown = await fetch(`${url}/nope`);
      expect(unknown.status).toBe(404);
      expect(await unknown.json()).toMatchObject({ error: 'not_found' });
      const state = await fetch(`${url}/__mock/state`);
      expect(state.status).toBe(501);
      await cli.waitFor(/DELETE \/connect\/demo\/conn-1 200 \d+ms \(prism\)/, 2_000);
    } finally {
      cli.child.kill('SIGTERM');
    }
    expect(await cli.exit).toBe(0);
    expect(prisms.filter(alive)).toEqual([]);
  }, 60_000);
});
