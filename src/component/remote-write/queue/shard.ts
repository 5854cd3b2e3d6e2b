import type { Clock } from '../clock.js';
import { createShardBuffer, type QueuedSeries, type ShardBuffer } from './shard-buffer.js';

/**
 * One shard: a buffer and a loop that sends a batch when `max_samples_per_send` items wait, or
 * when the oldest has waited `batch_send_deadline`. One batch in flight per shard, so a
 * series (always on the same shard) keeps its order. On stop the buffer is flushed.
 */
export interface Shard {
  readonly buffer: ShardBuffer;
  /** Items taken from the buffer and not yet settled. */
  readonly inFlight: number;
  enqueue(entry: QueuedSeries): void;
  /** Runs until `stop` aborts and the buffer is empty; `hard` makes sends give up. */
  run(stop: AbortSignal, hard: AbortSignal): Promise<void>;
}

export interface ShardOptions {
  readonly maxSamplesPerSend: number;
  readonly batchSendDeadlineMs: number;
  readonly clock: Clock;
  send(batch: readonly QueuedSeries[], hard: AbortSignal): Promise<unknown>;
  /** Called whenever the number of buffered or in-flight items changes by `delta`. */
  onPending?(delta: number): void;
}

const IDLE_MS = 3_600_000;

export function createShard(o: ShardOptions): Shard {
  const buffer = createShardBuffer();
  let inFlight = 0;
  let wake: AbortController | undefined;

  return {
    buffer,
    get inFlight() {
      return inFlight;
    },
    enqueue(entry) {
      const wasEmpty = buffer.pending === 0;
      buffer.push(entry, o.clock.now());
      o.onPending?.(entry.count);
      if (wasEmpty || buffer.pending >= o.maxSamplesPerSend) wake?.abort();
    },
    async run(stop, hard) {
      for (;;) {
        const pending = buffer.pending;
        const oldest = buffer.oldestAt;
        const now = o.clock.now();
        if (pending > 0 && oldest !== undefined) {
          if (pending >= o.maxSamplesPerSend || stop.aborted || now - oldest >= o.batchSendDeadlineMs) {
            const batch = buffer.take(o.maxSamplesPerSend);
            let count = 0;
            for (const e of batch) count += e.count;
            inFlight += count;
            try {
              await o.send(batch, hard);
            } finally {
              inFlight -= count;
              o.onPending?.(-count);
            }
            continue;
          }
        } else if (stop.aborted) {
          return;
        }
        const waker = new AbortController();
        wake = waker;
        const onStop = () => waker.abort();
        stop.addEventListener('abort', onStop, { once: true });
        const waitMs = oldest === undefined ? IDLE_MS : Math.max(0, oldest + o.batchSendDeadlineMs - now);
        await o.clock.sleep(waitMs, waker.signal);
        stop.removeEventListener('abort', onStop);
        wake = undefined;
      }
    },
  };
}
