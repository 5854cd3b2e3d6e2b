import type { DurableQueueConfig } from './types.js';

/**
 * The defaults of the queue settings, defined once for both places that take them: the
 * drop-in's `queue:` block and `prometheus.remote_write`'s `queue_config` and `wal`.
 * The queue_config values are Prometheus' own.
 */
export const DEFAULT_QUEUE_CONFIG: DurableQueueConfig = Object.freeze({
  capacity: 10_000,
  minShards: 1,
  maxShards: 50,
  maxSamplesPerSend: 2_000,
  batchSendDeadlineMs: 5_000,
  minBackoffMs: 30,
  maxBackoffMs: 5_000,
  retryOnHttp429: true,
});

/** Bound on the whole log on disk, all tenants together: 1 GiB. */
export const DEFAULT_MAX_DISK_BYTES = 1024 ** 3;

/**
 * One tenant's share when it is not set: half of the whole bound, so that one tenant that is
 * down cannot take all of the disk from the others.
 */
export function defaultMaxTenantDiskBytes(maxDiskBytes: number): number {
  return Math.max(1, Math.floor(maxDiskBytes / 2));
}
