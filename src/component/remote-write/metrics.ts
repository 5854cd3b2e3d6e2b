import { Counter, Gauge, Histogram, type Registry } from 'prom-client';

/**
 * Self-metrics with Prometheus' own names (`prometheus_remote_storage_*`), labelled by
 * `remote_name`, `url` and `tenant`. Get-or-create on the given registry, so several
 * components (and reloads) share one set of metric families.
 */
export type QueueLabels = { remote_name: string; url: string; tenant: string };
const LABELS = ['remote_name', 'url', 'tenant'] as const;

export interface RemoteWriteMetrics {
  readonly samplesTotal: Counter<keyof QueueLabels>;
  readonly samplesFailed: Counter<keyof QueueLabels>;
  /** Samples given up for good, by why: what an SRE alerts on (acknowledged data that was lost). */
  readonly samplesDropped: Counter<keyof QueueLabels | 'reason'>;
  readonly samplesRetried: Counter<keyof QueueLabels>;
  /** Tenant parts held back or cut by the endpoint's `tenant.limits`, by `limit`. */
  readonly tenantLimited: Counter<keyof QueueLabels | 'limit'>;
  readonly tenantLimitedSamples: Counter<keyof QueueLabels | 'limit'>;
  readonly histogramsTotal: Counter<keyof QueueLabels>;
  readonly exemplarsTotal: Counter<keyof QueueLabels>;
  readonly metadataTotal: Counter<keyof QueueLabels>;
  readonly metadataFailed: Counter<keyof QueueLabels>;
  readonly samplesPending: Gauge<keyof QueueLabels>;
  readonly shards: Gauge<keyof QueueLabels>;
  readonly shardsDesired: Gauge<keyof QueueLabels>;
  readonly shardsMin: Gauge<keyof QueueLabels>;
  readonly shardsMax: Gauge<keyof QueueLabels>;
  readonly bytesTotal: Counter<keyof QueueLabels>;
  readonly batchDuration: Histogram<keyof QueueLabels>;
  readonly highestTimestamp: Gauge<keyof QueueLabels>;
  readonly highestSentTimestamp: Gauge<keyof QueueLabels>;
}

function counter(registry: Registry, name: string, help: string): Counter<keyof QueueLabels> {
  const existing = registry.getSingleMetric(name);
  if (existing) return existing as Counter<keyof QueueLabels>;
  return new Counter({ name, help, labelNames: LABELS, registers: [registry] });
}

function gauge(registry: Registry, name: string, help: string): Gauge<keyof QueueLabels> {
  const existing = registry.getSingleMetric(name);
  if (existing) return existing as Gauge<keyof QueueLabels>;
  return new Gauge({ name, help, labelNames: LABELS, registers: [registry] });
}

/**
 * Why samples were given up: `samples_failed_total` cannot tell a 4xx from a stop that ran out of
 * time. `missing_tenant` is counted with `tenant=""` (the series had none).
 */
export const DROP_REASONS = [
  'upstream_rejected',
  'retries_exhausted',
  'flush_deadline',
  'missing_tenant',
  'forbidden_tenant',
  'max_series_per_request',
  'max_active_series',
] as const;
export type DropReason = (typeof DROP_REASONS)[number];

