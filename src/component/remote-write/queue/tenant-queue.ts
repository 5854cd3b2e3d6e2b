import type { QueueConfig } from '../arguments.js';
import type { BatchTarget } from './batch-sender.js';
import { sendBatch } from './batch-sender.js';
import { createQueueRates } from './ewma-rate.js';
import { RESHARD_INTERVAL_MS, runReshardLoop, type ReshardState } from './reshard-loop.js';
import type { ShardDecision } from './shard-calculator.js';
import { createShard } from './shard.js';
import type { QueuedSeries } from './shard-buffer.js';
import { createShardSet } from './shard-set.js';

/**
 * The queue of one (endpoint, tenant): shards fed by each series' labels hash, starting at
 * `min_shards` and resharded between `min_shards` and `max_shards` by Prometheus' rule (see
 * shard-calculator.ts) every `reshardIntervalMs`. Bounded: a shard holding `capacity` items
 * refuses more (the caller turns that into back-pressure), except when it is empty, so one
 * oversized request still fits. A reshard drains the old shards before the new ones send.
 */
export interface TenantQueue {
  readonly tenant: string;
  /** Shards taking new entries now. */
  readonly shardCount: number;
  /** Items buffered or in flight. */
  readonly pending: number;
  /** Would these entries fit? Entries are grouped by shard with `shardOf`. */
  fits(entries: readonly QueuedSeries[]): boolean;
  enqueue(entries: readonly QueuedSeries[]): void;
  /** Starts the shard loops and the reshard loop (once); resolves when stopped and flushed. */
  run(stop: AbortSignal, hard: AbortSignal): Promise<void>;
  /** The shard an entry goes to. */
  shardOf(entry: QueuedSeries): number;
}

export function createTenantQueue(
  tenant: string,
  config: QueueConfig,
  target: BatchTarget,
  reshardIntervalMs: number = RESHARD_INTERVAL_MS,
): TenantQueue {
  const minShards = Math.max(1, Math.min(config.min_shards, config.max_shards));
  const maxShards = Math.max(minShards, config.max_shards);
  const { clock, labels, metrics } = target;
  const rates = createQueueRates();
  let pending = 0;
  let lastSendAt: number | undefined;
  let holdUntil = 0;
  let highestRecvMs = 0;

  const onPending = (delta: number) => {
    pending += delta;
    metrics.samplesPending.set(labels, pending);
  };
  const sendTarget: BatchTarget = {
    ...target,
    onRecoverableError(delayMs) {
      holdUntil = Math.max(holdUntil, clock.now() + 2 * Math.max(config.batch_send_deadline, delayMs));
    },
  };
  async function send(batch: readonly QueuedSeries[], hard: AbortSignal): Promise<unknown> {
    const started = clock.now();
    try {
      return await sendBatch(sendTarget, batch, hard);
    } finally {
      const now = clock.now();
      let count = 0;
      for (const e of batch) count += e.count;
      rates.dataOut.add(count);
      rates.dataOutDuration.add((now - started) / 1000);
      lastSendAt = now;
    }
  }
  const shards = createShardSet(minShards, config.capacity, () =>
    createShard({
      maxSamplesPerSend: config.max_samples_per_send,
      batchSendDeadlineMs: config.batch_send_deadline,
      clock,
      send,
      onPending,
    }),
  );
  metrics.shards.set(labels, minShards);
  metrics.shardsDesired.set(labels, minShards);
  metrics.shardsMin.set(labels, minShards);
  metrics.shardsMax.set(labels, maxShards);
  metrics.samplesPending.set(labels, 0);

  const state = (): ReshardState => ({
    current: shards.count,
    pending,
    delaySeconds: pending > 0 ? Math.max(0, highestRecvMs - target.sent.highestMs) / 1000 : 0,
    lastSendAt,
    holdUntil,
  });

  function apply(decision: ShardDecision, from: ReshardState): void {
    if (!Number.isNaN(decision.desired)) metrics.shardsDesired.set(labels, decision.desired);
    if (decision.shards === from.current || shards.swapping) return;
    target.logger.info(
      {
        tenant,
        url: labels.url,
        from: from.current,
        to: decision.shards,
        desired: decision.desired,
        reason: decision.reason,
      },
      'resharding the remote_write queue',
    );
    shards.reshard(decision.shards);
    metrics.shards.set(labels, shards.count);
  }

  let running: Promise<void> | undefined;
  async function runAll(stop: AbortSignal, hard: AbortSignal): Promise<void> {
    shards.start(stop, hard);
    const loop = runReshardLoop(
      { clock, intervalMs: reshardIntervalMs, minShards, maxShards, rates, state, apply },
      stop,
    );
    try {
      await shards.done();
    } finally {
      await loop;
    }
  }

  return {
    tenant,
    get shardCount() {
      return shards.count;
    },
    get pending() {
      return pending;
    },
    shardOf: (entry) => shards.shardOf(entry),
    fits: (entries) => shards.fits(entries),
    enqueue(entries) {
      let added = 0;
      let highest = highestRecvMs;
      for (const e of entries) {
        added += e.count;
        for (const x of e.samples) if (x.timestamp > highest) highest = x.timestamp;
        for (const x of e.histograms) if (x.timestamp > highest) highest = x.timestamp;
      }
      rates.dataIn.add(added);
      if (highest > highestRecvMs) {
        highestRecvMs = highest;
        metrics.highestTimestamp.set(labels, highest / 1000);
      }
      shards.enqueue(entries);
    },
    run(stop, hard) {
      running ??= runAll(stop, hard);
      return running;
    },
  };
}
