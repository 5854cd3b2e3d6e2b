/**
 * Queue mode keeps every bit, against a real process: a 1.0 request and a 2.0 request holding
 * float samples with the stale-NaN bit pattern, exemplars, integer and float native histograms
 * and metadata, split over two tenants, go through the on-disk queue; each tenant's decoded body
 * equals exactly what that tenant's part of the request was. The 2.0 sender gets 204 with the
 * Written headers counting what was queued.
 */
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { v1ToV2, v2ToV1 } from '../../src/wire/convert.js';
import { decodeRequestV2 } from '../../src/wire/decode-v2.js';
import { encodeRequestV2 } from '../../src/wire/encode-v2.js';
import { snappyDecompress } from '../../src/wire/snappy.js';
import { STALE_NAN_BITS, type Histogram, type TimeSeries, type WriteRequest } from '../../src/wire/types.js';
import { eventually } from '../helpers/eventually.js';
import { tempDir } from '../helpers/peers.js';
import { startQueueDropIn, type QueueDropIn } from '../helpers/queue-mode.js';
import { decodeBody, remoteWriteBody, T0 } from '../helpers/series.js';
import { histogram, meta, series } from '../tenant/fixtures.js';
import { useRecordingUpstream } from '../helpers/use-recording-upstream.js';

const upstream = useRecordingUpstream();
const tmp = tempDir('e2e-queue-exact');
const V2_TYPE = 'application/x-protobuf;proto=io.prometheus.write.v2.Request';
let s: QueueDropIn | undefined;

beforeAll(async () => {
  s = await startQueueDropIn(tmp.path, upstream().url, join(tmp.path, 'q'), [
    'workers: 1',
    'metadata: true',
    'tenant:',
    '  label: tenant',
  ]);
}, 30_000);
afterAll(async () => {
  await s?.tw.stop(5_000);
  tmp.remove();
});
afterEach(() => {
  upstream().received.length = 0;
});

function floatHistogram(ts: number): Histogram {
  return {
    countFloat: 7.25,
    sum: 19.5,
    schema: 1,
    zeroThreshold: 0.01,
    zeroCountFloat: 0.25,
    negativeSpans: [{ offset: -1, length: 1 }],
    negativeDeltas: [],
    negativeCounts: new Float64Array([1.5]),
    positiveSpans: [{ offset: 2, length: 2 }],
    positiveDeltas: [],
    positiveCounts: new Float64Array([2.5, 3]),
    resetHint: 3,
    timestamp: ts,
    customValues: new Float64Array(0),
  };
}

/** Each tenant's part, as the split must deliver it; `tenant` prefixes the family names. */
function tenantPart(tenant: string): WriteRequest {
  const floatH: TimeSeries = {
    ...series({ __name__: `${tenant}_fh`, tenant }),
    samples: [],
    histograms: [floatHistogram(T0), floatHistogram(T0 + 1)],
  };
  const intH: TimeSeries = {
    ...series({ __name__: `${tenant}_ih`, tenant }),
    samples: [],
    histograms: [histogram(T0)],
  };
  return {
    timeseries: [
      series({ __name__: `${tenant}_c`, tenant, job: 'x' }, { samples: 3, stale: true, exemplar: true }),
      intH,
      floatH,
      series({ __name__: `${tenant}_c`, tenant, job: 'y' }, { samples: 1, stale: true }),
    ],
    metadata: [meta(`${tenant}_c`), meta(`${tenant}_ih`), meta(`${tenant}_fh`)],
  };
}

/** Both tenants' series interleaved in one request, with every family's metadata. */
function whole(a: WriteRequest, b: WriteRequest): WriteRequest {
  const timeseries: TimeSeries[] = [];
  for (let i = 0; i < Math.max(a.timeseries.length, b.timeseries.length); i++) {
    if (a.timeseries[i]) timeseries.push(a.timeseries[i]!);
    if (b.timeseries[i]) timeseries.push(b.timeseries[i]!);
  }
  return { timeseries, metadata: [...a.metadata, ...b.metadata] };
}

