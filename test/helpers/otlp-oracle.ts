/**
 * The OTLP .proto files in proto/ loaded with protobufjs as the oracle for the hand-written
 * decoder, and two encoders of the model for tests: to protobufjs objects (encoded by
 * protobufjs) and to OTLP/JSON (camelCase, 64-bit integers as decimal strings, hex trace and span
 * ids, base64 bytes), as the OTLP specification writes them.
 */
import { join } from 'node:path';
import protobuf from 'protobufjs';
import type {
  AnyValue,
  Exemplar,
  ExportMetricsServiceRequest,
  KeyValue,
  Metric,
  MetricData,
} from '../../src/otlp/model.js';
import { repoRoot } from './peers.js';

const root = new protobuf.Root();
root.resolvePath = (_origin, target) => join(repoRoot, 'proto', target);
root.loadSync('opentelemetry/proto/collector/metrics/v1/metrics_service.proto');
root.resolveAll();

export const PbExportRequest = root.lookupType('opentelemetry.proto.collector.metrics.v1.ExportMetricsServiceRequest');
export const PbMetric = root.lookupType('opentelemetry.proto.metrics.v1.Metric');
export const PbNumberDataPoint = root.lookupType('opentelemetry.proto.metrics.v1.NumberDataPoint');

type Obj = Record<string, unknown>;
/** How the two encoders differ: protobufjs wants bytes as Uint8Array, OTLP/JSON as text. */
interface Style {
  long(v: bigint): unknown;
  bytes(v: Uint8Array): unknown;
  id(v: Uint8Array): unknown;
}

const PB: Style = { long: (v) => v.toString(), bytes: (v) => v, id: (v) => v };
const JSON_STYLE: Style = {
  long: (v) => v.toString(),
  bytes: (v) => Buffer.from(v).toString('base64'),
  id: (v) => Buffer.from(v).toString('hex'),
};

function anyValue(v: AnyValue, s: Style): Obj {
  switch (v.kind) {
    case 'string':
      return { stringValue: v.value };
    case 'bool':
      return { boolValue: v.value };
    case 'int':
      return { intValue: s.long(v.value) };
    case 'double':
      return { doubleValue: dbl(v.value, s) };
    case 'bytes':
      return { bytesValue: s.bytes(v.value) };
    case 'array':
      return { arrayValue: { values: v.values.map((x) => anyValue(x, s)) } };
    case 'kvlist':
      return { kvlistValue: { values: attrs(v.values, s) } };
    default:
      return {};
  }
}

/** OTLP/JSON writes non-finite doubles as strings, as protojson does. */
function dbl(v: number, s: Style): unknown {
  if (s === PB || Number.isFinite(v)) return v;
  return Number.isNaN(v) ? 'NaN' : v > 0 ? 'Infinity' : '-Infinity';
}

function attrs(list: readonly KeyValue[], s: Style): Obj[] {
  return list.map((kv) => ({ key: kv.key, value: anyValue(kv.value, s) }));
}

function exemplar(e: Exemplar, s: Style): Obj {
  const o: Obj = {
    filteredAttributes: attrs(e.filteredAttributes, s),
    timeUnixNano: s.long(e.timeUnixNano),
    spanId: s.id(e.spanId),
    traceId: s.id(e.traceId),
  };
  if (e.asDouble !== undefined) o.asDouble = dbl(e.asDouble, s);
  if (e.asInt !== undefined) o.asInt = s.long(e.asInt);
  return o;
}

function point(p: Obj, s: Style): Obj {
  const o: Obj = {};
  for (const [k, v] of Object.entries(p)) {
    if (k === 'attributes') o[k] = attrs(v as KeyValue[], s);
    else if (k === 'exemplars') o[k] = (v as Exemplar[]).map((e) => exemplar(e, s));
    else if (typeof v === 'bigint') o[k] = s.long(v);
    else if (typeof v === 'number' && k !== 'flags' && k !== 'scale')
      o[k] = k === 'count' || k === 'zeroCount' ? s.long(BigInt(v)) : dbl(v, s);
    else if (k === 'bucketCounts') o[k] = (v as number[]).map((c) => s.long(BigInt(c)));
    else if (k === 'explicitBounds') o[k] = (v as number[]).map((c) => dbl(c, s));
    else if (k === 'positive' || k === 'negative') {
      const bk = v as { offset: number; bucketCounts: number[] };
      o[k] = { offset: bk.offset, bucketCounts: bk.bucketCounts.map((c) => s.long(BigInt(c))) };
    } else if (k === 'quantileValues') {
      o[k] = (v as { quantile: number; value: number }[]).map((q) => ({
        quantile: dbl(q.quantile, s),
        value: dbl(q.value, s),
      }));
    } else o[k] = v;
  }
  return o;
}

function data(d: MetricData, s: Style): Obj {
  if (d.kind === 'empty') return {};
  const { kind, dataPoints, ...rest } = d as Exclude<MetricData, { kind: 'empty' }>;
  return { [kind]: { ...rest, dataPoints: (dataPoints as unknown as Obj[]).map((p) => point(p, s)) } };
}

function metric(m: Metric, s: Style): Obj {
  return { name: m.name, description: m.description, unit: m.unit, ...data(m.data, s) };
}

function request(req: ExportMetricsServiceRequest, s: Style): Obj {
  return {
    resourceMetrics: req.resourceMetrics.map((rm) => ({
      resource: { attributes: attrs(rm.resource.attributes, s) },
      schemaUrl: rm.schemaUrl,
      scopeMetrics: rm.scopeMetrics.map((sm) => ({
        scope: { name: sm.scope.name, version: sm.scope.version, attributes: attrs(sm.scope.attributes, s) },
        schemaUrl: sm.schemaUrl,
        metrics: sm.metrics.map((m) => metric(m, s)),
      })),
    })),
  };
}

/** The request encoded by protobufjs. */
export function encodeWithProtobufjs(req: ExportMetricsServiceRequest): Uint8Array {
  return PbExportRequest.encode(PbExportRequest.fromObject(request(req, PB))).finish();
}

/** The request as an OTLP/JSON object (JSON.stringify it for a body). */
export function toOtlpJson(req: ExportMetricsServiceRequest): Obj {
  return request(req, JSON_STYLE);
}
