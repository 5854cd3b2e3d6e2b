/**
 * The decoded remote-write model, 1.0 (`prometheus.WriteRequest`) and 2.0
 * (`io.prometheus.write.v2.Request`). Pure data: no methods, no classes.
 *
 * Exactness rules:
 * - Timestamps are int64 milliseconds held as `number`; a decoder refuses values outside
 *   ±(2^53-1) rather than round them.
 * - Float fields that may carry a NaN payload (sample and exemplar values, histogram sums)
 *   have a `*Bits` companion: a decoder sets it (the raw IEEE-754 bits as a bigint) exactly
 *   when the value is NaN, and an encoder writes those bits whenever the value is NaN and the
 *   companion is present. So the stale marker 0x7ff0000000000002 survives every path, even
 *   though JS engines may quiet a signalling NaN held in a plain number.
 * - Integer histogram fields that may exceed 2^53 (counts, zero counts, deltas) are bigint.
 * - Repeated doubles of histograms are Float64Array, which keeps raw bits.
 */

export interface Label {
  readonly name: string;
  readonly value: string;
}

export interface Sample {
  readonly value: number;
  readonly timestamp: number;
  /** Raw bits of `value` when it is NaN (see the exactness rules). */
  readonly valueBits?: bigint;
}

export interface Exemplar {
  readonly labels: readonly Label[];
  readonly value: number;
  readonly timestamp: number;
  readonly valueBits?: bigint;
}

export interface BucketSpan {
  /** sint32 */
  readonly offset: number;
  /** uint32 */
  readonly length: number;
}

/** 0 unknown, 1 yes, 2 no, 3 gauge. */
export type ResetHint = 0 | 1 | 2 | 3;

export interface Histogram {
  /** Exactly one of countInt / countFloat is set (the proto oneof). */
  readonly countInt?: bigint;
  readonly countFloat?: number;
  readonly sum: number;
  readonly sumBits?: bigint;
  /** sint32 */
  readonly schema: number;
  readonly zeroThreshold: number;
  /** Exactly one of zeroCountInt / zeroCountFloat is set (the proto oneof). */
  readonly zeroCountInt?: bigint;
  readonly zeroCountFloat?: number;
  readonly negativeSpans: readonly BucketSpan[];
  /** sint64 deltas of an integer histogram */
  readonly negativeDeltas: readonly bigint[];
  /** absolute counts of a float histogram */
  readonly negativeCounts: Float64Array;
  readonly positiveSpans: readonly BucketSpan[];
  readonly positiveDeltas: readonly bigint[];
  readonly positiveCounts: Float64Array;
  readonly resetHint: ResetHint;
  readonly timestamp: number;
  /** custom bucket boundaries (schema -53) */
  readonly customValues: Float64Array;
}

export interface TimeSeries {
  readonly labels: readonly Label[];
  readonly samples: readonly Sample[];
  readonly exemplars: readonly Exemplar[];
  readonly histograms: readonly Histogram[];
}

/** 0 unknown, 1 counter, 2 gauge, 3 histogram, 4 gaugehistogram, 5 summary, 6 info, 7 stateset. */
export type MetricType = 0 | 1 | 2 | 3 | 4 | 5 | 6 | 7;

export interface MetricMetadata {
  readonly type: MetricType;
  readonly metricFamilyName: string;
  readonly help: string;
  readonly unit: string;
}

export interface WriteRequest {
  readonly timeseries: readonly TimeSeries[];
  readonly metadata: readonly MetricMetadata[];
}

// ---- remote-write 2.0 -------------------------------------------------------------------

export interface SampleV2 extends Sample {
  /** start_timestamp (field 3); 0 when absent */
  readonly startTimestamp: number;
}

export interface ExemplarV2 {
  /** pairs of symbol refs: name, value, name, value, ... */
  readonly labelsRefs: readonly number[];
  readonly value: number;
  readonly timestamp: number;
  readonly valueBits?: bigint;
}

export interface HistogramV2 extends Histogram {
  /** start_timestamp (field 17); 0 when absent */
  readonly startTimestamp: number;
}

export interface MetadataV2 {
  readonly type: MetricType;
  readonly helpRef: number;
  readonly unitRef: number;
}

export interface TimeSeriesV2 {
  /** pairs of symbol refs: name, value, name, value, ... */
  readonly labelsRefs: readonly number[];
  readonly samples: readonly SampleV2[];
  readonly histograms: readonly HistogramV2[];
  readonly exemplars: readonly ExemplarV2[];
  readonly metadata: MetadataV2;
}

export interface RequestV2 {
  /** symbols[0] is always "" */
  readonly symbols: readonly string[];
  readonly timeseries: readonly TimeSeriesV2[];
}

export type ProtocolVersion = '1.0' | '2.0';

/** Limits every decoder honours; the defaults follow Prometheus. */
export interface WireLimits {
  /** Largest declared snappy decoded length accepted (bytes). Default 32 MiB. */
  readonly maxDecodedBytes: number;
  /**
   * Most elements (series, labels, samples, exemplars, histograms, spans, deltas, symbols,
   * metadata) one request may decode to. Bounds memory against bodies built to amplify: a
   * 1.5 MB snappy body of empty series would otherwise become 16 M objects. Default 2,000,000.
   */
  readonly maxElements?: number;
}

export const MIB = 1024 * 1024;

/**
 * The decode limits every receive path starts from (the cortex-tenant file, receive_http,
 * Loki pushes): the one place these numbers are written.
 */
export const DEFAULT_WIRE_LIMITS: WireLimits & { readonly maxElements: number } = {
  maxDecodedBytes: 32 * MIB,
  maxElements: 2_000_000,
};

/** Largest compressed request body by default (413 past it); as large as the decoded bound. */
export const DEFAULT_MAX_REQUEST_BYTES = 32 * MIB;

/** The stale marker's bits (Prometheus `value.StaleNaN`). */
export const STALE_NAN_BITS = 0x7ff0000000000002n;
