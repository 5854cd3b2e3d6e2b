/**
 * A real sender into queue mode: Debian's Prometheus 2.42 scrapes itself under three jobs, a
 * relabelling gives each job its tenant, and it remote-writes (retrying 429, as it may be told
 * to) into the drop-in. Two tenants land in real Prometheus 2.42 receivers; the third tenant's
 * upstream answers 429 forever. In queue mode the two healthy tenants' scrapes keep arriving. The
 * same setup without `queue` is run for the same time and its figures printed as the contrast:
 * there the sender gets the 429 for every request that carries the stuck tenant, and retries it.
 */
import { request as httpRequest, createServer, type Server } from 'node:http';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { eventually } from '../helpers/eventually.js';
import { freePort, startPeer, tempDir, waitForHttp, type RunningPeer } from '../helpers/peers.js';
import { startTenantReceivers, type TenantReceivers } from '../helpers/prometheus-receivers.js';
import { queueBlock } from '../helpers/queue-mode.js';
import { decodeBody } from '../helpers/series.js';
import { startProxyCli, type TenantwireProcess } from '../helpers/tenantwire-process.js';

const tmp = tempDir('e2e-queue-prom');
const HEALTHY = ['team-a', 'team-b'];
const STUCK = 'team-c';
let receivers: TenantReceivers | undefined;
const stopAfter: Array<() => Promise<unknown>> = [];

beforeAll(async () => {
  receivers = await startTenantReceivers(HEALTHY, tmp.path);
}, 90_000);
afterEach(async () => {
  for (const stop of stopAfter.splice(0).reverse()) await stop();
}, 60_000);
afterAll(async () => {
  await receivers?.stop();
  tmp.remove();
}, 60_000);

interface Front {
  readonly url: string;
  /** Distinct `up` timestamps per tenant in requests the receivers accepted. */
  readonly scrapes: Map<string, Set<number>>;
  refused: number;
}

/**
 * In front of the receivers: 429 + Retry-After for the stuck tenant, the rest forwarded to the
 * receivers' router; counts the scrapes (timestamps of `up`) each healthy tenant got.
 */
async function startFront(target: string): Promise<Front> {
  const front: Front = { url: '', scrapes: new Map(), refused: 0 };
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const tenant = String(req.headers['x-scope-orgid'] ?? '');
      if (tenant === STUCK) {
        front.refused++;
        res.writeHead(429, { 'retry-after': '1' }).end('rate limited');
        return;
      }
      const body = Buffer.concat(chunks);
      const up = httpRequest(target, { method: 'POST', headers: req.headers }, (ur) => {
        const ok = (ur.statusCode ?? 500) < 300;
        if (ok) {
          let set = front.scrapes.get(tenant);
          if (set === undefined) front.scrapes.set(tenant, (set = new Set()));
          for (const s of decodeBody(body).timeseries) {
            if (s.labels.some((l) => l.name === '__name__' && l.value === 'up'))
              for (const x of s.samples) set.add(x.timestamp);
          }
        }
        res.writeHead(ur.statusCode ?? 502, ur.headers);
        ur.pipe(res);
      });
      up.on('error', (e) => res.writeHead(502).end(String(e)));
      up.end(body);
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
  stopAfter.push(async () => {
    server.closeAllConnections();
    await new Promise<void>((r) => server.close(() => r()));
  });
  return Object.assign(front, { url: `http://127.0.0.1:${(server.address() as { port: number }).port}/push` });
}

