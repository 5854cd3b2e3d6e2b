import type { Clock } from '../clock.js';
import type { QueueRates } from './ewma-rate.js';
import { decideShards, type ShardDecision } from './shard-calculator.js';

/**
 * The timer half of dynamic sharding: every `intervalMs` (Prometheus: 10 s) fold the rates
 * gathered since the last tick into their moving averages, read the queue's state, ask the
 * pure calculator, and hand the decision over. It never waits for a swap to finish, so the
 * rates keep ticking while old shards drain; the shard set ignores a new swap meanwhile.
 */
export interface ReshardState {
  readonly current: number;
  readonly pending: number;
  readonly delaySeconds: number;
  readonly lastSendAt: number | undefined;
  readonly holdUntil: number;
}

export interface ReshardLoopOptions {
  readonly clock: Clock;
  readonly intervalMs: number;
  readonly minShards: number;
  readonly maxShards: number;
  readonly rates: QueueRates;
  state(): ReshardState;
  /** Called after every tick with the decision and the state it was made from. */
  apply(decision: ShardDecision, state: ReshardState): void;
}

/** Default shard update interval, Prometheus' `shardUpdateDuration`. */
export const RESHARD_INTERVAL_MS = 10_000;

export async function runReshardLoop(o: ReshardLoopOptions, stop: AbortSignal): Promise<void> {
  let last = o.clock.now();
  while (await o.clock.sleep(o.intervalMs, stop)) {
    const now = o.clock.now();
    o.rates.tick((now - last) / 1000);
    last = now;
    const state = o.state();
    const decision = decideShards({
      current: state.current,
      min: o.minShards,
      max: o.maxShards,
      dataInRate: o.rates.dataIn.rate,
      dataOutRate: o.rates.dataOut.rate,
      dataOutDurationRate: o.rates.dataOutDuration.rate,
      pending: state.pending,
      delaySeconds: state.delaySeconds,
      now,
      lastSendAt: state.lastSendAt,
      holdUntil: state.holdUntil,
      intervalMs: o.intervalMs,
    });
    o.apply(decision, state);
  }
}
