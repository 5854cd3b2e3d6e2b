/**
 * The durable queue's self-metrics on the registry it is given. Per tenant they carry the
 * labels of the remote_write component's queue metrics (`remote_name`, `url`, `tenant`) and use
 * Prometheus' `prometheus_remote_storage_*` names where Prometheus has one, so the families are
 * shared (get-or-create) with that component; `tenantwire_queue_*` otherwise. One set per
 * registry: gauges read live at scrape time (log backlog, oldest record age) ask every queue
 * tracked on that registry.
 */
import { Counter, Gauge, Histogram, type Registry } from 'prom-client';
import type { WalMetrics } from '../wal/types.js';

export const TENANT_LABELS = ['remote_name', 'url', 'tenant'] as const;
type TL = (typeof TENANT_LABELS)[number];
export type TenantLabels = Record<TL, string>;

/** Why samples were given up: a 4xx from the upstream, or a record that did not decode. */
export const QUEUE_DROP_REASONS = ['upstream_rejected', 'corrupt_record'] as const;
export type QueueDropReason = (typeof QUEUE_DROP_REASONS)[number];

/** How a request to the upstream ended. */
export type RequestResult = 'success' | 'retry' | 'dropped' | 'aborted';

export interface QueueMetrics {
  readonly samplesSent: Counter<TL>;
  readonly histogramsSent: Counter<TL>;
  readonly exemplarsSent: Counter<TL>;
  readonly bytesSent: Counter<TL>;
  readonly samplesRetried: Counter<TL>;
  readonly samplesFailed: Counter<TL>;
  readonly samplesPending: Gauge<TL>;
  readonly shards: Gauge<TL>;
  readonly batchDuration: Histogram<TL>;
  readonly requests: Counter<TL | 'result'>;
  readonly samplesDropped: Counter<TL | 'reason'>;
  readonly recordsDropped: Counter<TL | 'reason'>;
  readonly pendingRecords: Gauge<TL>;
  readonly pendingBytes: Gauge<TL>;
  readonly oldestAge: Gauge<TL>;
  readonly replayedRecords: Counter;
  readonly replayedBytes: Counter;
  readonly corruptCutBytes: Counter;
  readonly refused: Counter<'scope'>;
  readonly ioErrors: Counter<'code'>;
  readonly fsyncSeconds: Histogram;
  /** Registers a refresher called before each scrape of the live gauges; returns its removal. */
  track(refresh: () => void): () => void;
}

const cache = new WeakMap<Registry, QueueMetrics>();

function getOr<T>(registry: Registry, name: string, make: () => T): T {
  return (registry.getSingleMetric(name) as T | undefined) ?? make();
}

