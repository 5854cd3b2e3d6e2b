import { describe, expect, it, vi } from 'vitest';
import { Registry } from 'prom-client';
import { createRemoteWrite } from '../../../src/component/remote-write/component.js';
import { BackPressureError } from '../../../src/component/receiver.js';
import { STALE_NAN_BITS } from '../../../src/wire/types.js';
import type { TransportResult } from '../../../src/transport/types.js';
import { ok, recordingTransport, sampleCount, series, status } from './recording-transport.js';
import { clock, startComponent, URL_, useFakeTime } from './fake-time.js';

useFakeTime();
const start = startComponent;

async function metric(registry: Registry, name: string): Promise<number> {
  const m = registry.getSingleMetric(name);
  if (!m) return 0;
  return (await m.get()).values.reduce((n, v) => n + v.value, 0);
}

describe('remote_write queue', () => {
  it('batches by max_samples_per_send at once, the rest at batch_send_deadline', async () => {
    const { transport, sent } = recordingTransport();
    const c = createRemoteWrite(
      { endpoint: [{ url: URL_ }], queue_config: { max_samples_per_send: 10, batch_send_deadline: '5s' } },
      { transport, clock },
    );
    start(c);
    await c.exports.receiver.append(Array.from({ length: 25 }, (_, i) => series('m', { i: String(i) }, [[1000, i]])));
    await vi.advanceTimersByTimeAsync(0);
    expect(sent.map((r) => r.decoded.timeseries.length)).toEqual([10, 10]);
    await vi.advanceTimersByTimeAsync(4_999);
    expect(sent).toHaveLength(2);
    await vi.advanceTimersByTimeAsync(1);
    expect(sent.map((r) => r.decoded.timeseries.length)).toEqual([10, 10, 5]);
  });

  it('sends the remote-write headers and keeps the stale marker bits', async () => {
    const { transport, sent } = recordingTransport();
    const c = createRemoteWrite(
      { endpoint: [{ url: URL_ }], queue_config: { batch_send_deadline: '1s' } },
      { transport, clock },
    );
    start(c);
    await c.exports.receiver.append([
      {
        ...series('up', {}, []),
        samples: [
          { timestamp: 5, value: Number.NaN, valueBits: STALE_NAN_BITS },
          { timestamp: 6, value: 1 },
        ],
      },
    ]);
    await vi.advanceTimersByTimeAsync(1000);
    expect(sent).toHaveLength(1);
    expect(sent[0]?.request.headers).toMatchObject({
      'Content-Encoding': 'snappy',
      'Content-Type': 'application/x-protobuf',
      'X-Prometheus-Remote-Write-Version': '0.1.0',
      'User-Agent': 'tenantwire/0.1.0',
    });
    const s = sent[0]?.decoded.timeseries[0]?.samples;
    expect(s?.[0]?.valueBits).toBe(STALE_NAN_BITS);
    expect(s?.[1]?.value).toBe(1);
  });

  it('keeps per-series order with many shards', async () => {
    const { transport, sent } = recordingTransport();
    const c = createRemoteWrite(
      {
        endpoint: [{ url: URL_ }],
        queue_config: { min_shards: 8, max_samples_per_send: 7, batch_send_deadline: '100ms' },
      },
      { transport, clock },
    );
    start(c);
    for (let t = 1; t <= 20; t++) {
      await c.exports.receiver.append(Array.from({ length: 30 }, (_, i) => series('m', { s: String(i) }, [[t, t]])));
      if (t % 3 === 0) await vi.advanceTimersByTimeAsync(50);
    }
    await vi.advanceTimersByTimeAsync(1000);
    const seen = new Map<string, number[]>();
    for (const r of sent) {
      for (const s of r.decoded.timeseries) {
        const key = s.labels.map((l) => `${l.name}=${l.value}`).join(',');
        const list = seen.get(key) ?? [];
        list.push(...s.samples.map((x) => x.timestamp));
        seen.set(key, list);
      }
    }
    expect(seen.size).toBe(30);
    for (const ts of seen.values()) expect(ts).toEqual(Array.from({ length: 20 }, (_, i) => i + 1));
    expect(sampleCount(sent)).toBe(600);
  });

  it('retries network errors and 5xx with exponential backoff, resending the same bytes', async () => {
    const script: TransportResult[] = [
      { kind: 'error', error: Object.assign(new Error('refused'), { code: 'ECONNREFUSED' }) as never },
      status(500),
      status(503),
      ok(),
    ];
    const registry = new Registry();
    const { transport, sent } = recordingTransport(() => script.shift() ?? ok());
    const c = createRemoteWrite(
      { endpoint: [{ url: URL_ }], queue_config: { batch_send_deadline: '1s' } },
      { transport, clock, registry },
    );
    start(c);
    await c.exports.receiver.append([series('m', {}, [[1, 1]])]);
    await vi.advanceTimersByTimeAsync(10_000);
    expect(sent).toHaveLength(4);
    const gaps = sent.slice(1).map((r, i) => r.at - (sent[i]?.at ?? 0));
    expect(gaps).toEqual([30, 60, 120]);
    expect(new Set(sent.map((r) => Buffer.from(r.request.body ?? []).toString('hex'))).size).toBe(1);
    expect(await metric(registry, 'prometheus_remote_storage_samples_retried_total')).toBe(3);
    expect(await metric(registry, 'prometheus_remote_storage_samples_total')).toBe(4);
    expect(await metric(registry, 'prometheus_remote_storage_samples_failed_total')).toBe(0);
  });

  it('honours Retry-After on 429', async () => {
    const script = [status(429, 7_000), ok()];
    const { transport, sent } = recordingTransport(() => script.shift() ?? ok());
    const c = createRemoteWrite(
      { endpoint: [{ url: URL_ }], queue_config: { batch_send_deadline: '1s' } },
      { transport, clock },
    );
    start(c);
    await c.exports.receiver.append([series('m', {}, [[1, 1]])]);
    await vi.advanceTimersByTimeAsync(20_000);
    expect(sent).toHaveLength(2);
    expect((sent[1]?.at ?? 0) - (sent[0]?.at ?? 0)).toBe(7_000);
  });

  it('drops 4xx batches at once and counts them in samples_failed_total', async () => {
    const registry = new Registry();
    const { transport, sent } = recordingTransport(() => status(400));
    const c = createRemoteWrite(
      { endpoint: [{ url: URL_, name: 'cortex' }], queue_config: { batch_send_deadline: '1s' } },
      { transport, clock, registry },
    );
    start(c);
    await c.exports.receiver.append([
      series('m', {}, [
        [1, 1],
        [2, 2],
        [3, 3],
      ]),
    ]);
    await vi.advanceTimersByTimeAsync(60_000);
    expect(sent).toHaveLength(1);
    expect(await metric(registry, 'prometheus_remote_storage_samples_failed_total')).toBe(3);
    const text = await registry.metrics();
    expect(text).toContain(
      'prometheus_remote_storage_samples_failed_total' +
        '{remote_name="cortex",url="http://cortex.invalid/api/v1/push",tenant=""} 3',
    );
    expect(text).toContain(
      'tenantwire_remote_write_samples_dropped_total' +
        '{remote_name="cortex",url="http://cortex.invalid/api/v1/push",tenant="",reason="upstream_rejected"} 3',
    );
  });

  it('refuses appends with a typed back-pressure error when a shard is full, and stays bounded', async () => {
    let release: () => void = () => {};
    const gate = new Promise<void>((r) => (release = r));
    const { transport } = recordingTransport(async () => {
      await gate;
      return ok();
    });
    const c = createRemoteWrite(
      {
        endpoint: [{ url: URL_ }],
        queue_config: { capacity: 50, max_samples_per_send: 10, batch_send_deadline: '1s' },
      },
      { transport, clock },
    );
    start(c);
    let refused = 0;
    for (let i = 0; i < 100; i++) {
      try {
        await c.exports.receiver.append([series('m', { i: String(i) }, [[1, 1]])]);
      } catch (e) {
        expect(e).toBeInstanceOf(BackPressureError);
        expect((e as BackPressureError).code).toBe('queue_full');
        refused++;
      }
      await vi.advanceTimersByTimeAsync(0);
    }
    expect(refused).toBeGreaterThan(0);
    expect(c.pending()).toBeLessThanOrEqual(50 + 10);
    release();
    await vi.advanceTimersByTimeAsync(5_000);
    expect(c.pending()).toBe(0);
    await c.exports.receiver.append([series('m', { i: 'again' }, [[1, 1]])]);
  });

  it('splits by tenant before serialisation: one queue per tenant, tenant header, label removed', async () => {
    const registry = new Registry();
    const { transport, sent } = recordingTransport();
    const c = createRemoteWrite(
      {
        endpoint: [
          { url: URL_, tenant: { label_list: ['tenant', 'namespace'], default: 'anonymous', label_remove: true } },
        ],
        queue_config: { batch_send_deadline: '1s' },
      },
      { transport, clock, registry },
    );
    start(c);
    await c.exports.receiver.pushRequest({
      timeseries: [
        series('a', { tenant: 'team-a' }, [[1, 1]]),
        series('b', { namespace: 'team-b' }, [[1, 2]]),
        series('c', {}, [[1, 3]]),
        series('d', { tenant: 'team-a', namespace: 'x' }, [[1, 4]]),
      ],
      metadata: [],
    });
    await vi.advanceTimersByTimeAsync(1000);
    const byTenant = new Map(sent.map((r) => [r.request.headers['X-Scope-OrgID'], r.decoded.timeseries]));
    expect([...byTenant.keys()].sort()).toEqual(['anonymous', 'team-a', 'team-b']);
    expect(byTenant.get('team-a')?.map((s) => s.labels.map((l) => l.name))).toEqual([
      ['__name__'],
      ['__name__', 'namespace'],
    ]);
    expect(byTenant.get('team-b')?.[0]?.labels.map((l) => l.name)).toEqual(['__name__']);
    expect(await registry.metrics()).toMatch(/prometheus_remote_storage_samples_total\{[^}]*tenant="team-a"\} 2/);
  });

  it('rejects a request without a tenant (no default) whole, enqueuing nothing', async () => {
    const { transport, sent } = recordingTransport();
    const c = createRemoteWrite(
      { endpoint: [{ url: URL_, tenant: { label: 'tenant' } }], queue_config: { batch_send_deadline: '1s' } },
      { transport, clock },
    );
    start(c);
    await expect(
      c.exports.receiver.append([series('a', { tenant: 'x' }, [[1, 1]]), series('b', {}, [[1, 1]])]),
    ).rejects.toMatchObject({ code: 'missing_tenant' });
    await vi.advanceTimersByTimeAsync(2000);
    expect(sent).toHaveLength(0);
  });

  it('flushes what is queued when stopped', async () => {
    const { transport, sent } = recordingTransport();
    const c = createRemoteWrite(
      { endpoint: [{ url: URL_ }], queue_config: { batch_send_deadline: '1m' } },
      { transport, clock },
    );
    const ac = new AbortController();
    const done = c.run(ac.signal);
    await c.exports.receiver.append([series('m', {}, [[1, 1]])]);
    ac.abort();
    await vi.advanceTimersByTimeAsync(0);
    await done;
    expect(sampleCount(sent)).toBe(1);
    await expect(c.exports.receiver.append([series('m', {}, [[2, 1]])])).rejects.toMatchObject({
      code: 'receiver_closed',
    });
  });

  it('gives up at the flush deadline and counts what it drops', async () => {
    const registry = new Registry();
    const { transport } = recordingTransport(() => status(503));
    const c = createRemoteWrite(
      { endpoint: [{ url: URL_ }], queue_config: { batch_send_deadline: '1s' } },
      { transport, clock, registry, flushDeadlineMs: 2_000 },
    );
    const ac = new AbortController();
    const done = c.run(ac.signal);
    await c.exports.receiver.append([
      series('m', {}, [
        [1, 1],
        [2, 2],
      ]),
    ]);
    ac.abort();
    await vi.advanceTimersByTimeAsync(3_000);
    await done;
    expect(await metric(registry, 'prometheus_remote_storage_samples_failed_total')).toBe(2);
    expect(await registry.metrics()).toMatch(
      /tenantwire_remote_write_samples_dropped_total\{[^}]*reason="flush_deadline"\} 2/,
    );
  });

  it('a send the flush deadline cuts short is dropped for the deadline, not as an upstream error', async () => {
    const registry = new Registry();
    // The upstream never answers: the send is in flight when the deadline aborts it.
    const { transport } = recordingTransport(
      (req) =>
        new Promise<TransportResult>((resolve) => {
          req.signal?.addEventListener('abort', () =>
            resolve({ kind: 'error', error: Object.assign(new Error('aborted'), { code: 'aborted' }) as never }),
          );
        }),
    );
    const c = createRemoteWrite(
      { endpoint: [{ url: URL_ }], queue_config: { batch_send_deadline: '1s' } },
      { transport, clock, registry, flushDeadlineMs: 2_000 },
    );
    const ac = new AbortController();
    const done = c.run(ac.signal);
    await c.exports.receiver.append([
      series('m', {}, [
        [1, 1],
        [2, 2],
        [3, 3],
      ]),
    ]);
    await vi.advanceTimersByTimeAsync(1_500);
    ac.abort();
    await vi.advanceTimersByTimeAsync(3_000);
    await done;
    const text = await registry.metrics();
    expect(text).toMatch(/tenantwire_remote_write_samples_dropped_total\{[^}]*reason="flush_deadline"\} 3/);
    expect(text).not.toMatch(/reason="upstream_rejected"/);
  });
});

