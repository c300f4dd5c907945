import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { packageRoot } from '../../core/paths.js';
import { parseSse } from '../../core/sse.js';
import { runCli } from './cli.js';
import { startCli } from './mock-process.js';

const hasCurl = (() => {
  try {
    execFileSync('curl', ['--version'], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
})();

const dir = mkdtempSync(join(tmpdir(), 'mcpc-mock-e2e-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/**
 * What a JSON-RPC answer carries, from `curl -i` output (headers, blank line, body): `result`, `isError` (a tool
 * result with isError: true), or `error <code>`; read from JSON or from the one event of a stream.
 */
function carriedBy(output: string): string {
  const [head = '', ...rest] = output.split('\r\n\r\n');
  const body = rest.join('\r\n\r\n');
  const json = /content-type: text\/event-stream/i.test(head) ? (parseSse(body).events[0]?.data ?? '') : body;
  const message = JSON.parse(json) as { result?: { isError?: boolean }; error?: { code: number } };
  if (message.error) return `error ${message.error.code}`;
  return message.result?.isError === true ? 'isError' : 'result';
}

describe('mcp-contracts mock (reference engine)', () => {
  it('starts on port 0, prints its URLs and curl lines, answers, logs, and exits 0 on SIGTERM', async () => {
    const started = Date.now();
    const cli = startCli(['mock', '--port', '0']);
    try {
      const [, url] = await cli.waitFor(/listening on (http:\/\/127\.0\.0\.1:\d+)/, 10_000);
      const first = await fetch(`${url}/v1/deepagents/mcp-servers/not-a-uuid`, {
        method: 'DELETE',
        headers: { 'X-Api-Key': 'demo-key' },
      });
      const answeredAfter = Date.now() - started;
      expect(first.status).toBe(400);
      expect(await first.json()).toMatchObject({ code: 'invalid_parameter', status: 400 });
      // A second on an idle machine; the bound is looser because CI runs test files in parallel.
      expect(answeredAfter).toBeLessThan(5_000);
      await cli.waitFor(/DELETE \/v1\/deepagents\/mcp-servers\/not-a-uuid 400 \S+ms/, 2_000);
      expect(cli.output()).toContain(`LangSmith  ${url}/v1/deepagents`);
      expect(cli.output()).toMatch(/Ready in \d+ ms/);
      // Bound to loopback (the default): no network warning (mock-network.test.ts has the wildcard's).
      expect(cli.output()).not.toContain('reachable from the network');
    } finally {
      cli.child.kill('SIGTERM');
    }
    expect(await cli.exit).toBe(0);
    expect(cli.output()).toMatch(/SIGTERM: stopping…\nstopped\n$/);
  });

  it.skipIf(!hasCurl)('prints curl lines that work verbatim', async () => {
    const cli = startCli(['mock', '--port', '0', '--quiet', '--self-check']);
    try {
      await cli.waitFor(/Ready in/, 10_000);
      const curls = cli
        .output()
        .split('\n')
        .map((l) => l.trim())
        .filter((l) => l.startsWith('curl '));
      expect(curls.length).toBeGreaterThanOrEqual(5);
      const statuses = curls.map((line) => {
        const out = execFileSync('sh', ['-c', `${line} -s -o /dev/null -w '%{http_code}'`], { encoding: 'utf8' });
        return Number(out.trim());
      });
      // initialize 200, tools/call 200, close 200, Smithery 200, LangSmith 204, state 200 (reset is POSTed last).
      expect(statuses).toEqual([200, 200, 200, 200, 204, 200, 200]);
      // The tool call answered a result, not a JSON-RPC error (which would be a 200 too).
      expect(carriedBy(execFileSync('sh', ['-c', `${curls[1]} -s`], { encoding: 'utf8' }))).toBe('result');
      // The same commands again: the closed session and deleted connection are gone; reset brought them back.
      const again = execFileSync('sh', ['-c', `${curls[2]} -s -o /dev/null -w '%{http_code}'`], { encoding: 'utf8' });
      expect(Number(again)).toBe(200);
      expect(cli.output()).not.toMatch(/ \d{3} \S+ms/);
    } finally {
      cli.child.kill('SIGINT');
    }
    expect(await cli.exit).toBe(0);
  });

  // About a hundred curl processes: a few seconds on an idle machine, more on a loaded one.
  it.skipIf(!hasCurl)(
    'answers every curl example of mock/README.md with the status it promises',
    { timeout: 90_000 },
    async () => {
      const readme = readFileSync(join(packageRoot, 'mock', 'README.md'), 'utf8');
      // `# → 200`, and for JSON-RPC answers also what the 200 carries: `result`, `isError`, or `error -32601`.
      const promised = [...readme.matchAll(/^(curl .*?)\s+# → (\d{3})(?: (result|isError|error -\d+))?$/gm)].map(
        (m) => ({
          line: m[1] ?? '',
          status: Number(m[2]),
          carries: m[3],
        }),
      );
      const loops = readme.split('\n').filter((l) => l.startsWith('for code in '));
      const flow = /<!-- e2e: session-flow -->\n```sh\n([\s\S]*?)```/.exec(readme)?.[1];
      expect(promised.length).toBeGreaterThanOrEqual(40);
      expect(promised.filter((p) => p.carries).length).toBeGreaterThanOrEqual(15);
      expect(loops).toHaveLength(3);
      expect(flow).toBeDefined();
      const cli = startCli(['mock', '--port', '0', '--quiet', '--self-check']);
      const bodyFile = join(dir, 'readme-body.txt');
      try {
        const [, url] = await cli.waitFor(/listening on (http:\/\/127\.0\.0\.1:\d+)/, 10_000);
        // The README says 4010 (the default port); this server is on a free one.
        const here = (line: string) => line.replaceAll('http://127.0.0.1:4010', url as string);
        const sh = (line: string) => execFileSync('sh', ['-c', line], { encoding: 'utf8' });
        const answered = promised.map(({ line, carries }) => {
          sh(`curl -s -o /dev/null -X POST ${url}/__mock/reset`);
          const status = Number(sh(`${here(line)} -s -o ${bodyFile} -w '%{http_code}'`));
          return carries ? `${status} ${carriedBy(readFileSync(bodyFile, 'utf8'))}` : status;
        });
        expect(answered).toEqual(promised.map((p) => (p.carries ? `${p.status} ${p.carries}` : p.status)));
        // The every-status block says it also works pasted top to bottom: one reset, then each line in order.
        const section = readme.slice(readme.indexOf('## Every operation × every documented status'));
        const block = /```sh\n([\s\S]*?)```/.exec(section)?.[1] ?? '';
        const inOrder = block.split('\n').filter((l) => l.startsWith('curl '));
        expect(inOrder.length).toBeGreaterThanOrEqual(20);
        sh(`curl -s -o /dev/null -X POST ${url}/__mock/reset`);
        const got = inOrder.map((line) =>
          Number(sh(`${here(line.replace(/\s+# .*$/, ''))} -s -o /dev/null -w '%{http_code}'`)),
        );
        expect(got).toEqual(inOrder.map((line) => Number(/# → (\d{3})/.exec(line)?.[1])));
        for (const loop of loops) {
          const results = sh(here(loop)).trim().split('\n');
          expect(results.length).toBeGreaterThanOrEqual(4);
          for (const result of results) expect(result).toMatch(/ (\d{3}) → \1$/);
        }
        // The session flow: its own session, a tool call, DELETE 200, then the closed session's 404 body.
        const output = sh(here(flow ?? ''));
        expect(output).toContain('"isError":false');
        expect(output).toMatch(
          /}\n200\n\{"statusCode":404,"message":"MCP session '[0-9a-f-]{36}' not found or already closed"/,
        );
      } finally {
        cli.child.kill('SIGTERM');
      }
      expect(await cli.exit).toBe(0);
      expect(cli.output()).not.toMatch(/^self-check:/m);
    },
  );

  it.skipIf(!hasCurl)('the README’s mock quick start and StackOne lines work pasted top to bottom', async () => {
    const readme = readFileSync(join(packageRoot, 'README.md'), 'utf8');
    const section = readme.slice(readme.indexOf('### `mock`'), readme.indexOf('### `conformance`'));
    const blocks = [...section.matchAll(/```sh\n([\s\S]*?)```/g)].map((m) => m[1] ?? '');
    const curls = (block: string) => block.split('\n').filter((l) => l.startsWith('curl '));
    const quickStart = curls(blocks.find((b) => b.includes("mcp-session-id: demo-session' ")) ?? '');
    const stackone = curls(blocks.find((b) => b.includes('__mock/reset')) ?? '');
    expect(quickStart.length).toBeGreaterThanOrEqual(5);
    expect(stackone.length).toBeGreaterThanOrEqual(9);
    const cli = startCli(['mock', '--port', '0', '--quiet', '--self-check']);
    try {
      const [, url] = await cli.waitFor(/listening on (http:\/\/127\.0\.0\.1:\d+)/, 10_000);
      const status = (line: string) =>
        Number(
          execFileSync(
            'sh',
            [
              '-c',
              `${line.replace(/\s+# .*$/, '').replaceAll('http://127.0.0.1:4010', url as string)} -s -o /dev/null -w '%{http_code}'`,
            ],
            { encoding: 'utf8' },
          ),
        );
      // No reset in between: the quick start's promises, then every StackOne line (the last closes the session).
      for (const line of quickStart) {
        const promised = /# → (\d{3})/.exec(line)?.[1];
        if (promised) expect(status(line), line).toBe(Number(promised));
      }
      expect(stackone.map(status)).toEqual(stackone.map(() => 200));
    } finally {
      cli.child.kill('SIGTERM');
    }
    expect(await cli.exit).toBe(0);
  });

  it('serves only --spec, and replaces the demo data with --fixtures', async () => {
    const fixtures = join(dir, 'team.json');
    writeFileSync(fixtures, JSON.stringify({ langsmith: { apiKeys: ['team-key'] } }));
    const cli = startCli(['mock', '--port', '0', '--spec', 'langsmith', '--fixtures', fixtures]);
    try {
      const [, url] = await cli.waitFor(/listening on (http:\/\/127\.0\.0\.1:\d+)/, 10_000);
      await cli.waitFor(/Ready in/, 5_000);
      expect(cli.output()).not.toContain('StackOne');
      expect(cli.output()).toContain("-H 'X-Api-Key: team-key'");
      const uuid = '3fa85f64-5717-4562-b3fc-2c963f66afa6';
      const withDemo = await fetch(`${url}/v1/deepagents/mcp-servers/${uuid}`, {
        method: 'DELETE',
        headers: { 'X-Api-Key': 'demo-key' },
      });
      expect(withDemo.status).toBe(403);
      const stackone = await fetch(`${url}/mcp`, { method: 'DELETE' });
      expect(stackone.status).toBe(404);
    } finally {
      cli.child.kill('SIGTERM');
    }
    expect(await cli.exit).toBe(0);
  });

  it.each([
    [
      'a port that is not a number',
      ['--port', 'abc'],
      /^MCPC_USAGE: --port must be a whole number from 0 to 65535, got 'abc'/,
    ],
    [
      'a spec that is neither bundled nor a file',
      ['--spec', 'petstore'],
      /^MCPC_USAGE: --spec 'petstore' is neither a bundled spec \(stackone, smithery, langsmith\) nor a file/,
    ],
    [
      'a missing fixtures file',
      ['--fixtures', 'nope.json'],
      /^MCPC_CONFIG: fixtures file nope\.json does not exist — /,
    ],
    ['a negative delay', ['--delay', '-5'], /^MCPC_USAGE: --delay must be a whole number/],
    [
      'a session cap of zero',
      ['--max-sessions', '0'],
      /^MCPC_USAGE: --max-sessions must be a whole number from 1 to 100000, got '0'/,
    ],
    [
      'an idle timeout that is not a number',
      ['--session-idle-timeout', '5m'],
      /^MCPC_USAGE: --session-idle-timeout must be a whole number from 0 to 604800, got '5m'/,
    ],
  ])('exits 2 with one coded line for %s', async (_name, args, message) => {
    const run = await runCli(['mock', '--port', '0', ...args]);
    expect(run.code).toBe(2);
    expect(run.stderr.trim().split('\n')).toHaveLength(1);
    expect(run.stderr).toMatch(message);
  });

  it('exits 2 naming the problem in an invalid fixtures file', async () => {
    const file = join(dir, 'bad.json');
    writeFileSync(
      file,
      JSON.stringify({ smithery: { apiKeys: ['k'], namespaces: [{ name: 'demo', owner: 'x', connections: [] }] } }),
    );
    const run = await runCli(['mock', '--port', '0', '--fixtures', file]);
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(
      /^MCPC_CONFIG: .*bad\.json: \/smithery\/namespaces\/0\/owner: 'x' is not one of smithery\.apiKeys — /,
    );
  });

  it('exits 2 when the port is taken', async () => {
    const cli = startCli(['mock', '--port', '0', '--quiet']);
    try {
      const [, port] = await cli.waitFor(/listening on http:\/\/127\.0\.0\.1:(\d+)/, 10_000);
      const run = await runCli(['mock', '--port', String(port)]);
      expect(run.code).toBe(2);
      expect(run.stderr).toMatch(new RegExp(`^MCPC_USAGE: port ${port} on 127\\.0\\.0\\.1 is already in use — `));
    } finally {
      cli.child.kill('SIGTERM');
    }
    await cli.exit;
  });
});
