/**
 * Per-tenant limits against the built CLI and a recording upstream: what each tenant's upstream
 * receives (by X-Scope-OrgID) and what the sender is answered, for requests that mix limited
 * and unlimited tenants, in the synchronous proxy and in queue mode (limits before queuing).
 */
import { join } from 'node:path';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { eventually } from '../helpers/eventually.js';
import { tempDir } from '../helpers/peers.js';
import { startQueueDropIn } from '../helpers/queue-mode.js';
import { decodeBody, remoteWriteBody, series } from '../helpers/series.js';
import { startProxyCli, type TenantwireProcess } from '../helpers/tenantwire-process.js';
import { useRecordingUpstream } from '../helpers/use-recording-upstream.js';

const upstream = useRecordingUpstream();
const tmp = tempDir('e2e-tenant-limits');
const running: TenantwireProcess[] = [];

afterAll(() => tmp.remove());
afterEach(async () => {
  for (const tw of running.splice(0)) await tw.stop(5_000);
  upstream().received.length = 0;
});

const LIMITS = [
  'metrics_include_tenant: true',
  'tenant:',
  '  label: __tenant__',
  'limits:',
  '  per_tenant:',
  '    ingestion_rate: 1',
  '    ingestion_burst: 10',
  '  overrides:',
  '    big: { ingestion_rate: 1000000 }',
  '    wide: { ingestion_rate: 0, max_series_per_request: 50 }',
  '    act: { ingestion_rate: 0, max_active_series: 30 }',
];

/** `n` series of `tenant`, ids `${tenant}-${from + i}`. */
const part = (tenant: string, n: number, from = 0) =>
  Array.from({ length: n }, (_, i) =>
    series({ __name__: 'limits_e2e', __tenant__: tenant, id: `${tenant}-${from + i}` }),
  );

const push = (port: number, ...parts: ReturnType<typeof part>[]) =>
  fetch(`http://127.0.0.1:${port}/api/v1/push`, {
    method: 'POST',
    headers: { 'content-type': 'application/x-protobuf', 'content-encoding': 'snappy' },
    body: remoteWriteBody(parts.flat()),
  });

/** Series ids the upstream received per tenant header. */
function receivedIds(): Map<string, string[]> {
  const by = new Map<string, string[]>();
  for (const r of upstream().received) {
    const ids = decodeBody(r.body).timeseries.map((s) => s.labels.find((l) => l.name === 'id')!.value);
    by.set(r.tenant, [...(by.get(r.tenant) ?? []), ...ids]);
  }
  return by;
}

const metricsText = async (port: number) => (await fetch(`http://127.0.0.1:${port}/metrics`)).text();

describe('per-tenant limits: the synchronous proxy', () => {
  it('rate: forwards the other tenants and answers 429 + Retry-After for the whole request', async () => {
    const { tw, port } = await startProxyCli(tmp.path, upstream().url, LIMITS);
    running.push(tw);
    expect((await push(port, part('slow', 10))).status).toBe(204); // the whole burst
    const r = await push(port, part('slow', 5, 10), part('big', 3));
    expect(r.status).toBe(429);
    const retryAfter = Number(r.headers.get('retry-after'));
    expect(retryAfter).toBeGreaterThanOrEqual(1);
    expect(retryAfter).toBeLessThanOrEqual(5);
    expect(await r.text()).toContain('tenant slow: 5 samples over ingestion_rate (1/s, burst 10)');
    const got = receivedIds();
    expect(got.get('big')).toEqual(['big-0', 'big-1', 'big-2']);
    expect(got.get('slow')).toHaveLength(10); // the first request only
    const m = await metricsText(port);
    expect(m).toContain('tenantwire_tenant_limited_samples_total{tenant="slow",limit="ingestion_rate"} 5');
    expect(m).toContain('tenantwire_requests_total{code="429"} 1');
    expect(m).not.toMatch(/tenantwire_samples_dropped_total\{reason="rate_limited"\}/);
  });

  it('series limits: 2xx with the others forwarded; 400 naming the limit when nothing is left', async () => {
    const { tw, port } = await startProxyCli(tmp.path, upstream().url, LIMITS);
    running.push(tw);
    expect((await push(port, part('wide', 51), part('big', 2))).status).toBe(204);
    expect(receivedIds().get('wide')).toBeUndefined();
    expect(receivedIds().get('big')).toEqual(['big-0', 'big-1']);
    const alone = await push(port, part('wide', 51));
    expect(alone.status).toBe(400);
    expect(await alone.text()).toContain('51 series, more than max_series_per_request (50)');

    expect((await push(port, part('act', 25))).status).toBe(204);
    // ids 20..39: 5 known, 5 new fit, 10 are cut; the sender is answered 2xx as big and the rest of act went out.
    expect((await push(port, part('act', 20, 20), part('big', 1, 10))).status).toBe(204);
    expect(receivedIds().get('act')).toHaveLength(25 + 10);
    const full = await push(port, part('act', 1, 100));
    expect(full.status).toBe(400);
    expect(await full.text()).toContain('new series past max_active_series (30 within 1200s)');
    // Known series still pass.
    expect((await push(port, part('act', 30))).status).toBe(204);
    const m = await metricsText(port);
    expect(m).toContain('tenantwire_samples_dropped_total{reason="max_series_per_request"} 51\n');
    expect(m).toContain('tenantwire_samples_dropped_total{reason="max_active_series"} 10\n');
    expect(m).toContain('tenantwire_tenant_limited_total{tenant="act",limit="max_active_series"} 2');
    expect(m).toMatch(/tenantwire_active_series_tracked 30\b/);
  });
});

describe('per-tenant limits: queue mode', () => {
  it('applies the limits before queuing: the held-back tenant is never queued nor delivered', async () => {
    const q = await startQueueDropIn(tmp.path, upstream().url, join(tmp.path, 'queue'), [
      'workers: 1',
      'log_level: warn',
      ...LIMITS,
    ]);
    running.push(q.tw);
    expect((await push(q.port, part('slow', 10))).status).toBe(204);
    const r = await push(q.port, part('slow', 5, 10), part('big', 3));
    expect(r.status).toBe(429);
    expect(Number(r.headers.get('retry-after'))).toBeGreaterThanOrEqual(1);
    const alone = await push(q.port, part('wide', 51));
    expect(alone.status).toBe(400);
    await eventually(() => receivedIds().get('big')?.length === 3, { message: 'big delivered from the queue' });
    // Everything queued has been delivered once big's part is: slow has only its first request.
    await eventually(() => receivedIds().get('slow')?.length === 10, { message: 'slow first request delivered' });
    expect(receivedIds().get('wide')).toBeUndefined();
    expect(receivedIds().get('slow')).toEqual(Array.from({ length: 10 }, (_, i) => `slow-${i}`));
  });
});
