/**
 * One shard of one tenant: a FIFO of pieces sent one batch at a time, in order, so the
 * samples of a series (always on the same shard) reach the upstream in order. 1.0 pieces are
 * batched by concatenation up to `maxItems` samples + histograms + exemplars; a partial batch
 * waits at most `deadlineMs` from its first piece's arrival (not at all while the queue drains
 * for a stop). A 2.0 piece (its own symbol table) is sent alone, as it is.
 */
import { snappyCompress } from '../wire/snappy.js';
import type { ProtocolVersion } from '../wire/types.js';
import type { BatchCounts, BatchSender, SendOutcome } from './batch-sender.js';
import { createWaker } from './waker.js';

export interface ShardItem extends BatchCounts {
  readonly version: ProtocolVersion;
  /** 1.0: WriteRequest bytes (uncompressed); 2.0: the snappy body to send. */
  readonly bytes: Uint8Array;
  readonly queuedAt: number;
  /** Called once the piece is settled (delivered or dropped); never when the send was aborted. */
  readonly settled: (outcome: Exclude<SendOutcome, 'aborted'>) => void;
}

export interface ShardOptions {
  readonly maxItems: number;
  readonly deadlineMs: number;
  readonly now: () => number;
  readonly sender: BatchSender;
  /** True while the queue drains for a stop: partial batches go at once. */
  readonly flushing: () => boolean;
}

export interface Shard {
  push(item: ShardItem): void;
  /** Re-checks the deadline (a drain began). */
  poke(): void;
  run(signal: AbortSignal): Promise<void>;
}

const itemsOf = (i: BatchCounts) => i.samples + i.histograms + i.exemplars;

function concat(items: readonly ShardItem[]): Uint8Array {
  if (items.length === 1) return items[0]!.bytes;
  let total = 0;
  for (const i of items) total += i.bytes.length;
  const out = new Uint8Array(total);
  let pos = 0;
  for (const i of items) {
    out.set(i.bytes, pos);
    pos += i.bytes.length;
  }
  return out;
}

export function createShard(o: ShardOptions): Shard {
  let queue: ShardItem[] = [];
  const waker = createWaker();

  /** How many pieces at the head make the next batch, and whether it may wait for more. */
  function nextBatch(): { count: number; ready: boolean } {
    const first = queue[0]!;
    if (first.version === '2.0') return { count: 1, ready: true };
    let n = 0;
    let k = 0;
    while (k < queue.length && queue[k]!.version === '1.0' && (k === 0 || n + itemsOf(queue[k]!) <= o.maxItems)) {
      n += itemsOf(queue[k]!);
      k++;
    }
    return { count: k, ready: n >= o.maxItems || k < queue.length };
  }

  async function run(signal: AbortSignal): Promise<void> {
    while (!signal.aborted) {
      if (queue.length === 0) {
        await waker.wait(signal);
        continue;
      }
      const { count, ready } = nextBatch();
      if (!ready && !o.flushing()) {
        const wait = queue[0]!.queuedAt + o.deadlineMs - o.now();
        if (wait > 0) {
          await waker.wait(signal, wait);
          continue;
        }
      }
      const batch = queue.slice(0, count);
      queue = queue.slice(count);
      const version = batch[0]!.version;
      const counts = { samples: 0, histograms: 0, exemplars: 0 };
      for (const i of batch) {
        counts.samples += i.samples;
        counts.histograms += i.histograms;
        counts.exemplars += i.exemplars;
      }
      const body = version === '1.0' ? snappyCompress(concat(batch)) : batch[0]!.bytes;
      const outcome = await o.sender.send(version, body, counts, signal);
      if (outcome === 'aborted') return;
      for (const i of batch) i.settled(outcome);
    }
  }

  return {
    push(item) {
      queue.push(item);
      waker.wake();
    },
    poke: () => waker.wake(),
    run,
  };
}
