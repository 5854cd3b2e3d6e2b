import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { createRemoteWrite } from '../../src/component/remote-write/component.js';
import { freePort, startPeer, tempDir, waitForHttp, type RunningPeer } from '../helpers/peers.js';
import { STALE_NAN_BITS } from '../../src/wire/types.js';
import { sample, series } from '../helpers/series.js';

/**
 * prometheus.remote_write into a REAL Prometheus 2.42 receiver: the endpoint's tenant block
 * gives each tenant its own queue and X-Scope-OrgID (Prometheus ignores the header, so the
 * tenant label is kept to find each tenant's series by query).
 */
interface Receiver {
  peer: RunningPeer;
  url: string;
  dir: { remove(): void };
}

async function startPrometheus(): Promise<Receiver> {
  const dir = tempDir('prom');
  const port = await freePort();
  const config = join(dir.path, 'prometheus.yml');
  writeFileSync(config, 'global:\n  scrape_interval: 1m\n');
  const peer = startPeer('prometheus', [
    `--config.file=${config}`,
    `--storage.tsdb.path=${join(dir.path, 'data')}`,
    `--web.listen-address=127.0.0.1:${port}`,
    '--web.enable-remote-write-receiver',
  ]);
  const url = `http://127.0.0.1:${port}`;
  await waitForHttp(`${url}/-/ready`, peer, 30_000);
  return { peer, url, dir };
}

async function query(base: string, q: string): Promise<{ metric: Record<string, string>; value: [number, string] }[]> {
  const r = await fetch(`${base}/api/v1/query?query=${encodeURIComponent(q)}`, { signal: AbortSignal.timeout(5_000) });
  const json = (await r.json()) as { data: { result: { metric: Record<string, string>; value: [number, string] }[] } };
  return json.data.result;
}

let prom: Receiver;
beforeAll(async () => {
  prom = await startPrometheus();
});
afterAll(async () => {
  await prom?.peer.stop();
  prom?.dir.remove();
});

describe('prometheus.remote_write into Prometheus 2.42', () => {
  it('delivers two tenants (one queue each), stale markers included', async () => {
    const c = createRemoteWrite({
      endpoint: [{ url: `${prom.url}/api/v1/write`, name: 'e2e', tenant: { label: 'tenant' } }],
      queue_config: { batch_send_deadline: '100ms' },
    });
    const ac = new AbortController();
    const done = c.run(ac.signal);
    const now = Date.now();
    const mk = (t: string, v: number, ts: number) =>
      series({ __name__: 'tw_e2e', job: 'e2e', tenant: t }, [sample(v, ts)]);
    await c.exports.receiver.append([mk('team-a', 1, now - 3000), mk('team-b', 2, now - 3000)]);
    await c.exports.receiver.append([
      mk('team-a', 3, now - 2000),
      {
        ...mk('team-b', 0, now - 2000),
        samples: [{ timestamp: now - 2000, value: Number.NaN, valueBits: STALE_NAN_BITS }],
      },
    ]);
    ac.abort();
    await done;
    const tenants = (await query(prom.url, 'last_over_time(tw_e2e[5m])'))
      .map((r) => [r.metric.tenant, r.value[1]])
      .sort();
    expect(tenants).toEqual([
      ['team-a', '3'],
      ['team-b', '2'],
    ]);
    // The stale marker ended team-b's series: an instant query finds only team-a.
    const instant = await query(prom.url, 'tw_e2e');
    expect(instant.map((r) => r.metric.tenant)).toEqual(['team-a']);
    expect(c.health().message).toBe('stopped');
  }, 60_000);
});
