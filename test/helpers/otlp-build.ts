/** Small builders of OTLP model objects for tests: only what a test names, the rest defaulted. */
import type {
  AnyValue,
  ExportMetricsServiceRequest,
  Exemplar,
  ExponentialHistogramDataPoint,
  HistogramDataPoint,
  KeyValue,
  Metric,
  MetricData,
  NumberDataPoint,
  SummaryDataPoint,
} from '../../src/otlp/model.js';
import type { Label, RequestV2 } from '../../src/wire/types.js';

/** Attributes from a record: strings, booleans, bigints (int), numbers (double). */
export function attrs(rec: Record<string, string | boolean | bigint | number | AnyValue>): KeyValue[] {
  return Object.entries(rec).map(([key, v]) => ({ key, value: anyValue(v) }));
}

export function anyValue(v: string | boolean | bigint | number | AnyValue): AnyValue {
  if (typeof v === 'string') return { kind: 'string', value: v };
  if (typeof v === 'boolean') return { kind: 'bool', value: v };
  if (typeof v === 'bigint') return { kind: 'int', value: v };
  if (typeof v === 'number') return { kind: 'double', value: v };
  return v;
}

/** Milliseconds to OTLP nanoseconds. */
export const ns = (ms: number): bigint => BigInt(ms) * 1_000_000n;

export function numberPoint(p: Partial<NumberDataPoint> & { value?: number | bigint }): NumberDataPoint {
  const { value, ...rest } = p;
  const v = typeof value === 'bigint' ? { asInt: value } : value === undefined ? {} : { asDouble: value };
  return { attributes: [], startTimeUnixNano: 0n, timeUnixNano: ns(1000), flags: 0, exemplars: [], ...v, ...rest };
}

export function histogramPoint(p: Partial<HistogramDataPoint>): HistogramDataPoint {
  return {
    attributes: [],
    startTimeUnixNano: 0n,
    timeUnixNano: ns(1000),
    flags: 0,
    count: 0,
    bucketCounts: [],
    explicitBounds: [],
    exemplars: [],
    ...p,
  };
}

export function expPoint(p: Partial<ExponentialHistogramDataPoint>): ExponentialHistogramDataPoint {
  return {
    attributes: [],
    startTimeUnixNano: 0n,
    timeUnixNano: ns(1000),
    flags: 0,
    count: 0,
    scale: 0,
    zeroCount: 0,
    positive: { offset: 0, bucketCounts: [] },
    negative: { offset: 0, bucketCounts: [] },
    exemplars: [],
    zeroThreshold: 0,
    ...p,
  };
}

export function summaryPoint(p: Partial<SummaryDataPoint>): SummaryDataPoint {
  return {
    attributes: [],
    startTimeUnixNano: 0n,
    timeUnixNano: ns(1000),
    flags: 0,
    count: 0,
    sum: 0,
    quantileValues: [],
    ...p,
  };
}

export function exemplar(p: Partial<Exemplar>): Exemplar {
  return {
    filteredAttributes: [],
    timeUnixNano: ns(1000),
    spanId: new Uint8Array(0),
    traceId: new Uint8Array(0),
    ...p,
  };
}

export const gauge = (dataPoints: NumberDataPoint[]): MetricData => ({ kind: 'gauge', dataPoints });
export const sum = (
  dataPoints: NumberDataPoint[],
  isMonotonic = true,
  aggregationTemporality: 0 | 1 | 2 = 2,
): MetricData => ({
  kind: 'sum',
  dataPoints,
  isMonotonic,
  aggregationTemporality,
});
export const histogram = (dataPoints: HistogramDataPoint[], aggregationTemporality: 0 | 1 | 2 = 2): MetricData => ({
  kind: 'histogram',
  dataPoints,
  aggregationTemporality,
});
export const expHistogram = (
  dataPoints: ExponentialHistogramDataPoint[],
  aggregationTemporality: 0 | 1 | 2 = 2,
): MetricData => ({ kind: 'exponentialHistogram', dataPoints, aggregationTemporality });
export const summary = (dataPoints: SummaryDataPoint[]): MetricData => ({ kind: 'summary', dataPoints });

export function metric(name: string, data: MetricData, unit = '', description = ''): Metric {
  return { name, description, unit, data };
}

export interface RequestShape {
  resource?: KeyValue[];
  scope?: { name?: string; version?: string; attributes?: KeyValue[]; schemaUrl?: string };
  metrics: Metric[];
}

/** One request; each shape is one resource with one scope. */
export function request(...shapes: RequestShape[]): ExportMetricsServiceRequest {
  return {
    resourceMetrics: shapes.map((s) => ({
      resource: { attributes: s.resource ?? [] },
      schemaUrl: '',
      scopeMetrics: [
        {
          scope: { name: s.scope?.name ?? '', version: s.scope?.version ?? '', attributes: s.scope?.attributes ?? [] },
          schemaUrl: s.scope?.schemaUrl ?? '',
          metrics: s.metrics,
        },
      ],
    })),
  };
}

/** A 2.0 request's series as readable objects: labels as a record, in output order. */
export function readable(req: RequestV2) {
  const lbl = (refs: readonly number[]): Record<string, string> => {
    const out: Record<string, string> = {};
    for (let i = 0; i + 1 < refs.length; i += 2) out[req.symbols[refs[i]!]!] = req.symbols[refs[i + 1]!]!;
    return out;
  };
  return req.timeseries.map((s) => ({
    labels: lbl(s.labelsRefs),
    samples: s.samples,
    histograms: s.histograms,
    exemplars: s.exemplars.map((e) => ({ labels: lbl(e.labelsRefs), value: e.value, timestamp: e.timestamp })),
    metadata: { type: s.metadata.type, help: req.symbols[s.metadata.helpRef], unit: req.symbols[s.metadata.unitRef] },
  }));
}

/** The series whose labels include all of `match`. */
export function findSeries(req: RequestV2, match: Record<string, string>) {
  return readable(req).filter((s) => Object.entries(match).every(([k, v]) => s.labels[k] === v));
}

export const labelList = (rec: Record<string, string>): Label[] =>
  Object.entries(rec).map(([name, value]) => ({ name, value }));
