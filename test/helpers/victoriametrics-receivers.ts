/**
 * Real VictoriaMetrics 1.79 single-node receivers, one per tenant, behind a small router that
 * picks the receiver by the tenant header: a multi-tenant store with real storage, the
 * VictoriaMetrics sibling of prometheus-receivers.ts. A request naming no known tenant is
 * answered 400 and remembered, so a test can assert that nothing was misrouted.
 */
import { request as httpRequest, createServer, type Server } from 'node:http';
import { join } from 'node:path';
import { freePort, startPeer, waitForHttp, type RunningPeer } from './peers.js';

export interface VmTenantReceivers {
  /** The router's push URL. */
  readonly url: string;
  /** Requests routed per tenant. */
  readonly routed: Record<string, number>;
  /** The tenant header of every request the router refused (absent header: ""). */
  readonly refused: string[];
  /** Every series of `tenant` matching `match` over the last hour, after a forced flush. */
  series(tenant: string, match: string): Promise<Array<Record<string, string>>>;
  /** The values of `label` in `tenant`'s storage over the last hour, after a forced flush. */
  labelValues(tenant: string, label: string): Promise<string[]>;
  stop(): Promise<void>;
}

export async function startVmTenantReceivers(
  tenants: readonly string[],
  dir: string,
  header = 'x-scope-orgid',
): Promise<VmTenantReceivers> {
  const peers = new Map<string, RunningPeer>();
  const ports: Record<string, number> = {};
  const routed: Record<string, number> = {};
  const refused: string[] = [];
  try {
    for (const t of tenants) {
      const port = await freePort();
      peers.set(
        t,
        startPeer('victoria-metrics', [
          `-httpListenAddr=127.0.0.1:${port}`,
          `-storageDataPath=${join(dir, `vm-${t}-data`)}`,
          // Fresh samples visible at once, and no cached answers from before they arrived.
          '-search.latencyOffset=0s',
          '-search.disableCache',
          '-loggerLevel=WARN',
        ]),
      );
      ports[t] = port;
    }
    for (const t of tenants) await waitForHttp(`http://127.0.0.1:${ports[t]}/health`, peers.get(t));
  } catch (e) {
    for (const p of peers.values()) await p.stop();
    throw e;
  }

  const router: Server = createServer((req, res) => {
    const tenant = String(req.headers[header] ?? '');
    const port = Object.hasOwn(ports, tenant) ? ports[tenant] : undefined;
    if (port === undefined) {
      refused.push(tenant);
      req.resume();
      res.writeHead(400).end(`unknown tenant ${JSON.stringify(tenant)}\n`);
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
    up.on('error', (e) => {
      if (!res.headersSent) res.writeHead(502);
      res.end(String(e));
    });
    req.pipe(up);
  });
  await new Promise<void>((r) => router.listen(0, '127.0.0.1', () => r()));
  const routerPort = (router.address() as { port: number }).port;

  /** GET a VictoriaMetrics JSON API path of `tenant`'s receiver, after flushing what it holds. */
  const api = async <T>(tenant: string, path: string, params: Record<string, string>): Promise<T> => {
    const base = `http://127.0.0.1:${ports[tenant]}`;
    // Recently ingested rows and index entries become searchable only once flushed.
    await fetch(`${base}/internal/force_flush`, { signal: AbortSignal.timeout(5_000) }).then((r) => r.arrayBuffer());
    const query = new URLSearchParams({ ...params, start: String(Math.floor(Date.now() / 1000) - 3600) });
    const r = await fetch(`${base}${path}?${query}`, { signal: AbortSignal.timeout(5_000) });
    const text = await r.text();
    if (!r.ok) throw new Error(`${path} on ${tenant}'s VictoriaMetrics answered ${r.status}: ${text}`);
    return (JSON.parse(text) as { data: T }).data;
  };

  return {
    url: `http://127.0.0.1:${routerPort}/push`,
    routed,
    refused,
    series: (tenant, match) => api<Array<Record<string, string>>>(tenant, '/api/v1/series', { 'match[]': match }),
    labelValues: (tenant, label) => api<string[]>(tenant, `/api/v1/label/${encodeURIComponent(label)}/values`, {}),
    async stop() {
      router.closeAllConnections();
      await new Promise<void>((r) => router.close(() => r()));
      for (const p of peers.values()) await p.stop();
    },
  };
}
