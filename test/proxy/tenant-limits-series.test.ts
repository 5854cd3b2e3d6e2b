import { describe, expect, it } from 'vitest';
import { seriesOf } from '../../src/proxy/tenant-limits-series.js';
import type { TenantSend } from '../../src/proxy/forward.js';
import type { Histogram } from '../../src/wire/types.js';
import { decodeWriteRequest } from '../../src/wire/decode-v1.js';
import { remoteWriteBody, sample, series, T0 } from '../helpers/series.js';

const histogram: Histogram = {
  countInt: 3n,
  sum: 1.5,
  schema: 0,
  zeroThreshold: 0,
  zeroCountInt: 0n,
  negativeSpans: [],
  negativeDeltas: [],
  negativeCounts: new Float64Array(0),
  positiveSpans: [{ offset: 0, length: 1 }],
  positiveDeltas: [3n],
  positiveCounts: new Float64Array(0),
  resetHint: 0,
  timestamp: T0,
  customValues: new Float64Array(0),
};

const exemplar = { labels: [{ name: 'trace_id', value: 'abc' }], value: 1, timestamp: T0 };

function sendOf(raw: Uint8Array): TenantSend {
  return { tenant: 'a', version: '1.0', raw, series: 0, sent: { samples: 0, histograms: 0, exemplars: 0 } };
}

const body = (values: readonly number[]) =>
  remoteWriteBody(
    {
      timeseries: [
        series({ __name__: 'up', id: '0' }, [sample(values[0]), sample(values[1], T0 + 1)], { exemplars: [exemplar] }),
        series({ __name__: 'lat', id: '1' }, [], { histograms: [histogram, { ...histogram, timestamp: T0 + 1 }] }),
        series({ __name__: 'up', id: '2' }, [sample(values[2])]),
      ],
      metadata: [{ type: 1, metricFamilyName: 'up', help: 'h', unit: '' }],
    },
    { compress: false },
  );

describe('seriesOf (1.0, walked by framing)', () => {
  it('counts samples plus histograms and exemplars per series', () => {
    const s = seriesOf(sendOf(body([1, 2, 3])));
    expect(s.n).toBe(3);
    expect([...s.samples]).toEqual([2, 2, 1]);
    expect([...s.exemplars]).toEqual([1, 0, 0]);
  });

  it('hashes labels only: the same series with other samples meets, another series does not', () => {
    const a = seriesOf(sendOf(body([1, 2, 3])));
    const ha = [...a.hi].map((h, i) => `${h}:${a.lo[i]}`);
    const b = seriesOf(sendOf(body([7, 8, 9])));
    const hb = [...b.hi].map((h, i) => `${h}:${b.lo[i]}`);
    expect(hb).toEqual(ha);
    expect(new Set(ha).size).toBe(3);
  });

  it('keepOnly keeps the chosen series, their counts and the metadata', () => {
    const kept = seriesOf(sendOf(body([1, 2, 3]))).keepOnly(new Uint8Array([0, 1, 1]));
    expect(kept).toMatchObject({ series: 2, sent: { samples: 1, histograms: 2, exemplars: 0 } });
    const req = decodeWriteRequest(kept.raw!);
    expect(req.timeseries.map((t) => t.labels.find((l) => l.name === 'id')?.value)).toEqual(['1', '2']);
    expect(req.metadata.map((m) => m.metricFamilyName)).toEqual(['up']);
  });

  it('keepOnly carries a part with hundreds of thousands of metadata entries', () => {
    const metadata = Array.from({ length: 300_000 }, (_, i) => ({
      type: 1 as const,
      metricFamilyName: `m${i}`,
      help: '',
      unit: '',
    }));
    const raw = remoteWriteBody({ timeseries: [series({ __name__: 'up', id: '0' })], metadata }, { compress: false });
    const kept = seriesOf(sendOf(raw)).keepOnly(new Uint8Array([1]));
    expect(decodeWriteRequest(kept.raw!).metadata).toHaveLength(300_000);
  });
});
