import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { createShard } from '../../../../src/component/remote-write/queue/shard.js';
import type { QueuedSeries } from '../../../../src/component/remote-write/queue/shard-buffer.js';
import { createShardSet, type ShardSet } from '../../../../src/component/remote-write/queue/shard-set.js';
import { realSleep } from '../../../../src/transport/sleep.js';

const clock = { now: () => Date.now(), sleep: realSleep, random: () => 0 };

beforeEach(() => {
  vi.useFakeTimers({ now: 1_000_000 });
});
afterEach(() => {
  vi.useRealTimers();
});

/** One sample of series `key` with value `v`; the shard key is the series number itself. */
const entry = (key: number, v: number): QueuedSeries => ({
  labels: [{ name: 's', value: String(key) }],
  samples: [{ timestamp: v, value: v }],
  histograms: [],
  exemplars: [],
  count: 1,
  shardKey: key,
});

/** Shards whose sends wait for `release()`; every delivered item is logged as [key, value]. */
function gatedSet(initial: number, capacity: number) {
  const log: [number, number][] = [];
  let open: () => void = () => {};
  let gate = new Promise<void>((r) => (open = r));
  let sending = 0;
  const set = createShardSet(initial, capacity, () =>
    createShard({
      maxSamplesPerSend: 4,
      batchSendDeadlineMs: 1_000,
      clock,
      async send(batch) {
        sending++;
        await gate;
        sending--;
        for (const e of batch) for (const s of e.samples) log.push([e.shardKey, s.value]);
      },
    }),
  );
  return {
    set,
    log,
    sending: () => sending,
    release() {
      open();
      gate = new Promise<void>((r) => (open = r));
    },
  };
}

function start(set: ShardSet) {
  const stop = new AbortController();
  const hard = new AbortController();
  set.start(stop.signal, hard.signal);
  return stop;
}

const valuesOf = (log: readonly [number, number][], key: number) => log.filter(([k]) => k === key).map(([, v]) => v);

describe('shard set drain-and-swap', () => {
  it('sends nothing from the new shards until every old shard has flushed', async () => {
    const g = gatedSet(2, 100);
    const stop = start(g.set);
    for (let v = 0; v < 10; v++) g.set.enqueue([0, 1, 2, 3, 4, 5].map((k) => entry(k, v)));
    await vi.advanceTimersByTimeAsync(0);
    expect(g.sending()).toBe(2);

    g.set.reshard(3);
    expect(g.set.count).toBe(3);
    expect(g.set.swapping).toBe(true);
    for (let v = 10; v < 20; v++) g.set.enqueue([0, 1, 2, 3, 4, 5].map((k) => entry(k, v)));
    await vi.advanceTimersByTimeAsync(5_000);
    expect(g.sending()).toBe(2); // only the two old shards, still flushing

    for (let i = 0; i < 20 && g.log.filter(([, v]) => v < 10).length < 60; i++) {
      expect(g.log.every(([, v]) => v < 10)).toBe(true);
      g.release();
      await vi.advanceTimersByTimeAsync(0);
    }
    expect(g.set.swapping).toBe(false);
    for (let i = 0; i < 40; i++) {
      g.release();
      await vi.advanceTimersByTimeAsync(1_000);
    }
    for (let k = 0; k < 6; k++) expect(valuesOf(g.log, k)).toEqual(Array.from({ length: 20 }, (_, i) => i));
    stop.abort();
    await g.set.done();
  });

  it('bounds old and new items together by max(N, M) × capacity while draining', async () => {
    const g = gatedSet(4, 10);
    const stop = start(g.set);
    for (let k = 0; k < 40; k++) g.set.enqueue([entry(k, 0)]);
    await vi.advanceTimersByTimeAsync(0);
    g.set.reshard(2);
    // Old shards hold 40; the bound is 4 × 10 = 40: nothing more fits until they drain.
    expect(g.set.fits([entry(0, 1)])).toBe(false);
    g.release();
    await vi.advanceTimersByTimeAsync(0);
    expect(g.set.fits([entry(0, 1)])).toBe(true);
    let accepted = 0;
    for (let k = 0; k < 100; k++) {
      if (!g.set.fits([entry(k, 1)])) break;
      g.set.enqueue([entry(k, 1)]);
      accepted++;
    }
    expect(accepted).toBeLessThanOrEqual(40);
    for (let i = 0; i < 40; i++) {
      g.release();
      await vi.advanceTimersByTimeAsync(1_000);
    }
    expect(g.log).toHaveLength(40 + accepted);
    stop.abort();
    await g.set.done();
  });

  it('a stop during a swap flushes both generations, the old first', async () => {
    const g = gatedSet(1, 100);
    const stop = start(g.set);
    g.set.enqueue([entry(7, 0), entry(7, 1)]);
    g.set.reshard(5);
    g.set.enqueue([entry(7, 2), entry(7, 3)]);
    g.set.reshard(2); // ignored: a swap is under way
    expect(g.set.count).toBe(5);
    stop.abort();
    g.set.reshard(3); // ignored: stopping
    let finished = false;
    const done = g.set.done().then(() => (finished = true));
    for (let i = 0; i < 10; i++) {
      g.release();
      await vi.advanceTimersByTimeAsync(0);
    }
    await done;
    expect(finished).toBe(true);
    expect(g.set.count).toBe(5);
    expect(valuesOf(g.log, 7)).toEqual([0, 1, 2, 3]);
  });
});
