import type { Shard } from './shard.js';
import type { QueuedSeries } from './shard-buffer.js';

/**
 * The shards of one tenant queue, and the drain-and-swap that changes their number without
 * breaking per-series order. A series hashed to shard i of N may hash to shard j of M, so:
 *
 * 1. New entries go to a fresh generation of M shards at once, but its loops do not start.
 * 2. The old generation is told to stop: each old shard flushes everything it holds.
 * 3. Only when every old shard has finished do the new loops start sending.
 *
 * Every item of a series that entered before the swap is therefore delivered before any item
 * that entered after it. Appends are not blocked (Prometheus blocks its WAL reader instead);
 * they stay bounded: each shard holds at most `capacity` buffered items (an empty shard takes
 * one oversized append), and while a swap drains, old and new items together stay within
 * max(N, M) × capacity.
 */
export interface ShardSet {
  /** Shards taking new entries (the new generation while a swap drains). */
  readonly count: number;
  readonly swapping: boolean;
  /** The shard an entry goes to in the generation taking entries. */
  shardOf(entry: QueuedSeries): number;
  fits(entries: readonly QueuedSeries[]): boolean;
  enqueue(entries: readonly QueuedSeries[]): void;
  /** Starts the first generation (once). */
  start(stop: AbortSignal, hard: AbortSignal): void;
  /** Begins a swap to `n` shards; ignored while one runs, before start or once stopping. */
  reshard(n: number): void;
  /** Resolves after `stop` aborted and every generation flushed; rejects if a shard failed. */
  done(): Promise<void>;
}

interface Generation {
  readonly shards: readonly Shard[];
  readonly stop: AbortController;
  running: Promise<void> | undefined;
}

export function createShardSet(initial: number, capacity: number, makeShard: () => Shard): ShardSet {
  const generation = (n: number): Generation => ({
    shards: Array.from({ length: n }, makeShard),
    stop: new AbortController(),
    running: undefined,
  });
  let current = generation(initial);
  let draining: Generation | undefined;
  let swap: Promise<void> | undefined;
  let failure: unknown;
  let signals: { stop: AbortSignal; hard: AbortSignal } | undefined;

  function launch(g: Generation): void {
    if (!signals) return;
    const { stop, hard } = signals;
    if (stop.aborted) g.stop.abort();
    g.running = Promise.all(g.shards.map((s) => s.run(g.stop.signal, hard))).then(() => undefined);
  }

  function held(g: Generation): number {
    let n = 0;
    for (const s of g.shards) n += s.buffer.pending + s.inFlight;
    return n;
  }

  const shardOf = (entry: QueuedSeries): number => entry.shardKey % current.shards.length;

  async function drainThenLaunch(old: Generation, next: Generation): Promise<void> {
    try {
      await old.running;
    } catch (e) {
      failure ??= e;
    } finally {
      draining = undefined;
      launch(next);
      swap = undefined;
    }
  }

  return {
    get count() {
      return current.shards.length;
    },
    get swapping() {
      return swap !== undefined;
    },
    shardOf,
    fits(entries) {
      const shards = current.shards;
      const incoming = new Array<number>(shards.length).fill(0);
      let added = 0;
      for (const e of entries) {
        const i = shardOf(e);
        incoming[i] = (incoming[i] ?? 0) + e.count;
        added += e.count;
      }
      const perShard = shards.every((s, i) => {
        const add = incoming[i] ?? 0;
        return add === 0 || s.buffer.pending === 0 || s.buffer.pending + add <= capacity;
      });
      if (!perShard || !draining) return perShard;
      const bound = Math.max(shards.length, draining.shards.length) * capacity;
      return held(draining) + held(current) + added <= bound;
    },
    enqueue(entries) {
      const shards = current.shards;
      for (const e of entries) shards[shardOf(e)]?.enqueue(e);
    },
    start(stop, hard) {
      if (signals) return;
      signals = { stop, hard };
      stop.addEventListener('abort', () => current.stop.abort(), { once: true });
      launch(current);
    },
    reshard(n) {
      if (!signals || swap || signals.stop.aborted || n === current.shards.length) return;
      const old = current;
      const next = generation(n);
      current = next;
      draining = old;
      old.stop.abort();
      swap = drainThenLaunch(old, next);
    },
    async done() {
      for (;;) {
        const g = current;
        try {
          await g.running;
        } catch (e) {
          failure ??= e;
        }
        if (swap) await swap;
        else if (g === current) break;
      }
      if (failure !== undefined) throw failure;
    },
  };
}
