/**
 * OTLP/JSON body (`ExportMetricsServiceRequest` in the OTLP/JSON encoding of the OTLP
 * specification) to the model in model.ts. The bytes are strict UTF-8 and parsed with
 * JSON.parse (the caller bounds the body size; V8's parser does not recurse, so deep nesting
 * cannot exhaust the stack), then walked with the same element budget as the protobuf decoder.
 * Unknown fields are ignored, as the specification requires; missing fields take their
 * defaults; a wrong type is a WireError naming the JSON path. Points are in json-points.ts,
 * attributes and AnyValue in json-values.ts, scalars in json-scalars.ts.
 */
import type { ExportMetricsServiceRequest, Metric, MetricData, ResourceMetrics, ScopeMetrics } from './model.js';
import { Budget, type OtlpDecodeLimits } from './decode-shared.js';
import { badValue, otlpError } from './otlp-errors.js';
import { asArray, asBool, asObject, asString, asTemporality, get, isObject, type JsonObject } from './json-scalars.js';
import { readResource, readScope } from './json-values.js';
import { readExponentialPoint, readHistogramPoint, readNumberPoint, readSummaryPoint } from './json-points.js';

const utf8 = new TextDecoder('utf-8', { fatal: true });

/** Decodes an OTLP/JSON body. Throws WireError or LimitError only. */
export function decodeOtlpJson(body: Uint8Array, limits: OtlpDecodeLimits): ExportMetricsServiceRequest {
  let text: string;
  try {
    text = utf8.decode(body);
  } catch {
    throw otlpError('invalid_utf8', 'OTLP/JSON body is not valid UTF-8');
  }
  let root: unknown;
  try {
    root = JSON.parse(text);
  } catch (e) {
    const why = e instanceof Error ? e.message : String(e);
    throw otlpError('bad_json', `OTLP/JSON body does not parse: ${why.slice(0, 200)}`);
  }
  if (!isObject(root)) throw otlpError('bad_json', 'OTLP/JSON body is not a JSON object');
  const b = new Budget(limits.maxElements);
  const list = asArray(get(root, 'resourceMetrics'), 'resourceMetrics');
  const resourceMetrics: ResourceMetrics[] = [];
  for (let i = 0; i < list.length; i++) {
    const path = `resourceMetrics[${i}]`;
    b.spend(path);
    resourceMetrics.push(readResourceMetrics(asObject(list[i], path), b, path));
  }
  return { resourceMetrics };
}

function readResourceMetrics(o: JsonObject, b: Budget, path: string): ResourceMetrics {
  const attributes = readResource(get(o, 'resource'), b, `${path}.resource`);
  const list = asArray(get(o, 'scopeMetrics'), `${path}.scopeMetrics`);
  const scopeMetrics: ScopeMetrics[] = [];
  for (let i = 0; i < list.length; i++) {
    const at = `${path}.scopeMetrics[${i}]`;
    b.spend(at);
    scopeMetrics.push(readScopeMetrics(asObject(list[i], at), b, at));
  }
  return { resource: { attributes }, scopeMetrics, schemaUrl: asString(get(o, 'schemaUrl'), `${path}.schemaUrl`) };
}

function readScopeMetrics(o: JsonObject, b: Budget, path: string): ScopeMetrics {
  const scope = readScope(get(o, 'scope'), b, `${path}.scope`);
  const list = asArray(get(o, 'metrics'), `${path}.metrics`);
  const metrics: Metric[] = [];
  for (let i = 0; i < list.length; i++) {
    const at = `${path}.metrics[${i}]`;
    b.spend(at);
    metrics.push(readMetric(asObject(list[i], at), b, at));
  }
  return { scope, metrics, schemaUrl: asString(get(o, 'schemaUrl'), `${path}.schemaUrl`) };
}

const DATA_KINDS = ['gauge', 'sum', 'histogram', 'exponentialHistogram', 'summary'] as const;

function readMetric(o: JsonObject, b: Budget, path: string): Metric {
  const name = asString(get(o, 'name'), `${path}.name`);
  const description = asString(get(o, 'description'), `${path}.description`);
  const unit = asString(get(o, 'unit'), `${path}.unit`);
  let kind: (typeof DATA_KINDS)[number] | undefined;
  for (const k of DATA_KINDS) {
    if (get(o, k) === undefined) continue;
    if (kind !== undefined) throw badValue(path, `one of ${DATA_KINDS.join(', ')}, not both ${kind} and ${k}`);
    kind = k;
  }
  return { name, description, unit, data: kind === undefined ? { kind: 'empty' } : readData(o, kind, b, path) };
}

function readData(m: JsonObject, kind: (typeof DATA_KINDS)[number], b: Budget, metricPath: string): MetricData {
  const path = `${metricPath}.${kind}`;
  const o = asObject(get(m, kind), path);
  const list = asArray(get(o, 'dataPoints'), `${path}.dataPoints`);
  const points = <T>(read: (p: JsonObject, b: Budget, at: string) => T): T[] => {
    const out: T[] = [];
    for (let i = 0; i < list.length; i++) {
      const at = `${path}.dataPoints[${i}]`;
      b.spend(at);
      out.push(read(asObject(list[i], at), b, at));
    }
    return out;
  };
  const temporality = () => asTemporality(get(o, 'aggregationTemporality'), `${path}.aggregationTemporality`);
  switch (kind) {
    case 'gauge':
      return { kind, dataPoints: points(readNumberPoint) };
    case 'sum':
      return {
        kind,
        dataPoints: points(readNumberPoint),
        aggregationTemporality: temporality(),
        isMonotonic: asBool(get(o, 'isMonotonic'), `${path}.isMonotonic`),
      };
    case 'histogram':
      return { kind, dataPoints: points(readHistogramPoint), aggregationTemporality: temporality() };
    case 'exponentialHistogram':
      return { kind, dataPoints: points(readExponentialPoint), aggregationTemporality: temporality() };
    case 'summary':
      return { kind, dataPoints: points(readSummaryPoint) };
  }
}
