import { describe, expect, it } from 'vitest';
import { desiredShards, RESHARD_INTERVAL_MS } from '../../src/queue/reshard.js';

const base = {
  current: 1,
  minShards: 1,
  maxShards: 8,
  backlogItems: 0,
  maxSamplesPerSend: 100,
  delivered: 1,
  sinceChangeMs: RESHARD_INTERVAL_MS,
};

describe('desiredShards', () => {
  it('grows with the backlog, one full batch per shard, up to max_shards', () => {
    expect(desiredShards({ ...base, backlogItems: 350 })).toBe(4);
    expect(desiredShards({ ...base, backlogItems: 5_000 })).toBe(8);
  });

  it('does not grow against an upstream that delivered nothing since the last change', () => {
    expect(desiredShards({ ...base, backlogItems: 5_000, delivered: 0 })).toBe(1);
  });

  it('changes at most once per interval', () => {
    expect(desiredShards({ ...base, backlogItems: 5_000, sinceChangeMs: RESHARD_INTERVAL_MS - 1 })).toBe(1);
  });

  it('shrinks once half as many would do, never under min_shards', () => {
    expect(desiredShards({ ...base, current: 8, backlogItems: 500 })).toBe(8);
    expect(desiredShards({ ...base, current: 8, backlogItems: 400 })).toBe(4);
    expect(desiredShards({ ...base, current: 8, minShards: 2, backlogItems: 0 })).toBe(2);
  });

  it('min_shards = max_shards: fixed', () => {
    expect(desiredShards({ ...base, current: 3, minShards: 3, maxShards: 3, backlogItems: 9_999 })).toBe(3);
  });
});
