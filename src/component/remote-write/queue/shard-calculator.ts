/**
 * How many shards a tenant queue should run: Prometheus' queue-manager rule, pure. Everything
 * it needs (smoothed rates, the backlog, the clock's now, when sends last settled or failed) is
 * passed in; the answer says the shard count to use and why.
 *
 *   timePerSample = dataOutDuration / dataOutRate        (seconds of sending per item)
 *   keptRatio     = dataOutRate / (droppedRate + dataOutRate)
 *   desired       = timePerSample * (dataInRate * keptRatio + 0.05 * pending)
 *
 * i.e. enough parallel senders to keep up with what comes in, plus 5 % of the backlog per
 * second. Rounded up, then changed only if it leaves current ±30 %; never down while the
 * queue is more than 10 s behind; clamped to [min, max]; and never changed while sends are
 * failing (a recoverable error recently) or stalled (data waits but no send has settled for a
 * whole update interval): a reshard drains the old shards, which cannot finish then.
 */
export interface ShardInputs {
  readonly current: number;
  readonly min: number;
  readonly max: number;
  /** Items per second accepted into the queue (EWMA). */
  readonly dataInRate: number;
  /** Items per second whose send settled (EWMA). */
  readonly dataOutRate: number;
  /** Send seconds per second, summed over shards (EWMA). */
  readonly dataOutDurationRate: number;
  /** Items per second dropped before they could be sent (none today: relabelling is upstream). */
  readonly droppedRate?: number;
  /** Items buffered or in flight now. */
  readonly pending: number;
  /** Newest received timestamp minus newest delivered one, seconds; 0 when nothing waits. */
  readonly delaySeconds: number;
  readonly now: number;
  /** Clock time the last send settled, undefined before the first. */
  readonly lastSendAt: number | undefined;
  /** Resharding stays off until this clock time (set on recoverable send errors). */
  readonly holdUntil: number;
  readonly intervalMs: number;
}

export type ShardReason =
  | 'no-sends-yet'
  | 'within-tolerance'
  | 'behind'
  | 'at-bound'
  | 'failing'
  | 'stalled'
  | 'scale-up'
  | 'scale-down';

export interface ShardDecision {
  /** The shard count to run: `current` unless the reason is scale-up or scale-down. */
  readonly shards: number;
  /** The raw desired figure (the `shards_desired` gauge); NaN when there was nothing to measure. */
  readonly desired: number;
  readonly reason: ShardReason;
}

/** Prometheus' `shardToleranceFraction`. */
export const SHARD_TOLERANCE = 0.3;
/** Share of the backlog to catch up on per second. */
export const BACKLOG_CATCHUP = 0.05;
/** Do not drop shards while more than this many seconds behind. */
export const MAX_DELAY_TO_DOWNSHARD_S = 10;

export function desiredShardCount(i: ShardInputs): number {
  if (!(i.dataOutRate > 0)) return Number.NaN;
  const dropped = i.droppedRate ?? 0;
  const keptRatio = i.dataOutRate / (dropped + i.dataOutRate);
  const timePerSample = i.dataOutDurationRate / i.dataOutRate;
  return timePerSample * (i.dataInRate * keptRatio + BACKLOG_CATCHUP * i.pending);
}

export function decideShards(i: ShardInputs): ShardDecision {
  const keep = (reason: ShardReason, desired: number): ShardDecision => ({ shards: i.current, desired, reason });
  const desired = desiredShardCount(i);
  if (Number.isNaN(desired)) return keep('no-sends-yet', desired);

  const wanted = Math.ceil(desired);
  const lower = i.current * (1 - SHARD_TOLERANCE);
  const upper = i.current * (1 + SHARD_TOLERANCE);
  if (wanted >= lower && wanted <= upper) return keep('within-tolerance', desired);
  if (wanted < i.current && i.delaySeconds > MAX_DELAY_TO_DOWNSHARD_S) return keep('behind', desired);

  const clamped = Math.min(i.max, Math.max(i.min, wanted));
  if (clamped === i.current) return keep('at-bound', desired);

  if (i.now < i.holdUntil) return keep('failing', desired);
  const stale = i.lastSendAt === undefined || i.lastSendAt < i.now - i.intervalMs;
  if (i.pending > 0 && stale) return keep('stalled', desired);

  return { shards: clamped, desired, reason: clamped > i.current ? 'scale-up' : 'scale-down' };
}
