/**
 * A token bucket for one tenant's ingestion rate (samples per second), pure: the caller passes
 * the time (ms) on every call, so tests drive it with a fake clock. It fills at `rate` tokens a
 * second up to `burst`. Checking and taking are separate: the proxy decides for every tenant of
 * a request first and takes tokens only for the sends it really forwards.
 *
 * A request needing more than `burst` tokens could never fit, and refusing it forever would
 * stall the sender on it: it is admitted when the bucket is full and leaves it in debt (below
 * zero), so the long-run rate still holds.
 */
export interface TokenBucket {
  /** Ms until `n` tokens can be taken (0: now). */
  waitMs(n: number, nowMs: number): number;
  /** Takes `n` tokens (the bucket may go below zero: see above). */
  take(n: number, nowMs: number): void;
  /** True when the bucket is full at `nowMs` (its state then equals a new bucket's). */
  isFull(nowMs: number): boolean;
}

export function createTokenBucket(rate: number, burst: number, nowMs: number): TokenBucket {
  if (!(rate > 0) || !(burst > 0)) throw new RangeError('a token bucket needs rate > 0 and burst > 0');
  let tokens = burst;
  let last = nowMs;
  const refill = (now: number): void => {
    // A clock that goes back (a test, a monotonic source reset) neither fills nor drains.
    if (now > last) tokens = Math.min(burst, tokens + ((now - last) * rate) / 1000);
    last = Math.max(last, now);
  };
  return {
    waitMs(n, now) {
      refill(now);
      const need = Math.min(n, burst);
      if (tokens >= need) return 0;
      return Math.ceil(((need - tokens) * 1000) / rate);
    },
    take(n, now) {
      refill(now);
      tokens -= n;
    },
    isFull(now) {
      refill(now);
      return tokens >= burst;
    },
  };
}
