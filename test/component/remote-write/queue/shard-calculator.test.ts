import { describe, expect, it } from 'vitest';
import { createEwmaRate, createQueueRates } from '../../../../src/component/remote-write/queue/ewma-rate.js';
import {
  decideShards,
  desiredShardCount,
  type ShardInputs,
  type ShardReason,
} from '../../../../src/component/remote-write/queue/shard-calculator.js';

/**
 * A base where one item costs 4 ms of sending (4 send-seconds per second over 1,000 items per
 * second), so desired = 0.004 × (in + 0.05 × pending): 1,000 items/s in wants exactly 4 shards.
 */
const base: ShardInputs = {
  current: 4,
  min: 1,
  max: 10,
  dataInRate: 1_000,
  dataOutRate: 1_000,
  dataOutDurationRate: 4,
  pending: 0,
  delaySeconds: 0,
  now: 100_000,
  lastSendAt: 99_000,
  holdUntil: 0,
  intervalMs: 10_000,
};

type Row = [name: string, change: Partial<ShardInputs>, shards: number, reason: ShardReason];

const rows: Row[] = [
  ['keeps up exactly', {}, 4, 'within-tolerance'],
  ['+25 % is inside the 30 % tolerance', { dataInRate: 1_250 }, 4, 'within-tolerance'],
  ['+50 % scales up', { dataInRate: 1_500 }, 6, 'scale-up'],
  ['the backlog adds 5 % per second', { pending: 20_000 }, 8, 'scale-up'],
  ['a big backlog is clamped to max', { pending: 400_000 }, 10, 'scale-up'],
  ['already at max', { current: 10, pending: 400_000 }, 10, 'at-bound'],
  ['rounds up: 1.2 wanted from 1 is 2', { current: 1, dataInRate: 300 }, 2, 'scale-up'],
  ['nothing in: down to min', { current: 8, dataInRate: 0 }, 1, 'scale-down'],
  ['already at min', { current: 1, dataInRate: 0 }, 1, 'at-bound'],
  ['down by more than 30 %', { current: 8, dataInRate: 500 }, 2, 'scale-down'],
  ['-25 % is inside the tolerance', { current: 10, dataInRate: 1_875 }, 10, 'within-tolerance'],
  ['the lower edge is inclusive', { current: 10, dataInRate: 1_750 }, 10, 'within-tolerance'],
  ['no scale down while more than 10 s behind', { current: 8, dataInRate: 500, delaySeconds: 10.5 }, 8, 'behind'],
  ['10 s behind exactly may scale down', { current: 8, dataInRate: 500, delaySeconds: 10 }, 2, 'scale-down'],
  ['being behind does not stop a scale up', { dataInRate: 2_000, delaySeconds: 60 }, 8, 'scale-up'],
  ['no scale up while sends fail', { dataInRate: 2_000, holdUntil: 100_001 }, 4, 'failing'],
  ['no scale down while sends fail', { current: 8, dataInRate: 500, holdUntil: 100_001 }, 8, 'failing'],
  ['the hold ends at its time', { dataInRate: 2_000, holdUntil: 100_000 }, 8, 'scale-up'],
  ['data waits but nothing settled for an interval', { pending: 20_000, lastSendAt: 89_999 }, 4, 'stalled'],
  ['never sent, data waits', { pending: 20_000, lastSendAt: undefined }, 4, 'stalled'],
  ['a send settled within the interval', { pending: 20_000, lastSendAt: 90_000 }, 8, 'scale-up'],
  [
    'idle (nothing waits) may scale down without recent sends',
    { current: 8, dataInRate: 0, lastSendAt: 0 },
    1,
    'scale-down',
  ],
  ['no sends measured yet', { dataOutRate: 0, pending: 50_000 }, 4, 'no-sends-yet'],
  ['dropped data is not sent: only the kept share counts', { dataInRate: 3_000, droppedRate: 1_000 }, 6, 'scale-up'],
  ['min above the desire', { current: 3, min: 3, dataInRate: 0 }, 3, 'at-bound'],
];

describe('decideShards (Prometheus queue-manager rule)', () => {
  it.each(rows)('%s', (_name, change, shards, reason) => {
    const d = decideShards({ ...base, ...change });
    expect(d.reason).toBe(reason);
    expect(d.shards).toBe(shards);
  });

  it('reports the raw desired figure for the gauge', () => {
    expect(decideShards({ ...base, pending: 10_000 }).desired).toBeCloseTo(6, 10);
    expect(decideShards({ ...base, dataInRate: 1_100 }).desired).toBeCloseTo(4.4, 10);
    expect(Number.isNaN(decideShards({ ...base, dataOutRate: 0 }).desired)).toBe(true);
  });

  it('timePerSample × (in × kept + 0.05 × pending)', () => {
    // 2 send-seconds per second over 500 items: 4 ms per item; 200 in, 2,000 pending.
    expect(
      desiredShardCount({ ...base, dataOutRate: 500, dataOutDurationRate: 2, dataInRate: 200, pending: 2_000 }),
    ).toBeCloseTo(0.004 * (200 + 100), 10);
  });

  it('never answers outside [min, max]', () => {
    for (let current = 1; current <= 10; current++) {
      for (const dataInRate of [0, 1, 100, 1_000, 10_000, 1e6]) {
        for (const pending of [0, 1_000, 1e6]) {
          const d = decideShards({ ...base, current, min: 2, max: 7, dataInRate, pending });
          if (d.shards !== current) {
            expect(d.shards).toBeGreaterThanOrEqual(2);
            expect(d.shards).toBeLessThanOrEqual(7);
          }
        }
      }
    }
  });
});

describe('EWMA rate', () => {
  it('is seeded by the first tick that saw events, then moves 20 % towards each new rate', () => {
    const r = createEwmaRate();
    r.tick(10);
    expect(r.rate).toBe(0);
    r.add(1_000);
    expect(r.unticked).toBe(1_000);
    r.tick(10);
    expect(r.rate).toBe(100);
    expect(r.unticked).toBe(0);
    r.add(2_000);
    r.tick(10);
    expect(r.rate).toBeCloseTo(100 + 0.2 * (200 - 100), 10);
    r.tick(10);
    expect(r.rate).toBeCloseTo(120 * 0.8, 10);
  });

  it('decays towards zero when idle but stays positive', () => {
    const r = createEwmaRate();
    r.add(100);
    r.tick(1);
    for (let i = 0; i < 50; i++) r.tick(1);
    expect(r.rate).toBeGreaterThan(0);
    expect(r.rate).toBeLessThan(0.01);
  });

  it('ignores a tick of no length (keeps the events for the next one)', () => {
    const r = createEwmaRate();
    r.add(5);
    r.tick(0);
    expect(r.rate).toBe(0);
  });

  it('ticks the queue rates together', () => {
    const q = createQueueRates();
    q.dataIn.add(10);
    q.dataOut.add(20);
    q.dataOutDuration.add(0.5);
    q.tick(10);
    expect([q.dataIn.rate, q.dataOut.rate, q.dataOutDuration.rate]).toEqual([1, 2, 0.05]);
  });
});
