import type { Logger } from '../logger.js';
import type { Transport } from '../transport/types.js';
import type { ProtocolVersion } from '../wire/types.js';
import type { Wal } from '../wal/types.js';

/**
 * The durable per-tenant queue: remote-write pieces, already split by tenant, go into the WAL
 * (src/wal/) and `enqueue` resolves once they are on disk; each tenant's log is then delivered
 * on its own (batched across incoming requests, shards by series hash, retried with backoff),
 * so a tenant that is down or answers 429 forever delays nobody else. Used by the drop-in's
 * queue mode and by `prometheus.remote_write`'s `wal`.
 */

/** One tenant's part of one incoming request. */
export interface QueuePiece {
  readonly tenant: string;
  readonly version: ProtocolVersion;
  /** The uncompressed body; for 1.0 this is a WriteRequest (1.0 messages concatenate). */
  readonly raw?: Uint8Array;
  /** The snappy-compressed body, when it exists already. At least one of raw and body is set. */
  readonly body?: Uint8Array;
  readonly series: number;
  readonly samples: number;
  readonly histograms: number;
  readonly exemplars: number;
}

/** Prometheus' queue_config keys, durations in milliseconds. */
export interface DurableQueueConfig {
  readonly maxSamplesPerSend: number;
  readonly batchSendDeadlineMs: number;
  readonly minBackoffMs: number;
  readonly maxBackoffMs: number;
  readonly minShards: number;
  readonly maxShards: number;
  readonly retryOnHttp429: boolean;
  /** Samples read ahead from the log per shard (Prometheus' capacity). */
  readonly capacity: number;
}

export interface DurableQueueOptions {
  readonly wal: Wal;
  readonly transport: Transport;
  readonly url: string;
  /** The `url` label of the metrics (the URL without user info); default `url`. */
  readonly urlLabel?: string;
  /** The header naming each tenant; unset: none is sent (a pipeline endpoint without a tenant rule). */
  readonly tenantHeader?: string;
  /** Extra headers on every upstream request (the proxy's client and request id are not kept). */
  readonly headers?: Readonly<Record<string, string>>;
  readonly config: DurableQueueConfig;
  /** Per upstream request. */
  readonly timeoutMs: number;
  readonly logger: Logger;
  readonly metrics: DurableQueueMetrics;
  readonly now?: () => number;
  readonly random?: () => number;
}

/**
 * Where the queue's metrics go: src/queue/metrics.ts registers them on `registry` (get-or-create,
 * shared with the remote_write component's `prometheus_remote_storage_*` families, which carry
 * the same labels). Pass `walMetricsFor(registry)` to the WAL so its figures land there too.
 */
export interface DurableQueueMetrics {
  readonly registry: import('prom-client').Registry;
  /** The `remote_name` label of the per-tenant metrics. Default ''. */
  readonly remoteName?: string;
}

export interface DurableQueue {
  /**
   * Durably queues the pieces (all or none) and resolves once they are on disk. Rejects with
   * QueueFullError (code `queue_full`: 503 + Retry-After) past the disk bound, QueueIoError
   * (`queue_io`: 503) on a disk error, QueueClosedError (`queue_closed`: 503) after stop.
   */
  enqueue(pieces: readonly QueuePiece[]): Promise<void>;
  /** Records appended and not yet delivered, all tenants (replayed ones included). */
  pending(): number;
  /** Starts delivering every tenant's log, replayed ones included. */
  start(): void;
  /**
   * Stops taking pieces, keeps delivering for at most `deadlineMs`, then stops the senders and
   * closes the WAL: what was not delivered stays on disk for the next start.
   */
  stop(deadlineMs: number): Promise<void>;
}
