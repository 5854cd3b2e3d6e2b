/**
 * An exponentially weighted moving average of a rate (events per second), the way Prometheus'
 * queue manager smooths its samples-in / samples-out / send-duration figures: events are added
 * as they happen, and once per shard-update tick the instantaneous rate of that tick is blended
 * into the average with weight `weight`. Pure: the caller says how long the tick was.
 *
 * The first tick that saw any event seeds the average with that tick's rate (no slow ramp up
 * from zero); after that every tick, quiet ones included, moves the average towards the new
 * instantaneous rate, so an idle queue's rates decay geometrically towards zero.
 */
export interface EwmaRate {
  /** The smoothed rate after the last tick, per second; 0 before any event. */
  readonly rate: number;
  /** Events since the last tick, not yet in `rate`. */
  readonly unticked: number;
  add(n: number): void;
  /** Folds the events of the last `elapsedSeconds` into the average (a zero-length tick keeps them). */
  tick(elapsedSeconds: number): void;
}

/** Prometheus' `ewmaWeight`. */
export const EWMA_WEIGHT = 0.2;

export function createEwmaRate(weight: number = EWMA_WEIGHT): EwmaRate {
  let rate = 0;
  let unticked = 0;
  let seeded = false;
  return {
    get rate() {
      return rate;
    },
    get unticked() {
      return unticked;
    },
    add(n) {
      unticked += n;
    },
    tick(elapsedSeconds) {
      if (!(elapsedSeconds > 0)) return;
      const events = unticked;
      unticked = 0;
      const instant = events / elapsedSeconds;
      if (seeded) rate += weight * (instant - rate);
      else if (events > 0) {
        seeded = true;
        rate = instant;
      }
    },
  };
}

/** The figures one tenant queue keeps for its shard calculation. */
export interface QueueRates {
  /** Items (samples + histograms + exemplars) accepted into the queue. */
  readonly dataIn: EwmaRate;
  /** Items whose send settled (delivered, dropped or given up: work done either way). */
  readonly dataOut: EwmaRate;
  /** Seconds spent in sends, retries included, summed over shards. */
  readonly dataOutDuration: EwmaRate;
  tick(elapsedSeconds: number): void;
}

export function createQueueRates(weight: number = EWMA_WEIGHT): QueueRates {
  const dataIn = createEwmaRate(weight);
  const dataOut = createEwmaRate(weight);
  const dataOutDuration = createEwmaRate(weight);
  return {
    dataIn,
    dataOut,
    dataOutDuration,
    tick(elapsedSeconds) {
      dataIn.tick(elapsedSeconds);
      dataOut.tick(elapsedSeconds);
      dataOutDuration.tick(elapsedSeconds);
    },
  };
}
