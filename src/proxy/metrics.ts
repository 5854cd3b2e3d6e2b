import { Counter, Histogram, Registry, collectDefaultMetrics } from 'prom-client';
import { registerBuildInfo } from '../build-info.js';

/**
 * Self-metrics of the cortex-tenant proxy on one prom-client registry. The `cortex_tenant_*`
 * names are cortex-tenant's own, so existing dashboards keep working; unlike cortex-tenant, the
 * duration histogram really is in milliseconds (it observed seconds/1000). The `tenantwire_*`
 * metrics add what cortex-tenant never counted: answers by status, dropped samples by reason,
 * partial acceptance across tenants, and `tenantwire_build_info`.
 */
export interface ProxyMetrics {
  readonly registry: Registry;
  readonly batchesReceived: Counter;
  readonly batchesReceivedBytes: Histogram;
  readonly timeseriesReceived: Counter<'tenant'>;
  readonly requestDurationMs: Histogram<'code' | 'tenant'>;
  readonly requestErrors: Counter<'tenant'>;
  readonly requests: Counter<'tenant'>;
  readonly answers: Counter<'code'>;
  readonly samplesDropped: Counter<'reason'>;
  readonly upstreamDuration: Histogram<'code' | 'tenant'>;
  readonly partialAcceptance: Counter;
  readonly passthrough: Counter;
  readonly coalescedPieces: Counter;
  readonly coalescedRefusals: Counter;
  /** The tenant label value to record: the tenant itself, or "" when metrics_include_tenant is off. */
  tenantLabel(tenant: string): string;
}

export function createProxyMetrics(options: {
  includeTenant: boolean;
  registry?: Registry;
  defaultMetrics?: boolean;
}): ProxyMetrics {
  const registry = options.registry ?? new Registry();
  if (options.defaultMetrics !== false) collectDefaultMetrics({ register: registry });
  registerBuildInfo(registry);
  const registers = [registry];
  return {
    registry,
    batchesReceived: new Counter({
      name: 'cortex_tenant_timeseries_batches_received',
      help: 'The total number of batches received.',
      registers,
    }),
    batchesReceivedBytes: new Histogram({
      name: 'cortex_tenant_timeseries_batches_received_bytes',
      help: 'Size in bytes of timeseries batches received.',
      buckets: [0.5, 1, 10, 25, 100, 250, 500, 1000, 5000, 10000, 30000, 300000, 600000, 1800000, 3600000],
      registers,
    }),
    timeseriesReceived: new Counter({
      name: 'cortex_tenant_timeseries_received',
      help: 'The total number of timeseries received.',
      labelNames: ['tenant'],
      registers,
    }),
    requestDurationMs: new Histogram({
      name: 'cortex_tenant_timeseries_request_duration_milliseconds',
      help: 'HTTP write request duration for tenant-specific timeseries in milliseconds, filtered by response code.',
      buckets: [0.5, 1, 5, 10, 25, 50, 100, 250, 500, 1000, 2500, 5000, 10000, 30000, 60000, 1800000, 3600000],
      labelNames: ['code', 'tenant'],
      registers,
    }),
    requestErrors: new Counter({
      name: 'cortex_tenant_timeseries_request_errors',
      help: 'The total number of tenant-specific timeseries writes that yielded errors.',
      labelNames: ['tenant'],
      registers,
    }),
    requests: new Counter({
      name: 'cortex_tenant_timeseries_requests',
      help: 'The total number of tenant-specific timeseries writes.',
      labelNames: ['tenant'],
      registers,
    }),
    answers: new Counter({
      name: 'tenantwire_requests_total',
      help: 'Remote-write requests answered, by HTTP status.',
      labelNames: ['code'],
      registers,
    }),
    samplesDropped: new Counter({
      name: 'tenantwire_samples_dropped_total',
      help:
        'Samples and histograms accepted from a sender but not delivered, by reason: upstream_rejected (a 4xx ' +
        'upstream answer the sender will not retry), metadata_dropped (metadata entries with nowhere to go). ' +
        'Requests refused whole are counted in tenantwire_requests_total by code.',
      labelNames: ['reason'],
      registers,
    }),
    upstreamDuration: new Histogram({
      name: 'tenantwire_upstream_request_duration_seconds',
      help: 'Duration of one per-tenant upstream write, by status code ("error" for transport failures).',
      buckets: [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30],
      labelNames: ['code', 'tenant'],
      registers,
    }),
    partialAcceptance: new Counter({
      name: 'tenantwire_partial_acceptance_total',
      help: 'Requests whose tenants answered differently: some accepted while others refused or failed.',
      registers,
    }),
    passthrough: new Counter({
      name: 'tenantwire_passthrough_requests_total',
      help: 'Requests forwarded as their original compressed bytes (one tenant, nothing to rewrite).',
      registers,
    }),
    coalescedPieces: new Counter({
      name: 'tenantwire_coalesced_pieces_total',
      help:
        'Per-tenant pieces of incoming requests that went upstream joined with pieces of other requests ' +
        '(coalesce: true).',
      registers,
    }),
    coalescedRefusals: new Counter({
      name: 'tenantwire_coalesced_refusals_total',
      help:
        'Joined upstream requests refused with a 4xx (not 429) and sent again piece by piece, so that each ' +
        'request gets its own answer.',
      registers,
    }),
    tenantLabel: (tenant) => (options.includeTenant ? tenant : ''),
  };
}
