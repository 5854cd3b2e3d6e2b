/**
 * Real Prometheus 2.42 remote-write receivers, one per tenant, behind a small router that picks
 * the receiver by the tenant header: the shape of a multi-tenant Cortex, with real storage.
 */
import { request as httpRequest, createServer, type Server } from 'node:http';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { freePort, startPeer, waitForHttp, type RunningPeer } from './peers.js';

export interface TenantReceivers {
  /** The router's push URL. */
  readonly url: string;
  /** Requests routed per tenant. */
  readonly routed: Record<string, number>;
  query(tenant: string, promql: string): Promise<Array<{ metric: Record<string, string>; value: [number, string] }>>;
  stop(): Promise<void>;
}

export async function startTenantReceivers(
  tenants: readonly string[],
  dir: string,
  header = 'x-scope-orgid',
  /** More flags for each receiver, e.g. `--enable-feature=native-histograms`. */
  extraArgs: readonly string[] = [],
): Promise<TenantReceivers> {
  const peers: RunningPeer[] = [];
  const ports: Record<string, number> = {};
  const routed: Record<string, number> = {};
  try {
    for (const t of tenants) {
      const port = await freePort();
      const cfg = join(dir, `recv-${t}.yml`);
      writeFileSync(cfg, 'global: { scrape_interval: 1h }\n');
      const p = startPeer('prometheus', [
        `--config.file=${cfg}`,
        `--storage.tsdb.path=${join(dir, `recv-${t}-data`)}`,
        `--web.listen-address=127.0.0.1:${port}`,
        '--web.enable-remote-write-receiver',
        ...extraArgs,
      ]);
      peers.push(p);
      ports[t] = port;
    }
    for (const t of tenants) await waitForHttp(`http://127.0.0.1:${ports[t]}/-/ready`, peers[tenants.indexOf(t)]);
  } catch (e) {
    for (const p of peers) await p.stop();
    throw e;
  }
  const router: Server = createServer((req, res) => {
    const tenant = String(req.headers[header] ?? '');
    const port = ports[tenant];
    if (port === undefined) {
      req.resume();
      res.writeHead(404).end(`unknown tenant ${JSON.stringify(tenant)}`);
      return;
    }
    routed[tenant] = (routed[tenant] ?? 0) + 1;
    const up = httpRequest(
      { host: '127.0.0.1', port, path: '/api/v1/write', method: 'POST', headers: req.headers },
      (ur) => {
        res.writeHead(ur.statusCode ?? 502, ur.headers);
        ur.pipe(res);
      },
    );
    up.on('error', (e) => res.writeHead(502).end(String(e)));
    req.pipe(up);
  });
  await new Promise<void>((r) => router.listen(0, '127.0.0.1', () => r()));
  const routerPort = (router.address() as { port: number }).port;
  return {
    url: `http://127.0.0.1:${routerPort}/push`,
    routed,
    async query(tenant, promql) {
      const r = await fetch(`http://127.0.0.1:${ports[tenant]}/api/v1/query?query=${encodeURIComponent(promql)}`);
      const j = (await r.json()) as {
        data: { result: Array<{ metric: Record<string, string>; value: [number, string] }> };
      };
      return j.data.result;
    },
    async stop() {
      router.closeAllConnections();
      await new Promise<void>((r) => router.close(() => r()));
      for (const p of peers) await p.stop();
    },
  };
}
