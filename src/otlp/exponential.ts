/**
 * OTLP exponential histograms to native histograms (prometheusremotewrite histograms.go
 * exponentialToNativeHistogram, convertBucketsLayout):
 * - the OTLP scale is the schema; a scale above 8 is reduced to 8 by merging 2^(scale-8)
 *   neighbouring buckets; a scale below -4 cannot be represented and the point is refused;
 * - OTLP bucket index i covers (base^i, base^(i+1)], Prometheus's index i+1 covers the same
 *   range: every index shifts by one (after the downscale, `(i >> down) + 1`);
 * - buckets become spans + integer deltas; runs of more than two empty buckets start a new span
 *   (client_golang's makeBuckets rule), shorter runs are written as zero buckets; leading and
 *   trailing empty buckets are left out;
 * - counts are integers; reset hint unknown (Prometheus: "always safe");
 * - no-recorded-value: sum is the stale NaN and the integer count carries the stale NaN's bits.
 *
 * Zero threshold: Prometheus writes its default 1e-128 and ignores OTLP's zero_threshold (a
 * TODO there); here the OTLP value is used when it is set (> 0), since it is what the zero
 * bucket's count was measured against, and 1e-128 otherwise.
 */
import type { BucketSpan, HistogramV2 } from '../wire/types.js';
import { STALE_NAN_BITS } from '../wire/types.js';
import type { ExponentialBuckets, ExponentialHistogramDataPoint } from './model.js';
import { FLAG_NO_RECORDED_VALUE } from './model.js';
import { nsToMs } from './translate-values.js';

export const DEFAULT_ZERO_THRESHOLD = 1e-128;
export const MIN_SCALE = -4;
export const MAX_SCHEMA = 8;

const EMPTY = new Float64Array(0);

/** Dense OTLP buckets at `offset` to Prometheus spans + deltas, merged by 2^down. */
export function bucketsLayout(b: ExponentialBuckets, down: number): { spans: BucketSpan[]; deltas: bigint[] } {
  const spans: BucketSpan[] = [];
  const deltas: bigint[] = [];
  const counts = b.bucketCounts;
  if (counts.length === 0) return { spans, deltas };
  const factor = 2 ** down;
  let prev = 0; // previous bucket's count, for the deltas
  let lastIdx = 0; // index of the last bucket written
  const write = (idx: number, count: number): void => {
    if (spans.length === 0) spans.push({ offset: idx, length: 0 });
    else {
      const gap = idx - lastIdx - 1;
      if (gap > 2) spans.push({ offset: gap, length: 0 });
      else for (let g = 0; g < gap; g++) pushDelta(0);
    }
    pushDelta(count);
    lastIdx = idx;
  };
  const pushDelta = (count: number): void => {
    const s = spans[spans.length - 1]!;
    spans[spans.length - 1] = { offset: s.offset, length: s.length + 1 };
    deltas.push(BigInt(count) - BigInt(prev));
    prev = count;
  };
  let groupIdx = Math.floor(b.offset / factor) + 1;
  let groupCount = 0;
  for (let i = 0; i < counts.length; i++) {
    const idx = Math.floor((b.offset + i) / factor) + 1;
    if (idx !== groupIdx) {
      if (groupCount !== 0) write(groupIdx, groupCount);
      groupIdx = idx;
      groupCount = 0;
    }
    groupCount += counts[i]!;
  }
  if (groupCount !== 0) write(groupIdx, groupCount);
  return { spans, deltas };
}

/** The native histogram of a point, or undefined when its scale is below -4. */
export function toNativeHistogram(p: ExponentialHistogramDataPoint): HistogramV2 | undefined {
  if (!Number.isInteger(p.scale) || p.scale < MIN_SCALE) return undefined;
  const down = p.scale > MAX_SCHEMA ? p.scale - MAX_SCHEMA : 0;
  const pos = bucketsLayout(p.positive, down);
  const neg = bucketsLayout(p.negative, down);
  const stale = (p.flags & FLAG_NO_RECORDED_VALUE) !== 0;
  return {
    ...(stale
      ? { countInt: STALE_NAN_BITS, sum: NaN, sumBits: STALE_NAN_BITS }
      : { countInt: BigInt(p.count), sum: p.sum ?? 0 }),
    schema: p.scale - down,
    zeroThreshold: p.zeroThreshold > 0 ? p.zeroThreshold : DEFAULT_ZERO_THRESHOLD,
    zeroCountInt: BigInt(p.zeroCount),
    negativeSpans: neg.spans,
    negativeDeltas: neg.deltas,
    negativeCounts: EMPTY,
    positiveSpans: pos.spans,
    positiveDeltas: pos.deltas,
    positiveCounts: EMPTY,
    resetHint: 0,
    timestamp: nsToMs(p.timeUnixNano),
    customValues: EMPTY,
    startTimestamp: nsToMs(p.startTimeUnixNano),
  };
}
