import http from 'node:http';
import type { AddressInfo } from 'node:net';

/**
 * A deployment whose connection drops (no response at all) for requests with a wrong LangSmith key, and that
 * otherwise forwards to `upstream`: in front of a conformant deployment, some cases error and none fails — the
 * `errored` verdict.
 */
export async function startDroppingProxy(upstream: string): Promise<{ url: string; close(): Promise<void> }> {
  const sockets = new Set<import('node:net').Socket>();
  const proxy = http.createServer((req, res) => {
    const key = req.headers['x-api-key'];
    if (key !== undefined && key !== 'demo-key') {
      req.socket.destroy();
      return;
    }
    const forward = http.request(`${upstream}${req.url}`, { method: req.method, headers: req.headers }, (up) => {
      res.writeHead(up.statusCode ?? 502, up.headers);
      up.pipe(res);
    });
    forward.on('error', () => res.destroy());
    req.pipe(forward);
  });
  proxy.on('connection', (s) => sockets.add(s));
  await new Promise<void>((resolve) => proxy.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(proxy.address() as AddressInfo).port}`,
    close: () =>
      new Promise((resolve) => {
        for (const s of sockets) s.destroy();
        proxy.close(() => resolve());
      }),
  };
}
