import { Counter, Histogram, type Registry } from 'prom-client';

/**
 * The prom-client metrics the proxy's remote-write and Loki paths build alike: cortex-tenant's
 * per-path set (`cortex_tenant_timeseries_*`, `cortex_tenant_streams_*`, named, helped and
 * bucketed as cortex-tenant has them, so its dashboards keep working) and small counter and
 * histogram builders for the rest. Registration order is exposition order: keep it.
 */

/** cortex-tenant's buckets for the received batch sizes, in bytes. */
const BATCH_BYTES_BUCKETS = [0.5, 1, 10, 25, 100, 250, 500, 1000, 5000, 10000, 30000, 300000, 600000, 1800000, 3600000];

/** cortex-tenant's buckets for one upstream write, in milliseconds (the unit it names). */
const REQUEST_MS_BUCKETS = [
  0.5, 1, 5, 10, 25, 50, 100, 250, 500, 1000, 2500, 5000, 10000, 30000, 60000, 1800000, 3600000,
];

export function counter<L extends string = string>(
  registry: Registry,
  name: string,
  help: string,
  labelNames: readonly L[] = [],
): Counter<L> {
  return new Counter({ name, help, labelNames, registers: [registry] });
}

export function histogram<L extends string = string>(
  registry: Registry,
  name: string,
  help: string,
  buckets: readonly number[],
  labelNames: readonly L[] = [],
): Histogram<L> {
  return new Histogram({ name, help, buckets: [...buckets], labelNames, registers: [registry] });
}

/** cortex-tenant's metrics for one path: what its requests carry, `timeseries` or `streams`. */
export interface CortexTenantMetrics {
  readonly batchesReceived: Counter;
  readonly batchesReceivedBytes: Histogram;
  readonly received: Counter<'tenant'>;
  readonly requestDurationMs: Histogram<'code' | 'tenant'>;
  readonly requestErrors: Counter<'tenant'>;
  readonly requests: Counter<'tenant'>;
}

export function createCortexTenantMetrics(registry: Registry, what: 'timeseries' | 'streams'): CortexTenantMetrics {
  const prefix = `cortex_tenant_${what}`;
  // cortex-tenant's remote-write counter says "batches", its Loki counter "streams batches".
  const batches = what === 'timeseries' ? 'batches' : `${what} batches`;
  return {
    batchesReceived: counter(registry, `${prefix}_batches_received`, `The total number of ${batches} received.`),
    batchesReceivedBytes: histogram(
      registry,
      `${prefix}_batches_received_bytes`,
      `Size in bytes of ${what} batches received.`,
      BATCH_BYTES_BUCKETS,
    ),
    received: counter(registry, `${prefix}_received`, `The total number of ${what} received.`, ['tenant']),
    requestDurationMs: histogram(
      registry,
      `${prefix}_request_duration_milliseconds`,
      `HTTP write request duration for tenant-specific ${what} in milliseconds, filtered by response code.`,
      REQUEST_MS_BUCKETS,
      ['code', 'tenant'],
    ),
    requestErrors: counter(
      registry,
      `${prefix}_request_errors`,
      `The total number of tenant-specific ${what} writes that yielded errors.`,
      ['tenant'],
    ),
    requests: counter(registry, `${prefix}_requests`, `The total number of tenant-specific ${what} writes.`, [
      'tenant',
    ]),
  };
}

/** The tenant label value to record: the tenant itself, or "" when metrics_include_tenant is off. */
export const tenantLabeler =
  (includeTenant: boolean) =>
  (tenant: string): string =>
    includeTenant ? tenant : '';
