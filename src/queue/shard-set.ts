/**
 * The shards of one tenant's delivery, resizable: `resize(n)` ends the current shards' loops
 * and starts `n` new ones. The caller resizes only once every piece it pushed is settled (the
 * shards are idle), so a series never has samples in two shards at once: its order holds.
 */
import type { Shard } from './shard.js';

export interface ShardSet {
  readonly count: number;
  at(index: number): Shard;
  pokeAll(): void;
  /** Runs the shards until `signal` aborts; rejects if a shard loop fails (a bug). */
  run(signal: AbortSignal): Promise<void>;
  /** Replaces the shards by `n` new ones; only call it while they are idle. */
  resize(n: number): Promise<void>;
}

export function createShardSet(make: () => Shard, initial: number): ShardSet {
  let shards: Shard[] = Array.from({ length: initial }, make);
  let generation: AbortController | undefined;
  let loops: Promise<void> = Promise.resolve();
  let outer: AbortSignal | undefined;
  let fail: (e: unknown) => void = () => {};

  function startLoops(signal: AbortSignal): void {
    const ctl = new AbortController();
    generation = ctl;
    const stop = () => ctl.abort();
    signal.addEventListener('abort', stop, { once: true });
    loops = Promise.all(shards.map((s) => s.run(ctl.signal))).then(
      () => signal.removeEventListener('abort', stop),
      (e: unknown) => fail(e),
    );
  }

  return {
    get count() {
      return shards.length;
    },
    at: (index) => shards[index] as Shard,
    pokeAll() {
      for (const s of shards) s.poke();
    },
    run(signal) {
      outer = signal;
      return new Promise<void>((resolve, reject) => {
        fail = reject;
        startLoops(signal);
        const done = () => void loops.then(() => resolve());
        if (signal.aborted) done();
        else signal.addEventListener('abort', done, { once: true });
      });
    },
    async resize(n) {
      if (n === shards.length) return;
      generation?.abort();
      await loops;
      shards = Array.from({ length: n }, make);
      if (outer !== undefined && !outer.aborted) startLoops(outer);
    },
  };
}
