/**
 * The pipeline end to end with real peers: prometheus.receive_http (on 127.0.0.1:0) into
 * prometheus.remote_write with a tenant block, delivering to one real Prometheus 2.42 receiver
 * per tenant behind a router keyed by X-Scope-OrgID. The tenant is split before serialisation.
 */
import { Registry } from 'prom-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createPipelineHost } from '../../src/cli/serve-pipeline.js';
import type { Host } from '../../src/component/host.js';
import { createSilentLogger } from '../../src/logger.js';
import { eventually } from '../helpers/eventually.js';
import { tempDir } from '../helpers/peers.js';
import { startTenantReceivers, type TenantReceivers } from '../helpers/prometheus-receivers.js';
import { remoteWriteBody, sample, series } from '../helpers/series.js';

const tmp = tempDir('e2e-pipe');
let receivers: TenantReceivers | undefined;
let host: Host | undefined;
const controller = new AbortController();
let running: Promise<void> | undefined;

beforeAll(async () => {
  receivers = await startTenantReceivers(['red', 'blue', 'anonymous'], tmp.path);
  host = createPipelineHost(createSilentLogger(), new Registry());
  await host.reload(`
prometheus.receive_http:
  ingest:
    listen: 127.0.0.1:0
    forward_to: [prometheus.remote_write.cortex.receiver]
prometheus.remote_write:
  cortex:
    endpoint:
      - url: ${receivers.url}
        tenant: { label_list: [team, namespace], default: anonymous, label_remove: true }
    queue_config: { max_samples_per_send: 100, batch_send_deadline: 200ms }
`);
  running = host.run(controller.signal);
  const h = host;
  await eventually(() => Boolean(h.exports('prometheus.receive_http.ingest')?.address), {
    timeoutMs: 10_000,
    message: 'prometheus.receive_http.ingest to listen',
  });
}, 60_000);

afterAll(async () => {
  controller.abort();
  await running;
  await receivers?.stop();
  tmp.remove();
}, 60_000);

const ts = (labels: Record<string, string>, value: number, t: number) => series(labels, [sample(value, t)]);

describe('receive_http -> remote_write -> Prometheus 2.42 per tenant', () => {
  it('routes every series to its tenant with the tenant label removed', async () => {
    const address = host!.exports('prometheus.receive_http.ingest')?.address as string;
    expect(address).toMatch(/^127\.0\.0\.1:\d+$/);
    const now = Date.now();
    const body = remoteWriteBody([
      ts({ __name__: 'pipe_metric', team: 'red', namespace: 'ns1', i: '1' }, 1, now),
      ts({ __name__: 'pipe_metric', namespace: 'blue', i: '2' }, 2, now),
      ts({ __name__: 'pipe_metric', i: '3' }, 3, now),
    ]);
    const r = await fetch(`http://${address}/api/v1/write`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-protobuf', 'content-encoding': 'snappy' },
      body,
    });
    expect(r.status).toBe(204);

    const [red, blue, anon] = await eventually(
      async () => {
        const q = (t: string) => receivers!.query(t, 'pipe_metric');
        const got = await Promise.all([q('red'), q('blue'), q('anonymous')]);
        expect(
          got.map((g) => g.length),
          'series found for red, blue, anonymous',
        ).not.toContain(0);
        return got;
      },
      { timeoutMs: 20_000, intervalMs: 250, message: 'every tenant receiver to hold pipe_metric' },
    );
    expect(red.map((s) => s.metric)).toEqual([{ __name__: 'pipe_metric', namespace: 'ns1', i: '1' }]);
    expect(blue.map((s) => s.metric)).toEqual([{ __name__: 'pipe_metric', i: '2' }]);
    expect(anon.map((s) => s.metric)).toEqual([{ __name__: 'pipe_metric', i: '3' }]);
    expect(red[0]?.value[1]).toBe('1');
  }, 40_000);

  it('answers 400 for a corrupt body and keeps running', async () => {
    const address = host!.exports('prometheus.receive_http.ingest')?.address as string;
    const r = await fetch(`http://${address}/api/v1/write`, { method: 'POST', body: new Uint8Array([0x10, 0xff]) });
    expect(r.status).toBe(400);
    expect(await r.text()).toMatch(/snappy/i);
  });
});
