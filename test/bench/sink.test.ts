import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { countWire, versionOf } from '../../bench/lib/series-counter.js';
import { startSink, type RunningSink, type SinkStats } from '../../bench/lib/sink.js';
import { compressBlock } from '../../bench/lib/snappy-block.js';
import { encodeBody } from '../../bench/payloads/bodies.js';

let sink: RunningSink;
beforeAll(async () => {
  sink = await startSink();
});
afterAll(async () => {
  await sink.close();
});

async function post(body: Uint8Array, headers: Record<string, string> = {}): Promise<number> {
  const r = await fetch(`http://127.0.0.1:${sink.port}/push`, {
    method: 'POST',
    headers: { 'content-type': 'application/x-protobuf', 'content-encoding': 'snappy', ...headers },
    body,
  });
  await r.arrayBuffer();
  return r.status;
}

describe('loopback sink', () => {
  it('counts the series, samples, histograms and exemplars of what arrived, per tenant', async () => {
    const body = encodeBody('t', { series: 500, tenants: 3 });
    sink.reset();
    expect(await post(body.compressed, { 'x-scope-orgid': 'tenant-02' })).toBe(204);
    expect(await post(body.compressed)).toBe(204);
    const stats = (await (await fetch(`http://127.0.0.1:${sink.port}/stats`)).json()) as SinkStats;
    expect(stats.requests).toBe(2);
    expect(stats.series).toBe(1_000);
    expect(stats.samples).toBe(2 * body.counts.samples);
    expect(stats.histograms).toBe(2 * body.counts.histograms);
    expect(stats.exemplars).toBe(2 * body.counts.exemplars);
    expect(stats.tenants).toEqual({ 'tenant-02': 500, '-': 500 });
    expect(stats.bytes).toBe(2 * body.compressed.length);
  });

  it('answers 400 to a body that is not snappy protobuf and resets on POST /reset', async () => {
    expect(await post(new Uint8Array([0xff, 0x06, 0x00, 0x00, 0x73, 0x4e]))).toBe(400);
    expect(sink.stats().errors).toBeGreaterThan(0);
    const r = await fetch(`http://127.0.0.1:${sink.port}/reset`, { method: 'POST' });
    expect(r.status).toBe(204);
    expect(sink.stats()).toMatchObject({ requests: 0, series: 0, errors: 0, firstAtMs: null });
  });

  it('counts a hand-built 2.0 request by its own field numbers', () => {
    // symbols ["", "a"], one series: labels_refs [1,1] packed, two samples, one histogram (empty).
    const series = [0x0a, 0x02, 0x01, 0x01, 0x12, 0x00, 0x12, 0x00, 0x1a, 0x00];
    const body = new Uint8Array([0x22, 0x00, 0x22, 0x01, 0x61, 0x2a, series.length, ...series]);
    expect(countWire(body, '2.0')).toEqual({ series: 1, samples: 2, histograms: 1, exemplars: 0 });
    expect(versionOf('application/x-protobuf;proto=io.prometheus.write.v2.Request')).toBe('2.0');
    expect(versionOf('application/x-protobuf')).toBe('1.0');
    expect(compressBlock(body).length).toBeGreaterThan(0);
  });

  it('refuses truncated messages instead of counting them', () => {
    expect(() => countWire(new Uint8Array([0x0a, 0x05, 0x12]), '1.0')).toThrow();
  });
});

describe('loopback sink with 2.0 bodies', () => {
  it('counts a generated 2.0 body like its 1.0 twin', async () => {
    const v1 = encodeBody('v1', { series: 500, tenants: 3 }, '1.0');
    const v2 = encodeBody('v2', { series: 500, tenants: 3 }, '2.0');
    expect(v2.raw.length).toBeLessThan(v1.raw.length);
    const s2 = await startSink();
    try {
      const r = await fetch(`http://127.0.0.1:${s2.port}/push`, {
        method: 'POST',
        headers: { 'content-type': v2.contentType },
        body: v2.compressed,
      });
      expect(r.status).toBe(204);
      expect(s2.stats()).toMatchObject({
        series: 500,
        samples: v1.counts.samples,
        histograms: v1.counts.histograms,
        exemplars: v1.counts.exemplars,
      });
    } finally {
      await s2.close();
    }
  });
});
