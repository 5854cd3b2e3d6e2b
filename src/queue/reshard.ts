/**
 * How many shards one tenant's delivery wants, between min_shards and max_shards: enough for its
 * backlog to go out one full batch per shard. It grows only while the upstream is taking batches
 * (more shards against an upstream that is down or rate limiting would only add load), shrinks
 * once half as many would do, and changes at most once per RESHARD_INTERVAL_MS (each change waits
 * for the shards to be idle, so it must not happen on every batch).
 */
export const RESHARD_INTERVAL_MS = 1_000;

export interface ReshardInput {
  readonly current: number;
  readonly minShards: number;
  readonly maxShards: number;
  /** Samples + histograms + exemplars queued and not yet delivered. */
  readonly backlogItems: number;
  readonly maxSamplesPerSend: number;
  /** Batches delivered since the last change. */
  readonly delivered: number;
  readonly sinceChangeMs: number;
}

export function desiredShards(i: ReshardInput): number {
  if (i.sinceChangeMs < RESHARD_INTERVAL_MS || i.minShards === i.maxShards) return i.current;
  const need = Math.min(i.maxShards, Math.max(i.minShards, Math.ceil(i.backlogItems / i.maxSamplesPerSend)));
  if (need > i.current) return i.delivered > 0 ? need : i.current;
  if (need * 2 <= i.current) return need;
  return i.current;
}

/** One tenant's reshard state: a decision is kept until the shards are idle and it is applied. */
export interface Resharder {
  /** The shard count wanted now. */
  wanted(current: number, backlogItems: number): number;
  /** A batch was delivered. */
  delivered(): void;
  /** The shards now number `n`. */
  applied(n: number): void;
  /** How long the log reader may wait for appends before asking again; undefined: never resharded. */
  readonly recheckMs: number | undefined;
}

export interface ResharderOptions {
  readonly minShards: number;
  readonly maxShards: number;
  readonly maxSamplesPerSend: number;
  readonly now: () => number;
}

export function createResharder(o: ResharderOptions): Resharder {
  let changedAt = o.now();
  let delivered = 0;
  let target: number | undefined;
  return {
    recheckMs: o.minShards === o.maxShards ? undefined : RESHARD_INTERVAL_MS,
    wanted(current, backlogItems) {
      if (target !== undefined && target !== current) return target;
      target = undefined;
      const want = desiredShards({
        current,
        minShards: o.minShards,
        maxShards: o.maxShards,
        backlogItems,
        maxSamplesPerSend: o.maxSamplesPerSend,
        delivered,
        sinceChangeMs: o.now() - changedAt,
      });
      if (want !== current) target = want;
      return want;
    },
    delivered() {
      delivered++;
    },
    applied() {
      target = undefined;
      changedAt = o.now();
      delivered = 0;
    },
  };
}
