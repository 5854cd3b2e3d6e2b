import type { Counter, Histogram, Registry } from 'prom-client';
import { counter, createCortexTenantMetrics, tenantLabeler } from './metric-builders.js';

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
  /** Log entries taken but not forwarded, by reason (`missing_tenant`, `forbidden_tenant`). */
  readonly entriesDropped: Counter<'reason'>;
  tenantLabel(tenant: string): string;
}

export function createLokiMetrics(options: {
  readonly registry: Registry;
  readonly includeTenant: boolean;
}): LokiMetrics {
  const ct = createCortexTenantMetrics(options.registry, 'streams');
  return {
    batchesReceived: ct.batchesReceived,
    batchesReceivedBytes: ct.batchesReceivedBytes,
    streamsReceived: ct.received,
    requestDurationMs: ct.requestDurationMs,
    requestErrors: ct.requestErrors,
    requests: ct.requests,
    answers: counter(options.registry, 'tenantwire_loki_requests_total', 'Loki pushes answered, by HTTP status.', [
      'code',
    ]),
    entriesDropped: counter(
      options.registry,
      'tenantwire_loki_entries_dropped_total',
      'Log entries accepted from a sender but not forwarded, by reason: missing_tenant (a stream without a ' +
        "tenant label, tenant.on_missing: drop), forbidden_tenant (a tenant the sender's credential may not " +
        'write, with auth.ingress.on_forbidden: drop).',
      ['reason'],
    ),
    tenantLabel: tenantLabeler(options.includeTenant),
  };
}