export function remoteWriteMetrics(registry: Registry): RemoteWriteMetrics {
  const p = 'prometheus_remote_storage_';
  const droppedName = 'tenantwire_remote_write_samples_dropped_total';
  const samplesDropped =
    (registry.getSingleMetric(droppedName) as Counter<keyof QueueLabels | 'reason'> | undefined) ??
    new Counter({
      name: droppedName,
      help:
        'Samples given up for good, by reason: upstream_rejected (4xx), retries_exhausted, flush_deadline ' +
        '(stopping took too long), missing_tenant (a series without a tenant label, tenant.on_missing: drop), ' +
        'forbidden_tenant (receive_http auth, on_forbidden: drop), max_series_per_request and max_active_series ' +
        '(tenant.limits).',
      labelNames: [...LABELS, 'reason'],
      registers: [registry],
    });
  const durationName = `${p}sent_batch_duration_seconds`;
  const batchDuration =
    (registry.getSingleMetric(durationName) as Histogram<keyof QueueLabels> | undefined) ??
    new Histogram({
      name: durationName,
      help: 'Duration of send calls to the remote storage.',
      labelNames: LABELS,
      buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 25, 60],
      registers: [registry],
    });
  const limitedCounter = (name: string, help: string): Counter<keyof QueueLabels | 'limit'> =>
    (registry.getSingleMetric(name) as Counter<keyof QueueLabels | 'limit'> | undefined) ??
    new Counter({ name, help, labelNames: [...LABELS, 'limit'], registers: [registry] });
  return {
    tenantLimited: limitedCounter(
      'tenantwire_remote_write_tenant_limited_total',
      'Tenant parts of a push held back (ingestion_rate) or cut (max_series_per_request, max_active_series) by tenant.limits.',
    ),
    tenantLimitedSamples: limitedCounter(
      'tenantwire_remote_write_tenant_limited_samples_total',
      'Samples and histograms of the tenant parts held back or cut by tenant.limits.',
    ),
    samplesTotal: counter(
      registry,
      `${p}samples_total`,
      'Total number of samples sent to remote storage (every attempt).',
    ),
    samplesFailed: counter(
      registry,
      `${p}samples_failed_total`,
      'Total number of samples which failed on send to remote storage, non-recoverable errors (4xx) included.',
    ),
    samplesDropped,
    samplesRetried: counter(
      registry,
      `${p}samples_retried_total`,
      'Total number of samples which failed on send to remote storage but were retried because the send error ' +
        'was recoverable.',
    ),
    histogramsTotal: counter(registry, `${p}histograms_total`, 'Total number of histograms sent to remote storage.'),
    exemplarsTotal: counter(registry, `${p}exemplars_total`, 'Total number of exemplars sent to remote storage.'),
    metadataTotal: counter(registry, `${p}metadata_total`, 'Total number of metadata entries sent to remote storage.'),
    metadataFailed: counter(
      registry,
      `${p}metadata_failed_total`,
      'Total number of metadata entries which failed on send to remote storage.',
    ),
    samplesPending: gauge(
      registry,
      `${p}samples_pending`,
      'The number of samples pending in the queues shards to be sent to the remote storage.',
    ),
    shards: gauge(registry, `${p}shards`, 'The number of shards used for parallel sending to the remote storage.'),
    shardsDesired: gauge(
      registry,
      `${p}shards_desired`,
      'The number of shards that the queues shard calculation wants to run based on the rate of samples in vs. ' +
        'samples out.',
    ),
    shardsMin: gauge(registry, `${p}shards_min`, 'The minimum number of shards that the queue is allowed to run.'),
    shardsMax: gauge(registry, `${p}shards_max`, 'The maximum number of shards that the queue is allowed to run.'),
    bytesTotal: counter(
      registry,
      `${p}bytes_total`,
      'The total number of bytes of data (not metadata) sent by the queue after compression.',
    ),
    batchDuration,
    highestTimestamp: gauge(
      registry,
      `${p}highest_timestamp_in_seconds`,
      'Highest timestamp that has come into the remote storage via the queue, in seconds since epoch.',
    ),
    highestSentTimestamp: gauge(
      registry,
      `${p}queue_highest_sent_timestamp_seconds`,
      'Timestamp from a WAL sample, the highest successfully sent by this queue, in seconds since epoch.',
    ),
  };
}

/** Forgets one queue's label values (when its tenant queue or endpoint goes away). */
export function forgetQueue(m: RemoteWriteMetrics, labels: QueueLabels): void {
  const { samplesDropped, tenantLimited, tenantLimitedSamples, ...perQueue } = m;
  for (const limit of ['ingestion_rate', 'max_series_per_request', 'max_active_series']) {
    tenantLimited.remove({ ...labels, limit });
    tenantLimitedSamples.remove({ ...labels, limit });
  }
  for (const metric of Object.values(perQueue) as { remove(labels: QueueLabels): void }[]) metric.remove(labels);
  for (const reason of DROP_REASONS) samplesDropped.remove({ ...labels, reason });
}
