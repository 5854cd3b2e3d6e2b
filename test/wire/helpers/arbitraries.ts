/**
 * fast-check arbitraries for valid remote-write requests: labels, samples (with NaNs carrying
 * payload bits), exemplars, integer and float histograms with spans and custom values, metadata.
 * `canonicalNaN` limits NaNs to the canonical quiet NaN so protobufjs can be a byte oracle.
 */
import fc from 'fast-check';
import type {
  Histogram,
  Label,
  MetricMetadata,
  MetricType,
  ResetHint,
  Sample,
  TimeSeries,
  WriteRequest,
} from '../../../src/wire/types.js';
import { STALE_NAN_BITS } from '../../../src/wire/types.js';

const CANONICAL_NAN = 0x7ff8000000000000n;
const str = fc.string({ unit: 'grapheme', maxLength: 12 });
const label: fc.Arbitrary<Label> = fc.record({ name: str, value: str });
const timestamp = fc.oneof(
  fc.integer({ min: -1e6, max: 1e6 }),
  fc.constantFrom(0, -1, 2 ** 53 - 1, -(2 ** 53 - 1)),
  fc.maxSafeInteger(),
);

function valueWithBits(canonicalNaN: boolean): fc.Arbitrary<{ value: number; valueBits?: bigint }> {
  const nanBits = canonicalNaN
    ? fc.constant(CANONICAL_NAN)
    : fc.oneof(
        fc.constant(STALE_NAN_BITS),
        fc.constant(CANONICAL_NAN),
        fc.bigInt({ min: 1n, max: (1n << 52n) - 1n }).map((m) => 0x7ff0000000000000n | m),
      );
  return fc.oneof(
    {
      weight: 4,
      arbitrary: fc
        .double()
        .filter((v) => !Number.isNaN(v))
        .map((value) => ({ value })),
    },
    { weight: 1, arbitrary: nanBits.map((valueBits) => ({ value: Number.NaN, valueBits })) },
  );
}

const f64s = (canonicalNaN: boolean) =>
  fc.array(canonicalNaN ? fc.double({ noNaN: true }) : fc.double(), { maxLength: 5 }).map((a) => Float64Array.from(a));
const span = fc.record({
  offset: fc.integer({ min: -(2 ** 31), max: 2 ** 31 - 1 }),
  length: fc.integer({ min: 0, max: 2 ** 32 - 1 }),
});
const u64 = fc.bigInt({ min: 0n, max: 2n ** 64n - 1n });
const s64 = fc.bigInt({ min: -(2n ** 63n), max: 2n ** 63n - 1n });

function histogram(canonicalNaN: boolean): fc.Arbitrary<Histogram> {
  const common = fc.record({
    sum: valueWithBits(canonicalNaN),
    schema: fc.integer({ min: -53, max: 8 }),
    zeroThreshold: fc.double({ noNaN: true }),
    negativeSpans: fc.array(span, { maxLength: 3 }),
    positiveSpans: fc.array(span, { maxLength: 3 }),
    resetHint: fc.constantFrom<ResetHint>(0, 1, 2, 3),
    timestamp,
    customValues: f64s(canonicalNaN),
  });
  const intCounts = fc.record({
    countInt: fc.option(u64, { nil: undefined }),
    zeroCountInt: fc.option(u64, { nil: undefined }),
    negativeDeltas: fc.array(s64, { maxLength: 4 }),
    positiveDeltas: fc.array(s64, { maxLength: 4 }),
  });
  const floatCounts = fc.record({
    countFloat: fc.option(fc.double({ noNaN: true }), { nil: undefined }),
    zeroCountFloat: fc.option(fc.double({ noNaN: true }), { nil: undefined }),
    negativeCounts: f64s(canonicalNaN),
    positiveCounts: f64s(canonicalNaN),
  });
  return fc.tuple(common, fc.oneof(intCounts, floatCounts)).map(([c, counts]) => {
    const h: Record<string, unknown> = {
      sum: c.sum.value,
      schema: c.schema,
      zeroThreshold: c.zeroThreshold,
      negativeSpans: c.negativeSpans,
      negativeDeltas: [],
      negativeCounts: new Float64Array(0),
      positiveSpans: c.positiveSpans,
      positiveDeltas: [],
      positiveCounts: new Float64Array(0),
      resetHint: c.resetHint,
      timestamp: c.timestamp,
      customValues: c.customValues,
    };
    if (c.sum.valueBits !== undefined) h.sumBits = c.sum.valueBits;
    for (const [k, v] of Object.entries(counts)) if (v !== undefined) h[k] = v;
    return h as unknown as Histogram;
  });
}

function sample(canonicalNaN: boolean): fc.Arbitrary<Sample> {
  return fc.tuple(valueWithBits(canonicalNaN), timestamp).map(([v, timestamp]) => ({ ...v, timestamp }));
}

function series(canonicalNaN: boolean): fc.Arbitrary<TimeSeries> {
  return fc.record({
    labels: fc.array(label, { maxLength: 5 }),
    samples: fc.array(sample(canonicalNaN), { maxLength: 3 }),
    exemplars: fc.array(
      fc.tuple(fc.array(label, { maxLength: 2 }), sample(canonicalNaN)).map(([labels, s]) => ({ labels, ...s })),
      { maxLength: 2 },
    ),
    histograms: fc.array(histogram(canonicalNaN), { maxLength: 2 }),
  });
}

const metadata: fc.Arbitrary<MetricMetadata> = fc.record({
  type: fc.integer({ min: 0, max: 7 }).map((t) => t as MetricType),
  metricFamilyName: str,
  help: str,
  unit: str,
});

export function writeRequest(opts: { canonicalNaN?: boolean } = {}): fc.Arbitrary<WriteRequest> {
  const canonicalNaN = opts.canonicalNaN ?? false;
  return fc.record({
    timeseries: fc.array(series(canonicalNaN), { maxLength: 4 }),
    metadata: fc.array(metadata, { maxLength: 2 }),
  });
}