describe('remote_write protocol 2.0', () => {
  it('encodes io.prometheus.write.v2.Request with the 2.0 headers and the stale marker bits', async () => {
    const { decodeRequestV2 } = await import('../../../src/wire/decode-v2.js');
    const { snappyDecompress } = await import('../../../src/wire/snappy.js');
    const bodies: Uint8Array[] = [];
    const headers: Record<string, string>[] = [];
    const c = createRemoteWrite(
      { endpoint: [{ url: URL_, protocol: '2.0' }], queue_config: { batch_send_deadline: '1s' } },
      {
        transport: {
          async send(req) {
            bodies.push(req.body ?? new Uint8Array());
            headers.push({ ...req.headers });
            return ok();
          },
          async close() {},
        },
        clock,
      },
    );
    start(c);
    await c.exports.receiver.append([
      { ...series('up', { job: 'x' }, []), samples: [{ timestamp: 9, value: Number.NaN, valueBits: STALE_NAN_BITS }] },
    ]);
    await vi.advanceTimersByTimeAsync(1000);
    expect(headers[0]).toMatchObject({
      'Content-Type': 'application/x-protobuf;proto=io.prometheus.write.v2.Request',
      'X-Prometheus-Remote-Write-Version': '2.0.0',
    });
    const req = decodeRequestV2(snappyDecompress(bodies[0] ?? new Uint8Array()));
    expect(req.symbols[0]).toBe('');
    const ts = req.timeseries[0];
    expect(ts?.labelsRefs.map((r) => req.symbols[r])).toEqual(['__name__', 'up', 'job', 'x']);
    expect(ts?.samples[0]?.valueBits).toBe(STALE_NAN_BITS);
  });
});