/** The queue metrics of `registry`, created on first use. */
export function queueMetrics(registry: Registry): QueueMetrics {
  const known = cache.get(registry);
  if (known) return known;
  const registers = [registry];
  const refreshers = new Set<() => void>();
  const collect = () => {
    for (const r of refreshers) r();
  };
  const counter = <L extends string>(name: string, help: string, labelNames: readonly L[]) =>
    getOr(registry, name, () => new Counter<L>({ name, help, labelNames, registers }));
  const gauge = (name: string, help: string, live = false) =>
    getOr(
      registry,
      name,
      () => new Gauge<TL>({ name, help, labelNames: TENANT_LABELS, registers, ...(live ? { collect } : {}) }),
    );
  const p = 'prometheus_remote_storage_';
  const q = 'tenantwire_queue_';
  const m: QueueMetrics = {
    samplesSent: counter(
      `${p}samples_total`,
      'Total number of samples sent to remote storage (every attempt).',
      TENANT_LABELS,
    ),
    histogramsSent: counter(
      `${p}histograms_total`,
      'Total number of histograms sent to remote storage.',
      TENANT_LABELS,
    ),
    exemplarsSent: counter(`${p}exemplars_total`, 'Total number of exemplars sent to remote storage.', TENANT_LABELS),
    bytesSent: counter(
      `${p}bytes_total`,
      'Total number of bytes of data (compressed) sent to remote storage.',
      TENANT_LABELS,
    ),
    samplesRetried: counter(
      `${p}samples_retried_total`,
      'Samples retried after a recoverable send error.',
      TENANT_LABELS,
    ),
    samplesFailed: counter(
      `${p}samples_failed_total`,
      'Total number of samples which failed on send to remote storage, non-recoverable errors (4xx) included.',
      TENANT_LABELS,
    ),
    samplesPending: gauge(`${p}samples_pending`, 'Samples queued (in the log or in flight), not yet delivered.'),
    shards: gauge(`${p}shards`, 'The number of shards used for parallel sending to the remote storage.'),
    batchDuration: getOr(
      registry,
      `${p}sent_batch_duration_seconds`,
      () =>
        new Histogram<TL>({
          name: `${p}sent_batch_duration_seconds`,
          help: 'Duration of send calls to the remote storage.',
          labelNames: TENANT_LABELS,
          buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 25, 60],
          registers,
        }),
    ),
    requests: counter(
      `${q}requests_total`,
      'Upstream requests of the durable queue, by result (success, retry, dropped, aborted).',
      [...TENANT_LABELS, 'result'],
    ),
    samplesDropped: counter(
      `${q}samples_dropped_total`,
      'Queued samples given up for good, by reason: upstream_rejected (4xx), corrupt_record.',
      [...TENANT_LABELS, 'reason'],
    ),
    recordsDropped: counter(`${q}records_dropped_total`, 'Queued records given up for good, by reason.', [
      ...TENANT_LABELS,
      'reason',
    ]),
    pendingRecords: gauge(`${q}pending_records`, 'Records in the log not yet delivered.', true),
    pendingBytes: gauge(`${q}pending_bytes`, 'Payload bytes in the log not yet delivered.', true),
    oldestAge: gauge(
      `${q}oldest_record_age_seconds`,
      'Age of the oldest undelivered record read from the log (from its append time); 0 when none.',
      true,
    ),
    replayedRecords: counter(`${q}replayed_records_total`, 'Undelivered records found in the log at open.', []),
    replayedBytes: counter(`${q}replayed_bytes_total`, 'Bytes of undelivered records found in the log at open.', []),
    corruptCutBytes: counter(`${q}corrupt_cut_bytes_total`, 'Bytes of torn or corrupt log tails cut at open.', []),
    refused: counter(`${q}refused_total`, 'Appends refused by the disk bound, by scope (total, tenant).', ['scope']),
    ioErrors: counter(`${q}io_errors_total`, 'Appends failed on the disk, by error code.', ['code']),
    fsyncSeconds: getOr(
      registry,
      `${q}fsync_duration_seconds`,
      () =>
        new Histogram({
          name: `${q}fsync_duration_seconds`,
          help: 'Duration of the log fsyncs (group commits).',
          buckets: [0.0001, 0.00025, 0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 1],
          registers,
        }),
    ),
    track(refresh) {
      refreshers.add(refresh);
      return () => refreshers.delete(refresh);
    },
  };
  cache.set(registry, m);
  return m;
}

/** The WAL's reports turned into these metrics: pass it to the WAL when opening it. */
export function walMetricsFor(registry: Registry): WalMetrics {
  const m = queueMetrics(registry);
  return {
    fsyncSeconds: (s) => m.fsyncSeconds.observe(s),
    replayed: (_tenant, records, bytes) => {
      m.replayedRecords.inc(records);
      m.replayedBytes.inc(bytes);
    },
    corruptCut: (_tenant, bytes) => m.corruptCutBytes.inc(bytes),
    refused: (_tenant, scope) => m.refused.inc({ scope }),
    ioError: (code) => m.ioErrors.inc({ code }),
  };
}
