/**
 * How often the cluster primary replaces a crashed worker before it gives up: a worker that
 * dies more than WORKER_RESTART_LIMIT times within WORKER_RESTART_WINDOW_MS is a crash loop
 * (a poison input, a bad host), and a process that keeps restarting it would look alive while
 * serving little. Pure: the clock is passed in.
 */
export const WORKER_RESTART_LIMIT = 5;
export const WORKER_RESTART_WINDOW_MS = 60_000;
/** Backoff before the n-th restart within the window: BASE * 2^(n-1), at most MAX. */
export const WORKER_RESTART_BASE_DELAY_MS = 100;
export const WORKER_RESTART_MAX_DELAY_MS = 5_000;

export type RestartDecision =
  | { readonly restart: true; readonly delayMs: number; readonly recent: number }
  | { readonly restart: false; readonly recent: number };

export interface RestartBudget {
  /** Records one unexpected worker exit at `nowMs` and says whether to replace the worker. */
  crashed(nowMs: number): RestartDecision;
}

export interface RestartBudgetOptions {
  readonly limit?: number;
  readonly windowMs?: number;
  readonly baseDelayMs?: number;
  readonly maxDelayMs?: number;
}

export function createRestartBudget(options: RestartBudgetOptions = {}): RestartBudget {
  const limit = options.limit ?? WORKER_RESTART_LIMIT;
  const windowMs = options.windowMs ?? WORKER_RESTART_WINDOW_MS;
  const baseDelayMs = options.baseDelayMs ?? WORKER_RESTART_BASE_DELAY_MS;
  const maxDelayMs = options.maxDelayMs ?? WORKER_RESTART_MAX_DELAY_MS;
  let crashes: number[] = [];
  return {
    crashed(nowMs) {
      crashes = crashes.filter((t) => nowMs - t < windowMs);
      crashes.push(nowMs);
      const recent = crashes.length;
      if (recent > limit) return { restart: false, recent };
      // 2^(recent-1) stays small: recent <= limit.
      return { restart: true, delayMs: Math.min(maxDelayMs, baseDelayMs * 2 ** (recent - 1)), recent };
    },
  };
}
