/**
 * Remote-write 2.0 through the proxy (fixed: cortex-tenant answers 400): split with a symbol
 * table per tenant, forwarded as 2.0 or converted to 1.0, the Written headers summed.
 */
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { decodeRequestV2 } from '../../src/wire/decode-v2.js';
import { encodeRequestV2 } from '../../src/wire/encode-v2.js';
import { v1ToV2 } from '../../src/wire/convert.js';
import { snappyCompress, snappyDecompress } from '../../src/wire/snappy.js';
import { STALE_NAN_BITS } from '../../src/wire/types.js';
import { startRecordingUpstream, type RecordingUpstream } from '../helpers/recording-upstream.js';
import { post, startProxy, type ProxyUnderTest } from './proxy-harness.js';
import { decodeBody, series } from '../helpers/series.js';

const V2_TYPE = 'application/x-protobuf;proto=io.prometheus.write.v2.Request';
let upstream: RecordingUpstream;
let proxy: ProxyUnderTest | undefined;

beforeAll(async () => {
  upstream = await startRecordingUpstream();
});
afterAll(async () => upstream.close());
afterEach(async () => {
  await proxy?.close();
  proxy = undefined;
  upstream.received.length = 0;
  upstream.replies = {};
});

function v2Body() {
  const stale = {
    ...series({ __name__: 'c', tenant: 't1' }),
    samples: [{ value: Number.NaN, valueBits: STALE_NAN_BITS, timestamp: 7 }],
  };
  return snappyCompress(
    encodeRequestV2(
      v1ToV2({
        timeseries: [series({ __name__: 'a', tenant: 't1', job: 'x' }), series({ __name__: 'b', tenant: 't2' }), stale],
        metadata: [],
      }),
    ),
  );
}

describe('remote-write 2.0 through the proxy', () => {
  it('forwards 2.0 per tenant with its own valid symbol table and sums the Written headers', async () => {
    proxy = await startProxy({ target: upstream.url, tenant: { label: 'tenant', label_remove: true } });
    const r = await post(proxy.url, v2Body(), {
      'content-type': V2_TYPE,
      'x-prometheus-remote-write-version': '2.0.0',
    });
    expect(r.status).toBe(204);
    expect(r.headers.get('x-prometheus-remote-write-samples-written')).toBe('3');
    expect(r.headers.get('x-prometheus-remote-write-histograms-written')).toBe('0');
    expect(upstream.received.map((x) => x.tenant).sort()).toEqual(['t1', 't2']);
    for (const rec of upstream.received) {
      expect(rec.headers['content-type']).toBe(V2_TYPE);
      expect(rec.headers['x-prometheus-remote-write-version']).toBe('2.0.0');
      const req = decodeRequestV2(snappyDecompress(rec.body));
      expect(req.symbols[0]).toBe('');
      for (const s of req.timeseries) {
        for (const ref of s.labelsRefs) expect(ref).toBeLessThan(req.symbols.length);
        const names = s.labelsRefs.filter((_, i) => i % 2 === 0).map((ref) => req.symbols[ref]);
        expect(names).not.toContain('tenant');
      }
    }
    const t1 = decodeRequestV2(snappyDecompress(upstream.received.find((x) => x.tenant === 't1')!.body));
    expect(t1.timeseries).toHaveLength(2);
    expect(t1.timeseries[1]?.samples[0]?.valueBits).toBe(STALE_NAN_BITS);
  });

  it('forward_protocol 1.0 converts each tenant batch to a 1.0 WriteRequest', async () => {
    proxy = await startProxy({ target: upstream.url, tenant: { label: 'tenant' }, proxy: { forwardProtocol: '1.0' } });
    const r = await post(proxy.url, v2Body(), { 'content-type': V2_TYPE });
    expect(r.status).toBe(204);
    const t2 = upstream.received.find((x) => x.tenant === 't2')!;
    expect(t2.headers['content-type']).toBe('application/x-protobuf');
    expect(decodeBody(t2.body).timeseries[0]?.labels.map((l) => l.name)).toEqual(['__name__', 'tenant']);
  });

  it('a ref past the symbol table is a 400, never a crash', async () => {
    proxy = await startProxy({ target: upstream.url, tenant: { label: 'tenant' } });
    // symbols: ["", "__name__"]; series labels_refs [1, 9]: 9 is out of range.
    const raw = new Uint8Array([
      0x22,
      0x00,
      0x22,
      0x08,
      ...Buffer.from('__name__'),
      0x2a,
      0x04,
      0x0a,
      0x02,
      0x01,
      0x09,
    ]);
    const r = await post(proxy.url, snappyCompress(raw), { 'content-type': V2_TYPE });
    expect(r.status).toBe(400);
    expect(r.text).toMatch(/ref|symbol/i);
    expect(upstream.received).toHaveLength(0);
  });

  it('an empty 2.0 request still gets the Written headers (0), and nothing goes upstream', async () => {
    proxy = await startProxy({ target: upstream.url, tenant: { label: 'tenant' } });
    for (const raw of [new Uint8Array(0), encodeRequestV2({ symbols: [''], timeseries: [] })]) {
      const r = await post(proxy.url, snappyCompress(raw), { 'content-type': V2_TYPE });
      expect(r.status).toBe(204);
      expect(r.headers.get('x-prometheus-remote-write-samples-written')).toBe('0');
      expect(r.headers.get('x-prometheus-remote-write-histograms-written')).toBe('0');
      expect(r.headers.get('x-prometheus-remote-write-exemplars-written')).toBe('0');
    }
    expect(upstream.received).toHaveLength(0);
  });
});
