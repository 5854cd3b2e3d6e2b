/**
 * Waiting on an event instead of sleeping: `eventually(fn)` calls `fn` until it passes or the
 * deadline comes. `fn` passes when it returns (or resolves to) anything but `false`; it fails by
 * throwing (an assertion) or by returning `false` (a predicate). The value it passed with is
 * returned, so a poll can also fetch what it waited for. On timeout the error names `message`
 * and carries the last failure, so a red test says what it was waiting for and what it saw.
 *
 * Polling needs real timers: under vitest fake timers, advance the clock instead.
 */
export interface EventuallyOptions {
  /** Default 5 s; an e2e test waiting on a real peer passes more. */
  readonly timeoutMs?: number;
  /** Pause between attempts; default 20 ms. */
  readonly intervalMs?: number;
  /** What is awaited, for the timeout error, e.g. 'the upstream to receive 2 requests'. */
  readonly message?: string;
}

export const EVENTUALLY_DEFAULTS = { timeoutMs: 5_000, intervalMs: 20 } as const;

const TIMED_OUT = Symbol('timed out');

export async function eventually<T>(
  fn: () => T | Promise<T>,
  options: EventuallyOptions = {},
): Promise<Exclude<T, false>> {
  const timeoutMs = options.timeoutMs ?? EVENTUALLY_DEFAULTS.timeoutMs;
  const intervalMs = options.intervalMs ?? EVENTUALLY_DEFAULTS.intervalMs;
  const deadline = Date.now() + timeoutMs;
  let last: unknown = new Error('the condition was never checked');
  let attempts = 0;
  for (;;) {
    attempts += 1;
    const left = Math.max(0, deadline - Date.now());
    // An attempt that hangs (a request to a peer that never answers) must not outlive the deadline.
    let timer: NodeJS.Timeout | undefined;
    const expired = new Promise<typeof TIMED_OUT>((res) => {
      timer = setTimeout(() => res(TIMED_OUT), left);
    });
    try {
      const value = await Promise.race([Promise.resolve().then(fn), expired]);
      if (value === TIMED_OUT) last = new Error(`an attempt was still pending at the deadline`);
      else if (value === false) last = new Error('the predicate returned false');
      else return value as Exclude<T, false>;
    } catch (e) {
      last = e;
    } finally {
      clearTimeout(timer);
    }
    if (Date.now() >= deadline) break;
    await new Promise((res) => setTimeout(res, Math.min(intervalMs, Math.max(0, deadline - Date.now()))));
  }
  const why = last instanceof Error ? last.message : String(last);
  const what = options.message ?? 'a condition';
  throw new Error(`timed out after ${timeoutMs} ms (${attempts} attempts) waiting for ${what}; last failure: ${why}`, {
    cause: last,
  });
}
