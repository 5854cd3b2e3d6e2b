/**
 * The queue of `prometheus.remote_write`, one per (endpoint, tenant), after Prometheus' queue
 * manager. What the endpoint uses:
 * - tenant-queue.ts: the queue, its shards and its reshard loop, started and stopped as one;
 * - shard-buffer.ts: the queued series, cut to `max_samples_per_send`.
 * Inside: shard-set.ts and shard.ts (the shards a reshard swaps), batch-sender.ts (one batch
 * sent with retries), reshard-loop.ts, shard-calculator.ts and ewma-rate.ts (how many shards).
 */
export { createTenantQueue, type TenantQueue } from './tenant-queue.js';
export type { BatchTarget } from './batch-sender.js';
export { chunkSeries, type QueuedSeries } from './shard-buffer.js';