const byName = (m: { metricFamilyName: string }[]) =>
  [...m].sort((x, y) => x.metricFamilyName.localeCompare(y.metricFamilyName));

function bitsOf(req: WriteRequest): bigint[] {
  const out: bigint[] = [];
  for (const t of req.timeseries) for (const x of t.samples) if (Number.isNaN(x.value)) out.push(x.valueBits ?? -1n);
  return out;
}

async function received(tenants: string[]) {
  return eventually(
    () => {
      const got = new Map(upstream().received.map((r) => [r.tenant, r]));
      return tenants.every((t) => got.has(t)) && got;
    },
    { timeoutMs: 10_000, message: `a request for each of ${tenants.join(', ')}` },
  );
}

describe('queue mode: exact delivery', () => {
  it('1.0: series, stale NaNs, exemplars, native histograms and metadata arrive exactly', async () => {
    const [a, b] = [tenantPart('v1a'), tenantPart('v1b')];
    const r = await fetch(`${s!.url}/api/v1/push`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-protobuf', 'content-encoding': 'snappy' },
      body: remoteWriteBody(whole(a, b)),
    });
    expect(r.status).toBe(204);
    const got = await received(['v1a', 'v1b']);
    for (const [tenant, want] of [
      ['v1a', a],
      ['v1b', b],
    ] as const) {
      const req = decodeBody(got.get(tenant)!.body);
      expect(req.timeseries, tenant).toEqual(want.timeseries);
      expect(byName([...req.metadata]), tenant).toEqual(byName([...want.metadata]));
      expect(bitsOf(req)).toEqual([STALE_NAN_BITS, STALE_NAN_BITS]);
    }
  });

  it('2.0: answered 204 with the Written headers; each tenant gets its part exactly, as 2.0', async () => {
    const [a, b] = [tenantPart('v2a'), tenantPart('v2b')];
    const r = await fetch(`${s!.url}/api/v1/push`, {
      method: 'POST',
      headers: {
        'content-type': V2_TYPE,
        'content-encoding': 'snappy',
        'x-prometheus-remote-write-version': '2.0.0',
      },
      body: remoteWriteBody(whole(a, b), { version: '2.0' }),
    });
    expect(r.status).toBe(204);
    const count = (w: WriteRequest, f: (t: TimeSeries) => number) => w.timeseries.reduce((n, t) => n + f(t), 0);
    const want = {
      samples: count(a, (t) => t.samples.length) + count(b, (t) => t.samples.length),
      histograms: count(a, (t) => t.histograms.length) + count(b, (t) => t.histograms.length),
      exemplars: count(a, (t) => t.exemplars.length) + count(b, (t) => t.exemplars.length),
    };
    expect(want).toEqual({ samples: 12, histograms: 6, exemplars: 2 });
    expect(r.headers.get('x-prometheus-remote-write-samples-written')).toBe(String(want.samples));
    expect(r.headers.get('x-prometheus-remote-write-histograms-written')).toBe(String(want.histograms));
    expect(r.headers.get('x-prometheus-remote-write-exemplars-written')).toBe(String(want.exemplars));
    const got = await received(['v2a', 'v2b']);
    for (const [tenant, part] of [
      ['v2a', a],
      ['v2b', b],
    ] as const) {
      const rec = got.get(tenant)!;
      expect(rec.headers['content-type']).toBe(V2_TYPE);
      expect(rec.headers['x-prometheus-remote-write-version']).toBe('2.0.0');
      const delivered = v2ToV1(decodeRequestV2(snappyDecompress(rec.body)));
      // What this tenant's part is in 2.0 (metadata travels inside its series), read back as 1.0.
      const expected = v2ToV1(decodeRequestV2(encodeRequestV2(v1ToV2(part))));
      expect(delivered.timeseries, tenant).toEqual(expected.timeseries);
      expect(byName([...delivered.metadata]), tenant).toEqual(byName([...expected.metadata]));
      expect(bitsOf(delivered)).toEqual([STALE_NAN_BITS, STALE_NAN_BITS]);
    }
  });
});
