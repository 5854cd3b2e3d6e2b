/**
 * Exponential histograms to native histograms: expectations from prometheusremotewrite
 * histograms.go (exponentialToNativeHistogram, convertBucketsLayout) and client_golang's
 * makeBuckets span rule.
 */
import { describe, expect, it } from 'vitest';
import { bucketsLayout, toNativeHistogram } from '../../src/otlp/exponential.js';
import { DEFAULT_OTLP_OPTIONS } from '../../src/otlp/options.js';
import { translateOtlp } from '../../src/otlp/translate.js';
import { STALE_NAN_BITS } from '../../src/wire/types.js';
import { exemplar, expHistogram, expPoint, metric, readable, request } from '../helpers/otlp-build.js';

const layout = (offset: number, bucketCounts: number[], down = 0) => {
  const { spans, deltas } = bucketsLayout({ offset, bucketCounts }, down);
  return { spans, deltas: deltas.map(Number) };
};

describe('bucket layout (histograms.go convertBucketsLayout)', () => {
  it('OTLP index i is Prometheus index i+1', () => {
    expect(layout(0, [1, 2, 3])).toEqual({ spans: [{ offset: 1, length: 3 }], deltas: [1, 1, 1] });
    expect(layout(-2, [4])).toEqual({ spans: [{ offset: -1, length: 1 }], deltas: [4] });
  });

  it('a run of more than two empty buckets starts a new span; shorter runs are zero buckets', () => {
    expect(layout(0, [5, 0, 0, 0, 0, 7])).toEqual({
      spans: [
        { offset: 1, length: 1 },
        { offset: 4, length: 1 },
      ],
      deltas: [5, 2],
    });
    expect(layout(0, [5, 0, 0, 7])).toEqual({ spans: [{ offset: 1, length: 4 }], deltas: [5, -5, 0, 7] });
  });

  it('leading and trailing empty buckets are left out', () => {
    expect(layout(0, [0, 0, 3, 0])).toEqual({ spans: [{ offset: 3, length: 1 }], deltas: [3] });
    expect(layout(0, [0, 0])).toEqual({ spans: [], deltas: [] });
  });

  it('scale down merges 2^down buckets, flooring negative indices like Go >>', () => {
    expect(layout(0, [1, 1, 1, 1, 1, 1, 1, 1], 2)).toEqual({ spans: [{ offset: 1, length: 2 }], deltas: [4, 0] });
    expect(layout(-1, [1, 1, 1], 1)).toEqual({ spans: [{ offset: 0, length: 2 }], deltas: [1, 1] });
  });
});

describe('exponentialToNativeHistogram', () => {
  it('scale -> schema, integer counts, zero bucket, reset hint unknown, timestamps in ms', () => {
    const h = toNativeHistogram(
      expPoint({
        scale: 3,
        count: 7,
        sum: 2.5,
        zeroCount: 2,
        positive: { offset: 0, bucketCounts: [3] },
        negative: { offset: 1, bucketCounts: [2] },
      }),
    )!;
    expect(h).toMatchObject({
      schema: 3,
      countInt: 7n,
      sum: 2.5,
      zeroCountInt: 2n,
      zeroThreshold: 1e-128,
      positiveSpans: [{ offset: 1, length: 1 }],
      positiveDeltas: [3n],
      negativeSpans: [{ offset: 2, length: 1 }],
      negativeDeltas: [2n],
      resetHint: 0,
      timestamp: 1000,
      startTimestamp: 0,
    });
  });

  it('scale above 8 becomes schema 8; below -4 is refused', () => {
    expect(toNativeHistogram(expPoint({ scale: 20 }))!.schema).toBe(8);
    expect(toNativeHistogram(expPoint({ scale: -4 }))!.schema).toBe(-4);
    expect(toNativeHistogram(expPoint({ scale: -5 }))).toBeUndefined();
  });

  it("the OTLP zero_threshold is used when set (a deviation from Prometheus's fixed 1e-128)", () => {
    expect(toNativeHistogram(expPoint({ zeroThreshold: 0.001 }))!.zeroThreshold).toBe(0.001);
  });

  it('no-recorded-value: stale NaN sum and the stale bits as the count', () => {
    const h = toNativeHistogram(expPoint({ flags: 1, count: 3, sum: 1 }))!;
    expect(h.countInt).toBe(STALE_NAN_BITS);
    expect(h.sumBits).toBe(STALE_NAN_BITS);
    expect(Number.isNaN(h.sum)).toBe(true);
  });

  it('translated as one histogram series with type histogram; invalid scale counted', () => {
    const t = translateOtlp(
      request({
        metrics: [
          metric(
            'rpc.duration',
            expHistogram([
              expPoint({
                count: 1,
                positive: { offset: 0, bucketCounts: [1] },
                exemplars: [exemplar({ asDouble: 1.5 })],
              }),
              expPoint({ scale: -9, timeUnixNano: 5_000_000_000n }),
            ]),
            's',
          ),
        ],
      }),
      DEFAULT_OTLP_OPTIONS,
      { maxElements: 1000 },
    );
    const [s] = readable(t.request);
    expect(s!.labels).toEqual({ __name__: 'rpc_duration_seconds' });
    expect(s!.histograms).toHaveLength(1);
    expect(s!.metadata.type).toBe(3);
    expect(s!.exemplars).toEqual([{ labels: {}, value: 1.5, timestamp: 1000 }]);
    expect(t.dropped.invalid_scale).toBe(1);
  });
});
