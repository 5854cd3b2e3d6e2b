import { Counter, Histogram, type Registry } from 'prom-client';

/**
 * cortex-tenant's `cortex_tenant_streams_*` metrics for the Loki push path, on the proxy's
 * registry (names, help and buckets as cortex-tenant has them, so its dashboards keep working).
 * The duration histogram really is in milliseconds.
 */
export interface LokiMetrics {
  readonly batchesReceived: Counter;
  readonly batchesReceivedBytes: Histogram;
  readonly streamsReceived: Counter<'tenant'>;
  readonly requestDurationMs: Histogram<'code' | 'tenant'>;
  readonly requestErrors: Counter<'tenant'>;
  readonly requests: Counter<'tenant'>;
  /** Pushes answered, by HTTP status. */
  readonly answers: Counter<'code'>;
  tenantLabel(tenant: string): string;
}

export function createLokiMetrics(options: {
  readonly registry: Registry;
  readonly includeTenant: boolean;
}): LokiMetrics {
  const registers = [options.registry];
  return {
    batchesReceived: new Counter({
      name: 'cortex_tenant_streams_batches_received',
      help: 'The total number of streams batches received.',
      registers,
    }),
    batchesReceivedBytes: new Histogram({
      name: 'cortex_tenant_streams_batches_received_bytes',
      help: 'Size in bytes of streams batches received.',
      buckets: [0.5, 1, 10, 25, 100, 250, 500, 1000, 5000, 10000, 30000, 300000, 600000, 1800000, 3600000],
      registers,
    }),
    streamsReceived: new Counter({
      name: 'cortex_tenant_streams_received',
      help: 'The total number of streams received.',
      labelNames: ['tenant'],
      registers,
    }),
    requestDurationMs: new Histogram({
      name: 'cortex_tenant_streams_request_duration_milliseconds',
      help: 'HTTP write request duration for tenant-specific streams in milliseconds, filtered by response code.',
      buckets: [0.5, 1, 5, 10, 25, 50, 100, 250, 500, 1000, 2500, 5000, 10000, 30000, 60000, 1800000, 3600000],
      labelNames: ['code', 'tenant'],
      registers,
    }),
    requestErrors: new Counter({
      name: 'cortex_tenant_streams_request_errors',
      help: 'The total number of tenant-specific streams writes that yielded errors.',
      labelNames: ['tenant'],
      registers,
    }),
    requests: new Counter({
      name: 'cortex_tenant_streams_requests',
      help: 'The total number of tenant-specific streams writes.',
      labelNames: ['tenant'],
      registers,
    }),
    answers: new Counter({
      name: 'tenantwire_loki_requests_total',
      help: 'Loki pushes answered, by HTTP status.',
      labelNames: ['code'],
      registers,
    }),
    tenantLabel: (tenant) => (options.includeTenant ? tenant : ''),
  };
}
