/**
 * Hand-built OTLP metrics exports for tests: an OTLP/JSON document (proto3 JSON mapping, as
 * senders write it) and the same message as protobuf, encoded by protobufjs from the .proto
 * files in proto/opentelemetry (an encoder independent of ours).
 */
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import protobuf from 'protobufjs';
import { repoRoot } from './peers.js';

export interface PointSpec {
  readonly value: number;
  readonly attrs?: Readonly<Record<string, string>>;
  /** Unix milliseconds; default: now. */
  readonly timeMs?: number;
}

export interface MetricSpec {
  readonly name: string;
  readonly kind: 'gauge' | 'counter' | 'delta_counter';
  readonly unit?: string;
  readonly points: readonly PointSpec[];
}

export interface ResourceSpec {
  readonly attrs: Readonly<Record<string, string>>;
  readonly metrics: readonly MetricSpec[];
}

const attributes = (attrs: Readonly<Record<string, string>> = {}) =>
  Object.entries(attrs).map(([key, v]) => ({ key, value: { stringValue: v } }));

const nanos = (ms: number) => `${BigInt(Math.round(ms)) * 1_000_000n}`;

function metricJson(m: MetricSpec, nowMs: number): Record<string, unknown> {
  const dataPoints = m.points.map((p) => ({
    attributes: attributes(p.attrs),
    startTimeUnixNano: nanos((p.timeMs ?? nowMs) - 60_000),
    timeUnixNano: nanos(p.timeMs ?? nowMs),
    asDouble: p.value,
  }));
  const base = { name: m.name, ...(m.unit ? { unit: m.unit } : {}) };
  if (m.kind === 'gauge') return { ...base, gauge: { dataPoints } };
  const temporality = m.kind === 'counter' ? 2 : 1;
  return { ...base, sum: { dataPoints, aggregationTemporality: temporality, isMonotonic: true } };
}

/** An ExportMetricsServiceRequest as OTLP/JSON's object. */
export function otlpExport(resources: readonly ResourceSpec[], nowMs = Date.now()): Record<string, unknown> {
  return {
    resourceMetrics: resources.map((r) => ({
      resource: { attributes: attributes(r.attrs) },
      scopeMetrics: [{ scope: { name: 'tenantwire-test' }, metrics: r.metrics.map((m) => metricJson(m, nowMs)) }],
    })),
  };
}

let requestType: protobuf.Type | undefined;

function exportType(): protobuf.Type {
  if (requestType) return requestType;
  const root = new protobuf.Root();
  // The protos import each other by their path under proto/.
  root.resolvePath = (_origin, target) => join(repoRoot, 'proto', target);
  root.loadSync('opentelemetry/proto/collector/metrics/v1/metrics_service.proto');
  requestType = root.lookupType('opentelemetry.proto.collector.metrics.v1.ExportMetricsServiceRequest');
  return requestType;
}

/** The OTLP/JSON object as protobuf bytes. */
export function otlpProtobuf(doc: Record<string, unknown>): Uint8Array {
  const type = exportType();
  return type.encode(type.fromObject(doc)).finish();
}

export function otlpJsonBytes(doc: Record<string, unknown>): Uint8Array {
  return new TextEncoder().encode(JSON.stringify(doc));
}

export const gzip = (bytes: Uint8Array): Uint8Array => new Uint8Array(gzipSync(bytes));

/** ExportMetricsServiceResponse and google.rpc.Status, to read answers. */
const answers = protobuf.parse(`
  syntax = "proto3";
  message ExportMetricsPartialSuccess { int64 rejected_data_points = 1; string error_message = 2; }
  message ExportMetricsServiceResponse { ExportMetricsPartialSuccess partial_success = 1; }
  message Status { int32 code = 1; string message = 2; }
`).root;

export function readExportResponse(bytes: Uint8Array): { rejectedDataPoints: number; errorMessage: string } {
  const t = answers.lookupType('ExportMetricsServiceResponse');
  const o = t.toObject(t.decode(bytes), { longs: Number, defaults: true }) as {
    partialSuccess?: { rejectedDataPoints: number; errorMessage: string };
  };
  return o.partialSuccess ?? { rejectedDataPoints: 0, errorMessage: '' };
}

export function readStatus(bytes: Uint8Array): { code: number; message: string } {
  const t = answers.lookupType('Status');
  return t.toObject(t.decode(bytes), { defaults: true }) as { code: number; message: string };
}
