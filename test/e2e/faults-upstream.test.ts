/**
 * Upstream faults against the real drop-in, one tenant per fault on a raw node:http server the
 * test controls: each is answered within `timeout` plus a margin with the documented status,
 * the process stays healthy (a normal request succeeds afterwards, /metrics answers) and its
 * output has no warning (MaxListenersExceededWarning, unhandled rejections).
 */
import { createServer, type Server } from 'node:http';
import type { Socket } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freePort, tempDir } from '../helpers/peers.js';
import { push, seriesBody, startDropIn, type StartedDropIn } from '../helpers/fault-tools.js';

const TIMEOUT_MS = 2_000;
const MARGIN_MS = 1_500;
const tmp = tempDir('tenantwire-faults-upstream-');
let upstream: Server;
let upstreamUrl = '';
const sockets = new Set<Socket>();
let proxy: StartedDropIn;
let refusedProxy: StartedDropIn;

/** What the upstream does, by tenant. */
function fault(
  tenant: string,
  req: import('node:http').IncomingMessage,
  res: import('node:http').ServerResponse,
): void {
  switch (tenant) {
    case 'reset':
      res.writeHead(200, { 'content-length': '100' });
      res.write('partial');
      setTimeout(() => req.socket.destroy(), 20);
      return;
    case 'silent':
      return; // never answers; the proxy's timeout must
    case 'slow':
      setTimeout(() => res.writeHead(204).end(), TIMEOUT_MS / 2);
      return;
    case 'error500':
      res.writeHead(500, { 'content-type': 'text/plain' }).end('ingester down\n');
      return;
    case 'unavailable':
      res.writeHead(503, { 'retry-after': '7' }).end('busy\n');
      return;
    case 'limited':
      res.writeHead(429, { 'retry-after': '3' }).end('rate limited\n');
      return;
    case 'limited-bare':
      res.writeHead(429).end('rate limited\n');
      return;
    default:
      res.writeHead(204).end();
  }
}

beforeAll(async () => {
  upstream = createServer((req, res) => {
    req.resume();
    req.on('end', () => fault(String(req.headers['x-scope-orgid'] ?? ''), req, res));
  });
  upstream.on('connection', (s: Socket) => {
    sockets.add(s);
    s.once('close', () => sockets.delete(s));
  });
  await new Promise<void>((r) => upstream.listen(0, '127.0.0.1', () => r()));
  upstreamUrl = `http://127.0.0.1:${(upstream.address() as { port: number }).port}/api/v1/push`;
  const lines = ['workers: 1', `timeout: ${TIMEOUT_MS / 1000}s`, 'timeout_shutdown: 0s', 'log_level: warn'];
  proxy = await startDropIn(tmp.path, upstreamUrl, lines);
  refusedProxy = await startDropIn(tmp.path, `http://127.0.0.1:${await freePort()}/api/v1/push`, lines);
});
afterAll(async () => {
  expect(await proxy.tw.stop(5_000)).toBe(0);
  expect(await refusedProxy.tw.stop(5_000)).toBe(0);
  for (const s of sockets) s.destroy();
  await new Promise<void>((r) => upstream.close(() => r()));
  tmp.remove();
});

async function timed(
  url: string,
  tenant: string,
): Promise<{ status: number; headers: Record<string, string>; body: string; ms: number }> {
  const t0 = Date.now();
  const a = await push(url, seriesBody([`${tenant}-1`], tenant));
  return { ...a, ms: Date.now() - t0 };
}

describe('upstream faults', () => {
  it.each([
    ['reset', 'connection reset mid-answer', 500],
    ['silent', 'no answer (timeout)', 500],
  ])('%s (%s): 500 naming the tenant within timeout + margin', async (tenant, _what, status) => {
    const a = await timed(proxy.url, tenant);
    expect(a.status).toBe(status);
    expect(a.body).toMatch(new RegExp(`tenant ${tenant}:`));
    expect(a.ms).toBeLessThan(TIMEOUT_MS + MARGIN_MS);
  });

  it('connection refused: 500 naming the tenant, at once', async () => {
    const a = await timed(refusedProxy.url, 'anyone');
    expect(a.status).toBe(500);
    expect(a.body).toMatch(/tenant anyone: .*ECONNREFUSED/);
    expect(a.ms).toBeLessThan(TIMEOUT_MS + MARGIN_MS);
  });

  it('slow but in time: 204', async () => {
    const a = await timed(proxy.url, 'slow');
    expect(a.status).toBe(204);
    expect(a.ms).toBeLessThan(TIMEOUT_MS + MARGIN_MS);
  });

  it.each([
    ['error500', 500, undefined, /ingester down/],
    ['unavailable', 503, '7', /busy/],
    ['limited', 429, '3', /rate limited/],
    ['limited-bare', 429, undefined, /rate limited/],
  ])(
    '%s: the upstream status %i with its body behind the tenant name, Retry-After passed on when given',
    async (tenant, status, retryAfter, body) => {
      const a = await timed(proxy.url, tenant);
      expect(a.status).toBe(status);
      expect(a.headers['retry-after']).toBe(retryAfter);
      expect(a.body).toMatch(body);
      expect(a.body).toMatch(new RegExp(`^tenant ${tenant}: upstream answered ${status}: `));
      expect(a.ms).toBeLessThan(TIMEOUT_MS + MARGIN_MS);
    },
  );

  it('after every fault, twice over and at once: the proxy stays healthy and quiet', async () => {
    const tenants = ['reset', 'silent', 'error500', 'unavailable', 'limited', 'limited-bare', 'slow'];
    const answers = await Promise.all(Array.from({ length: 3 }, () => tenants.map((t) => timed(proxy.url, t))).flat());
    for (const a of answers) expect(a.ms).toBeLessThan(TIMEOUT_MS + MARGIN_MS);
    expect((await timed(proxy.url, 'healthy')).status).toBe(204);
    const metrics = await fetch(`${proxy.url}/metrics`);
    expect(metrics.status).toBe(200);
    expect(await metrics.text()).toMatch(/cortex_tenant_timeseries_request_errors/);
    for (const p of [proxy, refusedProxy]) {
      expect(p.tw.process.exitCode).toBeNull();
      expect(p.tw.output()).not.toMatch(/MaxListenersExceeded|Warning:|unhandled|UnhandledPromiseRejection/i);
    }
  });
});
