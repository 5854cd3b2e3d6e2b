import type { Histogram, MetricMetadata, TimeSeries, WriteRequest } from '../../src/wire/types.js';
import { STALE_NAN_BITS } from '../../src/wire/types.js';
import { labelList, series as plainSeries, T0 } from '../helpers/series.js';

/** Builders for split tests: canonical requests the codec encodes byte-exactly. */

const staleNaN = (() => {
  const v = new DataView(new ArrayBuffer(8));
  v.setBigUint64(0, STALE_NAN_BITS);
  return v.getFloat64(0);
})();

export function histogram(ts: number): Histogram {
  return {
    countInt: 5n,
    sum: 12.5,
    schema: 3,
    zeroThreshold: 0.001,
    zeroCountInt: 1n,
    negativeSpans: [],
    negativeDeltas: [],
    negativeCounts: new Float64Array(0),
    positiveSpans: [{ offset: 0, length: 2 }],
    positiveDeltas: [2n, 1n],
    positiveCounts: new Float64Array(0),
    resetHint: 0,
    timestamp: ts,
    customValues: new Float64Array(0),
  };
}

export function series(
  l: Record<string, string>,
  opts: { samples?: number; stale?: boolean; exemplar?: boolean; histogram?: boolean } = {},
): TimeSeries {
  const samples = [];
  for (let i = 0; i < (opts.samples ?? 1); i++) samples.push({ value: i + 0.5, timestamp: T0 + i });
  if (opts.stale) samples.push({ value: staleNaN, timestamp: T0 + 1_000, valueBits: STALE_NAN_BITS });
  return plainSeries(l, samples, {
    exemplars: opts.exemplar ? [{ labels: labelList({ trace_id: 'abc' }), value: 1, timestamp: T0 }] : [],
    histograms: opts.histogram ? [histogram(T0)] : [],
  });
}

export const meta = (family: string): MetricMetadata => ({
  type: 1,
  metricFamilyName: family,
  help: `help of ${family}`,
  unit: '',
});

export const request = (timeseries: TimeSeries[], metadata: MetricMetadata[] = []): WriteRequest => ({
  timeseries,
  metadata,
});
