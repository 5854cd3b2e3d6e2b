/**
 * Overload against the real drop-in: 64 keep-alive connections (about ten times what
 * `concurrency: 6` in front of a 200 ms upstream takes) for 3 s. The excess is answered 503
 * with Retry-After, nothing else goes wrong, memory stays under a generous bound, and a normal
 * request succeeds right after the load stops. Behaviour only; bench/overload measures.
 */
import { createServer, type Server } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { driveOverload, overloadBody } from '../../bench/overload/drive.js';
import { treePeakRss } from '../../bench/lib/proc-stats.js';
import { tempDir } from '../helpers/peers.js';
import { push, seriesBody, startDropIn, type StartedDropIn } from '../helpers/fault-tools.js';

const tmp = tempDir('tenantwire-faults-overload-');
let upstream: Server;
let proxy: StartedDropIn;

beforeAll(async () => {
  upstream = createServer((req, res) => {
    req.resume();
    req.on('end', () => setTimeout(() => res.writeHead(204).end(), 200));
  });
  await new Promise<void>((r) => upstream.listen(0, '127.0.0.1', () => r()));
  const url = `http://127.0.0.1:${(upstream.address() as { port: number }).port}/api/v1/push`;
  proxy = await startDropIn(tmp.path, url, [
    'workers: 1',
    'concurrency: 6',
    'timeout: 5s',
    'timeout_shutdown: 0s',
    'log_level: warn',
  ]);
});
afterAll(async () => {
  expect(await proxy.tw.stop(10_000)).toBe(0);
  upstream.closeAllConnections();
  await new Promise<void>((r) => upstream.close(() => r()));
  tmp.remove();
});

describe('ten times the saturating load', () => {
  it('answers the excess 503 with Retry-After, stays bounded and recovers at once', async () => {
    const counts = await driveOverload(proxy.url, {
      connections: 64,
      durationMs: 3_000,
      body: overloadBody(500),
      recoveryLimitMs: 10_000,
    });
    expect(Object.keys(counts.byStatus).sort()).toEqual(['204', '503']);
    expect(counts.byStatus['503']).toBeGreaterThan(counts.byStatus['204'] ?? 0);
    expect(counts.retryAfter503).toBe(counts.byStatus['503']);
    expect(Number.isFinite(counts.recoveryMs)).toBe(true);
    // Generous: the bound in the README for these settings is far below it.
    expect(treePeakRss(proxy.tw.process.pid!)).toBeLessThan(400 * 2 ** 20);
    expect((await push(proxy.url, seriesBody(['after-overload']))).status).toBe(204);
    expect(proxy.tw.output()).not.toMatch(/MaxListenersExceeded|Warning:|unhandled/i);
  });
});
