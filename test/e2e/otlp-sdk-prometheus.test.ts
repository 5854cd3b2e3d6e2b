/**
 * OTLP end to end with a real client and real receivers: two services instrumented with the
 * OpenTelemetry JS SDK (one exporting OTLP/HTTP protobuf, the other OTLP/HTTP JSON), each with a
 * resource attribute `tenant`, export counters, up-down counters, gauges, explicit and
 * exponential histograms into tenantwire's `POST /v1/metrics`. tenantwire promotes `tenant` to a
 * label, splits by it and forwards remote write 1.0 to Debian's Prometheus 2.42, one receiver per
 * tenant (native histograms on). Each receiver must hold exactly its tenant's series, with
 * Prometheus's names (unit and type suffixes), `job`/`instance` from the resource, the scope
 * labels, and the values recorded.
 */
import { ExportResultCode, type ExportResult } from '@opentelemetry/core';
import { OTLPMetricExporter as JsonExporter } from '@opentelemetry/exporter-metrics-otlp-http';
import { OTLPMetricExporter as ProtoExporter } from '@opentelemetry/exporter-metrics-otlp-proto';
import { resourceFromAttributes } from '@opentelemetry/resources';
import {
  AggregationType,
  MeterProvider,
  PeriodicExportingMetricReader,
  type PushMetricExporter,
  type ResourceMetrics,
} from '@opentelemetry/sdk-metrics';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eventually } from '../helpers/eventually.js';
import { tempDir } from '../helpers/peers.js';
import { startTenantReceivers, type TenantReceivers } from '../helpers/prometheus-receivers.js';
import { startProxyCli, type TenantwireProcess } from '../helpers/tenantwire-process.js';

const tmp = tempDir('e2e-otlp-sdk');
let receivers: TenantReceivers | undefined;
let tw: TenantwireProcess | undefined;
let port = 0;

/** Delegates to the SDK's exporter and keeps every export's result, so a refused export fails the test. */
function recording(inner: PushMetricExporter): PushMetricExporter & { results: ExportResult[] } {
  const results: ExportResult[] = [];
  return {
    results,
    export(m: ResourceMetrics, done: (r: ExportResult) => void) {
      inner.export(m, (r) => {
        results.push(r);
        done(r);
      });
    },
    forceFlush: () => inner.forceFlush(),
    shutdown: () => inner.shutdown(),
  };
}

async function exportFrom(service: string, tenant: string, format: 'protobuf' | 'json'): Promise<ExportResult[]> {
  const url = `http://127.0.0.1:${port}/v1/metrics`;
  const exporter = recording(format === 'protobuf' ? new ProtoExporter({ url }) : new JsonExporter({ url }));
  const reader = new PeriodicExportingMetricReader({ exporter, exportIntervalMillis: 3_600_000 });
  const provider = new MeterProvider({
    resource: resourceFromAttributes({
      'service.name': service,
      'service.instance.id': `${service}-1`,
      tenant,
      'deployment.environment': 'e2e',
    }),
    readers: [reader],
    views: [{ instrumentName: 'payload.size', aggregation: { type: AggregationType.EXPONENTIAL_HISTOGRAM } }],
  });
  const meter = provider.getMeter('e2e.meter', '1.2.3');
  meter.createCounter('http.requests').add(5, { route: '/a' });
  meter.createUpDownCounter('queue.depth').add(-3);
  meter.createGauge('memory.used', { unit: 'By' }).record(2048);
  const duration = meter.createHistogram('request.duration', {
    unit: 's',
    advice: { explicitBucketBoundaries: [0.1, 1, 10] },
  });
  for (const v of [0.05, 0.5, 0.7, 5]) duration.record(v);
  const size = meter.createHistogram('payload.size', { unit: 'By' });
  for (const v of [100, 200, 400, 800]) size.record(v);
  await provider.forceFlush();
  await provider.shutdown();
  return exporter.results;
}

beforeAll(async () => {
  receivers = await startTenantReceivers(['team-a', 'team-b'], tmp.path, 'x-scope-orgid', [
    '--enable-feature=native-histograms',
  ]);
  ({ tw, port } = await startProxyCli(tmp.path, receivers.url, [
    'tenant:',
    '  label: tenant',
    '  label_remove: true',
    'otlp:',
    '  promote_resource_attributes: [tenant]',
  ]));
}, 60_000);

afterAll(async () => {
  await tw?.stop();
  await receivers?.stop();
  tmp.remove();
});

describe('OpenTelemetry SDK -> tenantwire /v1/metrics -> Prometheus 2.42 per tenant', () => {
  it('both exporters succeed', async () => {
    const a = await exportFrom('svc-a', 'team-a', 'protobuf');
    const b = await exportFrom('svc-b', 'team-b', 'json');
    // forceFlush exports, and shutdown exports the cumulative state once more.
    for (const results of [a, b]) {
      expect(results.length).toBeGreaterThan(0);
      expect(results.map((r) => r.code)).toEqual(results.map(() => ExportResultCode.SUCCESS));
    }
  });

  it.each([
    ['team-a', 'svc-a', 'team-b'],
    ['team-b', 'svc-b', 'team-a'],
  ])('%s holds its own series under Prometheus names and values', async (tenant, job, other) => {
    const r = receivers!;
    const one = async (q: string) => {
      const res = await eventually(async () => ((await r.query(tenant, q)).length > 0 ? r.query(tenant, q) : false), {
        timeoutMs: 20_000,
        message: `${q} in ${tenant}`,
      });
      return res;
    };
    // Counter: monotonic cumulative sum, `_total` added; job and instance from the resource.
    const [counter] = await one('http_requests_total');
    expect(counter!.metric).toMatchObject({
      job,
      instance: `${job}-1`,
      route: '/a',
      otel_scope_name: 'e2e.meter',
      otel_scope_version: '1.2.3',
    });
    expect(counter!.metric.tenant).toBeUndefined();
    expect(counter!.value[1]).toBe('5');
    // Up-down counter: a non-monotonic sum is a gauge, no suffix.
    expect((await one('queue_depth'))[0]!.value[1]).toBe('-3');
    // Gauge with unit By: `_bytes`.
    expect((await one('memory_used_bytes'))[0]!.value[1]).toBe('2048');
    // Explicit histogram: classic cumulative buckets, _sum and _count; unit s: `_seconds`.
    const buckets = await one('request_duration_seconds_bucket');
    const byLe = Object.fromEntries(buckets.map((s) => [s.metric.le, s.value[1]]));
    expect(byLe).toEqual({ '0.1': '1', '1': '3', '10': '4', '+Inf': '4' });
    expect((await one('request_duration_seconds_count'))[0]!.value[1]).toBe('4');
    expect(Number((await one('request_duration_seconds_sum'))[0]!.value[1])).toBeCloseTo(6.25);
    // Exponential histogram: a native histogram.
    expect((await one('histogram_count(payload_size_bytes)'))[0]!.value[1]).toBe('4');
    expect((await one('histogram_sum(payload_size_bytes)'))[0]!.value[1]).toBe('1500');
    // The resource's other attributes on target_info.
    const [info] = await one('target_info');
    expect(info!.metric).toMatchObject({ job, instance: `${job}-1`, deployment_environment: 'e2e' });
    // Nothing of the other tenant's service.
    expect(await r.query(tenant, `{job="${other === 'team-a' ? 'svc-a' : 'svc-b'}"}`)).toEqual([]);
  });
});
