/**
 * The OTLP bench's workload: the proxy suite's remote-write payload (2,000 series over 10
 * tenants, one float sample each, no histograms or exemplars) recorded through the OpenTelemetry
 * JS SDK as gauges, one instrument per metric name and the other labels as data-point
 * attributes, then serialised by the SDK's own OTLP serialisers (protobuf and JSON). Both bodies
 * carry the same data points as the remote-write body carries samples.
 */
import { resourceFromAttributes } from '@opentelemetry/resources';
import { JsonMetricsSerializer, ProtobufMetricsSerializer } from '@opentelemetry/otlp-transformer';
import { MeterProvider, MetricReader } from '@opentelemetry/sdk-metrics';
import type { WriteRequest } from '../../src/wire/types.js';

/** A reader that only collects on demand (the bench serialises what it collects). */
class CollectingReader extends MetricReader {
  protected async onForceFlush(): Promise<void> {}
  protected async onShutdown(): Promise<void> {}
}

export interface OtlpBodies {
  readonly protobuf: Uint8Array;
  readonly json: Uint8Array;
  /** Data points in each body. */
  readonly points: number;
}

export async function otlpBodiesFor(request: WriteRequest): Promise<OtlpBodies> {
  const reader = new CollectingReader();
  const provider = new MeterProvider({
    resource: resourceFromAttributes({ 'service.name': 'bench', 'service.instance.id': 'bench-1' }),
    readers: [reader],
  });
  const meter = provider.getMeter('tenantwire.bench', '1.0.0');
  const gauges = new Map<string, ReturnType<typeof meter.createGauge>>();
  for (const s of request.timeseries) {
    const name = s.labels.find((l) => l.name === '__name__')?.value ?? 'unnamed';
    let g = gauges.get(name);
    if (!g) gauges.set(name, (g = meter.createGauge(name)));
    const attributes = Object.fromEntries(s.labels.filter((l) => l.name !== '__name__').map((l) => [l.name, l.value]));
    for (const sample of s.samples) {
      g.record(sample.value, attributes);
    }
  }
  const { resourceMetrics, errors } = await reader.collect();
  if (errors.length > 0) throw new Error(`collecting the OTLP workload failed: ${String(errors[0])}`);
  let points = 0;
  for (const scope of resourceMetrics.scopeMetrics) for (const m of scope.metrics) points += m.dataPoints.length;
  const protobuf = ProtobufMetricsSerializer.serializeRequest(resourceMetrics);
  const json = JsonMetricsSerializer.serializeRequest(resourceMetrics);
  await provider.shutdown();
  if (!protobuf || !json) throw new Error('the SDK serialisers returned nothing');
  return { protobuf, json, points };
}
