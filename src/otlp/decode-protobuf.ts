/**
 * OTLP/HTTP protobuf body (`ExportMetricsServiceRequest`, decompressed) to the model in
 * model.ts, hand-written on the wire reader: unknown fields skipped, known fields with a wrong
 * wire type refused, truncation and invalid UTF-8 refused with the byte offset, and every
 * element counted against the budget before it is allocated. The points are in
 * decode-pb-points.ts, the common messages in decode-pb-common.ts.
 */
import { createReader, type ProtoReader } from '../wire/reader.js';
import { skipField } from '../wire/decode-fields.js';
import type {
  ExportMetricsServiceRequest,
  InstrumentationScope,
  KeyValue,
  Metric,
  MetricData,
  ResourceMetrics,
  ScopeMetrics,
  Temporality,
} from './model.js';
import { Budget, type Mutable, type OtlpDecodeLimits } from './decode-shared.js';
import { readResource, readScope, readTemporality, readBool } from './decode-pb-common.js';
import { readExponentialPoint, readHistogramPoint, readNumberPoint, readSummaryPoint } from './decode-pb-points.js';

const REQUEST_FIELDS = 0b10;
const RESOURCE_METRICS_FIELDS = 0b1110;
const SCOPE_METRICS_FIELDS = 0b1110;
const METRIC_FIELDS = 0b1111010101110; // 1, 2, 3, 5, 7, 9, 10, 11, 12
const GAUGE_FIELDS = 0b10;
const SUM_FIELDS = 0b1110;
const HISTOGRAM_FIELDS = 0b110;

/** Decodes a protobuf ExportMetricsServiceRequest. Throws WireError or LimitError only. */
export function decodeOtlpProtobuf(body: Uint8Array, limits: OtlpDecodeLimits): ExportMetricsServiceRequest {
  const r = createReader(body);
  const b = new Budget(limits.maxElements);
  const end = body.length;
  const resourceMetrics: ResourceMetrics[] = [];
  while (r.pos < end) {
    const t = r.tag(end);
    if (t === 10) {
      b.spend(r.pos);
      resourceMetrics.push(readResourceMetrics(r, b, r.lengthEnd(end)));
    } else skipField(r, t, end, REQUEST_FIELDS, 'ExportMetricsServiceRequest');
  }
  return { resourceMetrics };
}

function readResourceMetrics(r: ProtoReader, b: Budget, end: number): ResourceMetrics {
  const attributes: KeyValue[] = [];
  const scopeMetrics: ScopeMetrics[] = [];
  let schemaUrl = '';
  while (r.pos < end) {
    const t = r.tag(end);
    if (t === 10) readResource(r, b, r.lengthEnd(end), attributes);
    else if (t === 18) {
      b.spend(r.pos);
      scopeMetrics.push(readScopeMetrics(r, b, r.lengthEnd(end)));
    } else if (t === 26) schemaUrl = r.string(end, 'ResourceMetrics.schema_url');
    else skipField(r, t, end, RESOURCE_METRICS_FIELDS, 'ResourceMetrics');
  }
  return { resource: { attributes }, scopeMetrics, schemaUrl };
}

function readScopeMetrics(r: ProtoReader, b: Budget, end: number): ScopeMetrics {
  const scope: Mutable<InstrumentationScope> = { name: '', version: '', attributes: [] };
  const metrics: Metric[] = [];
  let schemaUrl = '';
  while (r.pos < end) {
    const t = r.tag(end);
    if (t === 10) readScope(r, b, r.lengthEnd(end), scope);
    else if (t === 18) {
      b.spend(r.pos);
      metrics.push(readMetric(r, b, r.lengthEnd(end)));
    } else if (t === 26) schemaUrl = r.string(end, 'ScopeMetrics.schema_url');
    else skipField(r, t, end, SCOPE_METRICS_FIELDS, 'ScopeMetrics');
  }
  return { scope, metrics, schemaUrl };
}

type Kind = MetricData['kind'];

/** The `data` oneof while it is read: the same member seen again merges, another replaces it. */
interface DataState {
  kind: Kind;
  points: unknown[];
  temporality: Temporality;
  monotonic: boolean;
}

const KIND_BY_TAG: Readonly<Record<number, Kind>> = {
  42: 'gauge',
  58: 'sum',
  74: 'histogram',
  82: 'exponentialHistogram',
  90: 'summary',
};

function readMetric(r: ProtoReader, b: Budget, end: number): Metric {
  let name = '';
  let description = '';
  let unit = '';
  let data: DataState = { kind: 'empty', points: [], temporality: 0, monotonic: false };
  while (r.pos < end) {
    const t = r.tag(end);
    const kind = KIND_BY_TAG[t];
    if (kind !== undefined) {
      if (data.kind !== kind) data = { kind, points: [], temporality: 0, monotonic: false };
      readData(r, b, r.lengthEnd(end), data);
    } else if (t === 10) name = r.string(end, 'Metric.name');
    else if (t === 18) description = r.string(end, 'Metric.description');
    else if (t === 26) unit = r.string(end, 'Metric.unit');
    else if (t === 98)
      r.skip(2, end); // metadata: not part of the model
    else skipField(r, t, end, METRIC_FIELDS, 'Metric');
  }
  return { name, description, unit, data: finish(data) };
}

function readData(r: ProtoReader, b: Budget, end: number, data: DataState): void {
  const kind = data.kind;
  const message = MESSAGE_NAMES[kind];
  const known = kind === 'sum' ? SUM_FIELDS : kind === 'gauge' || kind === 'summary' ? GAUGE_FIELDS : HISTOGRAM_FIELDS;
  while (r.pos < end) {
    const t = r.tag(end);
    if (t === 10) {
      b.spend(r.pos);
      const stop = r.lengthEnd(end);
      data.points.push(
        kind === 'gauge' || kind === 'sum'
          ? readNumberPoint(r, b, stop)
          : kind === 'histogram'
            ? readHistogramPoint(r, b, stop)
            : kind === 'exponentialHistogram'
              ? readExponentialPoint(r, b, stop)
              : readSummaryPoint(r, b, stop),
      );
    } else if (t === 16 && known !== GAUGE_FIELDS) data.temporality = readTemporality(r, end, message);
    else if (t === 24 && known === SUM_FIELDS) data.monotonic = readBool(r, end);
    else skipField(r, t, end, known, message);
  }
}

const MESSAGE_NAMES: Readonly<Record<Kind, string>> = {
  gauge: 'Gauge',
  sum: 'Sum',
  histogram: 'Histogram',
  exponentialHistogram: 'ExponentialHistogram',
  summary: 'Summary',
  empty: 'Metric',
};

function finish(d: DataState): MetricData {
  const aggregationTemporality = d.temporality;
  switch (d.kind) {
    case 'gauge':
      return { kind: 'gauge', dataPoints: d.points as never };
    case 'sum':
      return { kind: 'sum', dataPoints: d.points as never, aggregationTemporality, isMonotonic: d.monotonic };
    case 'histogram':
      return { kind: 'histogram', dataPoints: d.points as never, aggregationTemporality };
    case 'exponentialHistogram':
      return { kind: 'exponentialHistogram', dataPoints: d.points as never, aggregationTemporality };
    case 'summary':
      return { kind: 'summary', dataPoints: d.points as never };
    default:
      return { kind: 'empty' };
  }
}
