/**
 * Seeded random OTLP metrics requests in the decoded model's canonical form (what a decoder
 * returns for their encoding): every metric kind, every AnyValue kind nested a few levels,
 * optional fields present and absent, the value oneof set or not, full-range 64-bit integers.
 */
import type {
  AnyValue,
  Exemplar,
  ExponentialBuckets,
  ExportMetricsServiceRequest,
  KeyValue,
  Metric,
  MetricData,
  Temporality,
} from '../../src/otlp/model.js';

/** mulberry32: small, fast, seeded. */
export function createRandom(seed: number) {
  let a = seed >>> 0;
  const next = () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  const int = (n: number) => Math.floor(next() * n);
  const u64 = () => (BigInt(int(0x100000000)) << 32n) | BigInt(int(0x100000000));
  return {
    next,
    int,
    bool: () => next() < 0.5,
    u64,
    i64: () => BigInt.asIntN(64, u64()),
    count: () => (int(4) === 0 ? Number.MAX_SAFE_INTEGER - int(10) : int(1000)),
    double: () => [0, -1.5, 1e300, Number.NaN, Number.POSITIVE_INFINITY, next() * 1e6 - 5e5][int(6)]!,
    string: () => ['', 'a', 'service.name', 'ünï©ødé ✓', 'x'.repeat(int(300))][int(5)]!,
    bytes: (n: number) => Uint8Array.from({ length: n }, () => int(256)),
    pick: <T>(xs: readonly T[]): T => xs[int(xs.length)]!,
  };
}
type Rnd = ReturnType<typeof createRandom>;

function anyValue(r: Rnd, depth: number): AnyValue {
  const kinds = depth >= 3 ? 6 : 8;
  switch (r.int(kinds)) {
    case 0:
      return { kind: 'string', value: r.string() };
    case 1:
      return { kind: 'bool', value: r.bool() };
    case 2:
      return { kind: 'int', value: r.i64() };
    case 3:
      return { kind: 'double', value: r.double() };
    case 4:
      return { kind: 'bytes', value: r.bytes(r.int(5)) };
    case 5:
      return { kind: 'empty' };
    case 6:
      return { kind: 'array', values: Array.from({ length: r.int(3) }, () => anyValue(r, depth + 1)) };
    default:
      return { kind: 'kvlist', values: attributes(r, depth + 1) };
  }
}

export function attributes(r: Rnd, depth = 1): KeyValue[] {
  return Array.from({ length: r.int(3) }, () => ({ key: r.string(), value: anyValue(r, depth) }));
}

function value(r: Rnd): { asDouble?: number; asInt?: bigint } {
  const k = r.int(3);
  return k === 0 ? { asDouble: r.double() } : k === 1 ? { asInt: r.i64() } : {};
}

function exemplars(r: Rnd): Exemplar[] {
  return Array.from({ length: r.int(2) }, () => ({
    filteredAttributes: attributes(r),
    timeUnixNano: r.u64(),
    spanId: r.bytes(r.bool() ? 8 : 0),
    traceId: r.bytes(r.bool() ? 16 : 0),
    ...value(r),
  }));
}

function base(r: Rnd) {
  return { attributes: attributes(r), startTimeUnixNano: r.u64(), timeUnixNano: r.u64(), flags: r.int(2) };
}

function optionals(r: Rnd): { sum?: number; min?: number; max?: number } {
  const o: { sum?: number; min?: number; max?: number } = {};
  if (r.bool()) o.sum = r.double();
  if (r.bool()) o.min = r.double();
  if (r.bool()) o.max = r.double();
  return o;
}

function buckets(r: Rnd): ExponentialBuckets {
  return { offset: r.int(200) - 100, bucketCounts: Array.from({ length: r.int(4) }, () => r.count()) };
}

function points<T>(r: Rnd, make: () => T): T[] {
  return Array.from({ length: r.int(3) }, make);
}

function data(r: Rnd): MetricData {
  const temporality = r.int(3) as Temporality;
  switch (r.int(6)) {
    case 0:
      return { kind: 'gauge', dataPoints: points(r, () => ({ ...base(r), ...value(r), exemplars: exemplars(r) })) };
    case 1:
      return {
        kind: 'sum',
        dataPoints: points(r, () => ({ ...base(r), ...value(r), exemplars: exemplars(r) })),
        aggregationTemporality: temporality,
        isMonotonic: r.bool(),
      };
    case 2:
      return {
        kind: 'histogram',
        aggregationTemporality: temporality,
        dataPoints: points(r, () => {
          const n = r.int(4);
          return {
            ...base(r),
            count: r.count(),
            bucketCounts: Array.from({ length: n === 0 ? 0 : n + 1 }, () => r.count()),
            explicitBounds: Array.from({ length: n }, () => r.double()),
            exemplars: exemplars(r),
            ...optionals(r),
          };
        }),
      };
    case 3:
      return {
        kind: 'exponentialHistogram',
        aggregationTemporality: temporality,
        dataPoints: points(r, () => ({
          ...base(r),
          count: r.count(),
          scale: r.int(40) - 20,
          zeroCount: r.count(),
          positive: buckets(r),
          negative: buckets(r),
          exemplars: exemplars(r),
          zeroThreshold: r.double(),
          ...optionals(r),
        })),
      };
    case 4:
      return {
        kind: 'summary',
        dataPoints: points(r, () => ({
          ...base(r),
          count: r.count(),
          sum: r.double(),
          quantileValues: Array.from({ length: r.int(3) }, () => ({ quantile: r.next(), value: r.double() })),
        })),
      };
    default:
      return { kind: 'empty' };
  }
}

function metric(r: Rnd): Metric {
  return { name: r.string(), description: r.string(), unit: r.pick(['', 's', 'By', '1']), data: data(r) };
}

export function randomRequest(r: Rnd): ExportMetricsServiceRequest {
  return {
    resourceMetrics: Array.from({ length: r.int(3) }, () => ({
      resource: { attributes: attributes(r) },
      schemaUrl: r.pick(['', 'https://opentelemetry.io/schemas/1.21.0']),
      scopeMetrics: Array.from({ length: r.int(3) }, () => ({
        scope: { name: r.string(), version: r.pick(['', '1.2.3']), attributes: attributes(r) },
        schemaUrl: '',
        metrics: Array.from({ length: r.int(4) }, () => metric(r)),
      })),
    })),
  };
}