async function startSender(twPort: number, name: string): Promise<RunningPeer> {
  const port = await freePort();
  const cfg = join(tmp.path, `sender-${name}.yml`);
  const job = (tenant: string) =>
    [
      `  - job_name: job-${tenant}`,
      '    scrape_interval: 1s',
      `    static_configs: [{ targets: ['127.0.0.1:${port}'] }]`,
      '    relabel_configs:',
      `      - { target_label: tenant, replacement: ${tenant} }`,
    ].join('\n');
  writeFileSync(
    cfg,
    [
      'global: { scrape_interval: 1s }',
      'scrape_configs:',
      ...[...HEALTHY, STUCK].map(job),
      'remote_write:',
      `  - url: http://127.0.0.1:${twPort}/push`,
      '    queue_config: { batch_send_deadline: 1s, max_samples_per_send: 500, min_backoff: 100ms, max_backoff: 2s, retry_on_http_429: true }',
      '    metadata_config: { send: false }',
      '',
    ].join('\n'),
  );
  const p = startPeer('prometheus', [
    `--config.file=${cfg}`,
    `--storage.tsdb.path=${join(tmp.path, `sender-${name}-data`)}`,
    `--web.listen-address=127.0.0.1:${port}`,
  ]);
  stopAfter.push(() => p.stop());
  await waitForHttp(`http://127.0.0.1:${port}/-/ready`, p);
  return p;
}

async function startDropIn(front: Front, queued: boolean): Promise<{ tw: TenantwireProcess; port: number }> {
  const { tw, port } = await startProxyCli(tmp.path, front.url, [
    'timeout: 5s',
    'tenant:',
    '  label: tenant',
    '  label_remove: true',
    ...(queued ? queueBlock(join(tmp.path, 'queue'), ['batch_send_deadline: 500ms', 'max_backoff: 2s']) : []),
  ]);
  stopAfter.push(() => tw.stop(20_000));
  return { tw, port };
}

/** Fewest scrapes any healthy tenant got. */
const fewest = (f: Front) => Math.min(...HEALTHY.map((t) => f.scrapes.get(t)?.size ?? 0));

const SCRAPES = 12;
let queueModeMs = 0;

describe('Prometheus 2.42 -> tenantwire -> receivers, one tenant answering 429 forever', () => {
  it('queue mode: the healthy tenants keep receiving every scrape', async () => {
    const front = await startFront(receivers!.url);
    const { port } = await startDropIn(front, true);
    await startSender(port, 'queue');
    const t0 = Date.now();
    await eventually(() => fewest(front) >= SCRAPES, {
      timeoutMs: 60_000,
      intervalMs: 250,
      message: `both healthy tenants to receive ${SCRAPES} scrapes`,
    });
    queueModeMs = Date.now() - t0;
    // The scrapes are in the real receivers too, the tenant label removed.
    for (const t of HEALTHY) {
      const got = await receivers!.query(t, `count_over_time(up{job="job-${t}"}[10m])`);
      expect(Number(got[0]?.value[1] ?? 0), t).toBeGreaterThanOrEqual(SCRAPES);
      expect(got[0]?.metric).not.toHaveProperty('tenant');
    }
    expect(front.refused).toBeGreaterThan(0);
    console.log(
      `Prometheus into queue mode: ${SCRAPES} scrapes for each healthy tenant within ${queueModeMs} ms ` +
        `(${HEALTHY.map((t) => `${t}: ${front.scrapes.get(t)?.size}`).join(', ')}); ${front.refused} ` +
        `requests of ${STUCK} answered 429`,
    );
  }, 120_000);

  it('without queue (contrast, same time window): figures printed', async () => {
    const front = await startFront(receivers!.url);
    const { port } = await startDropIn(front, false);
    await startSender(port, 'sync');
    // Measurement only, not ordering: the window the queue mode needed for its scrapes (15 s when
    // this test runs alone), from the sender being ready, as there.
    const windowMs = queueModeMs > 0 ? queueModeMs : 15_000;
    const routedBefore = { ...receivers!.routed };
    await new Promise((r) => setTimeout(r, windowMs));
    const routed = HEALTHY.map((t) => `${t}: ${(receivers!.routed[t] ?? 0) - (routedBefore[t] ?? 0)}`).join(', ');
    console.log(
      `Prometheus into the drop-in without queue, same ${windowMs} ms: ` +
        `${HEALTHY.map((t) => `${t}: ${front.scrapes.get(t)?.size ?? 0}`).join(', ')} scrapes; ` +
        `${front.refused} requests of ${STUCK} answered 429; requests forwarded (retries included): ${routed}`,
    );
    expect(front.refused).toBeGreaterThan(0);
  }, 120_000);
});
