import { type Counter, type Histogram, Registry, collectDefaultMetrics } from 'prom-client';
import { registerBuildInfo } from '../build-info.js';
import { counter, createCortexTenantMetrics, histogram, tenantLabeler } from './metric-builders.js';

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
  /** Per-tenant sends held back or cut by a per-tenant limit (tenant-limits.ts), and their samples. */
  readonly tenantLimited: Counter<'tenant' | 'limit'>;
  readonly tenantLimitedSamples: Counter<'tenant' | 'limit'>;
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
  const ct = createCortexTenantMetrics(registry, 'timeseries');
  return {
    registry,
    batchesReceived: ct.batchesReceived,
    batchesReceivedBytes: ct.batchesReceivedBytes,
    timeseriesReceived: ct.received,
    requestDurationMs: ct.requestDurationMs,
    requestErrors: ct.requestErrors,
    requests: ct.requests,
    answers: counter(registry, 'tenantwire_requests_total', 'Remote-write requests answered, by HTTP status.', [
      'code',
    ]),
    samplesDropped: counter(
      registry,
      'tenantwire_samples_dropped_total',
      'Samples and histograms accepted from a sender but not delivered, by reason: upstream_rejected (a 4xx ' +
        'upstream answer the sender will not retry), metadata_dropped (metadata entries with nowhere to go), ' +
        'missing_tenant (series without a tenant label, tenant.on_missing: drop), ' +
        "forbidden_tenant (a tenant the sender's credential may not write, with auth.ingress.on_forbidden: drop), " +
        'max_series_per_request and max_active_series (series refused by a per-tenant limit in a request the ' +
        'sender will not resend), rate_limited (a rate-limited tenant with accept_all). ' +
        'Requests refused whole are counted in tenantwire_requests_total by code.',
      ['reason'],
    ),
    upstreamDuration: histogram(
      registry,
      'tenantwire_upstream_request_duration_seconds',
      'Duration of one per-tenant upstream write, by status code ("error" for transport failures).',
      [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30],
      ['code', 'tenant'],
    ),
    partialAcceptance: counter(
      registry,
      'tenantwire_partial_acceptance_total',
      'Requests whose tenants answered differently: some accepted while others refused or failed.',
    ),
    passthrough: counter(
      registry,
      'tenantwire_passthrough_requests_total',
      'Requests forwarded as their original compressed bytes (one tenant, nothing to rewrite).',
    ),
    coalescedPieces: counter(
      registry,
      'tenantwire_coalesced_pieces_total',
      'Per-tenant pieces of incoming requests that went upstream joined with pieces of other requests ' +
        '(coalesce: true).',
    ),
    coalescedRefusals: counter(
      registry,
      'tenantwire_coalesced_refusals_total',
      'Joined upstream requests refused with a 4xx (not 429) and sent again piece by piece, so that each ' +
        'request gets its own answer.',
    ),
    tenantLimited: counter(
      registry,
      'tenantwire_tenant_limited_total',
      'Per-tenant parts of requests held back (ingestion_rate: answered 429, the sender retries) or refused in ' +
        'whole or in part (max_series_per_request, max_active_series) by a per-tenant limit, by tenant and limit.',
      ['tenant', 'limit'],
    ),
    tenantLimitedSamples: counter(
      registry,
      'tenantwire_tenant_limited_samples_total',
      'Samples and histograms held back or refused by a per-tenant limit, by tenant and limit; those the ' +
        'sender will not send again are also in tenantwire_samples_dropped_total.',
      ['tenant', 'limit'],
    ),
    tenantLabel: tenantLabeler(options.includeTenant),
  };
}
