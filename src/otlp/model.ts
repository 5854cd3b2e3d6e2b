/**
 * The decoded OTLP metrics model (`opentelemetry.proto.collector.metrics.v1.ExportMetricsServiceRequest`,
 * OTLP 1.x), as the protobuf and JSON decoders produce it and the translator consumes it.
 * Pure data: no methods, no classes. Field names follow the proto's lowerCamelCase JSON names.
 *
 * Exactness rules:
 * - `fixed64` nanosecond timestamps are bigint (they exceed 2^53); 0n when absent.
 * - Counts (`count`, `bucketCounts`, `zeroCount`) are numbers: exact up to 2^53, which no real
 *   counter reaches; a decoder refuses larger values rather than round them.
 * - `sfixed64` integer values (`asInt`) are bigint, converted by the translator.
 * - Optional scalars the proto marks `optional` (`sum`, `min`, `max`) are undefined when absent.
 */

/** `AnyValue`: exactly one kind; `empty` when the oneof is unset. */
export type AnyValue =
  | { readonly kind: 'string'; readonly value: string }
  | { readonly kind: 'bool'; readonly value: boolean }
  | { readonly kind: 'int'; readonly value: bigint }
  | { readonly kind: 'double'; readonly value: number }
  | { readonly kind: 'bytes'; readonly value: Uint8Array }
  | { readonly kind: 'array'; readonly values: readonly AnyValue[] }
  | { readonly kind: 'kvlist'; readonly values: readonly KeyValue[] }
  | { readonly kind: 'empty' };

export interface KeyValue {
  readonly key: string;
  readonly value: AnyValue;
}

export interface Resource {
  readonly attributes: readonly KeyValue[];
}

export interface InstrumentationScope {
  readonly name: string;
  readonly version: string;
  readonly attributes: readonly KeyValue[];
}

/** AggregationTemporality: 0 unspecified, 1 delta, 2 cumulative. */
export type Temporality = 0 | 1 | 2;

export const TEMPORALITY_UNSPECIFIED = 0;
export const TEMPORALITY_DELTA = 1;
export const TEMPORALITY_CUMULATIVE = 2;

/** DataPointFlags.FLAG_NO_RECORDED_VALUE_MASK: the point marks the series as gone (stale). */
export const FLAG_NO_RECORDED_VALUE = 1;

export interface Exemplar {
  readonly filteredAttributes: readonly KeyValue[];
  readonly timeUnixNano: bigint;
  /** Exactly one of asDouble / asInt is set (the proto oneof); neither when unset. */
  readonly asDouble?: number;
  readonly asInt?: bigint;
  /** 8 bytes, or empty when absent. */
  readonly spanId: Uint8Array;
  /** 16 bytes, or empty when absent. */
  readonly traceId: Uint8Array;
}

interface PointBase {
  readonly attributes: readonly KeyValue[];
  readonly startTimeUnixNano: bigint;
  readonly timeUnixNano: bigint;
  readonly flags: number;
}

export interface NumberDataPoint extends PointBase {
  /** Exactly one of asDouble / asInt is set (the proto oneof); neither when unset. */
  readonly asDouble?: number;
  readonly asInt?: bigint;
  readonly exemplars: readonly Exemplar[];
}

export interface HistogramDataPoint extends PointBase {
  readonly count: number;
  readonly sum?: number;
  /** One more count than bounds (the last bucket is +Inf), or empty. */
  readonly bucketCounts: readonly number[];
  readonly explicitBounds: readonly number[];
  readonly exemplars: readonly Exemplar[];
  readonly min?: number;
  readonly max?: number;
}

export interface ExponentialBuckets {
  /** sint32 */
  readonly offset: number;
  readonly bucketCounts: readonly number[];
}

export interface ExponentialHistogramDataPoint extends PointBase {
  readonly count: number;
  readonly sum?: number;
  /** sint32 */
  readonly scale: number;
  readonly zeroCount: number;
  readonly positive: ExponentialBuckets;
  readonly negative: ExponentialBuckets;
  readonly exemplars: readonly Exemplar[];
  readonly min?: number;
  readonly max?: number;
  readonly zeroThreshold: number;
}

export interface ValueAtQuantile {
  readonly quantile: number;
  readonly value: number;
}

export interface SummaryDataPoint extends PointBase {
  readonly count: number;
  readonly sum: number;
  readonly quantileValues: readonly ValueAtQuantile[];
}

/** `Metric.data`: exactly one kind; `empty` when the oneof is unset. */
export type MetricData =
  | { readonly kind: 'gauge'; readonly dataPoints: readonly NumberDataPoint[] }
  | {
      readonly kind: 'sum';
      readonly dataPoints: readonly NumberDataPoint[];
      readonly aggregationTemporality: Temporality;
      readonly isMonotonic: boolean;
    }
  | {
      readonly kind: 'histogram';
      readonly dataPoints: readonly HistogramDataPoint[];
      readonly aggregationTemporality: Temporality;
    }
  | {
      readonly kind: 'exponentialHistogram';
      readonly dataPoints: readonly ExponentialHistogramDataPoint[];
      readonly aggregationTemporality: Temporality;
    }
  | { readonly kind: 'summary'; readonly dataPoints: readonly SummaryDataPoint[] }
  | { readonly kind: 'empty' };

export interface Metric {
  readonly name: string;
  readonly description: string;
  readonly unit: string;
  readonly data: MetricData;
}

export interface ScopeMetrics {
  readonly scope: InstrumentationScope;
  readonly metrics: readonly Metric[];
  readonly schemaUrl: string;
}

export interface ResourceMetrics {
  readonly resource: Resource;
  readonly scopeMetrics: readonly ScopeMetrics[];
  readonly schemaUrl: string;
}

export interface ExportMetricsServiceRequest {
  readonly resourceMetrics: readonly ResourceMetrics[];
}

/** `ExportMetricsServiceResponse.partial_success`; absent (all accepted) when both are zero/empty. */
export interface ExportPartialSuccess {
  readonly rejectedDataPoints: number;
  readonly errorMessage: string;
}
