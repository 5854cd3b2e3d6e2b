import { failure } from './transport-error.js';
import { createRetryPolicy, type RetryPolicy } from './retry-policy.js';
import { realSleep, type Sleep } from './sleep.js';
import type { Transport, TransportMiddleware, TransportRequest, TransportResult } from './types.js';

export interface RetryEvent {
  readonly request: TransportRequest;
  /** The attempt that failed (1-based). */
  readonly attempt: number;
  readonly delayMs: number;
  readonly result: TransportResult;
}

export interface WithRetryOptions {
  readonly sleep?: Sleep;
  readonly now?: () => number;
  readonly random?: () => number;
  /** Called before each wait; for metrics and logs. */
  readonly onRetry?: (event: RetryEvent) => void;
}

/**
 * Retries through `policy`. Unlike undici's retry interceptor it retries POST: the request's
 * body is a Uint8Array, so every attempt sends the same bytes. Ends with the last result when
 * the policy gives up, or an `aborted` error when the request's signal aborts while waiting.
 */
export function withRetry(
  policy: RetryPolicy = createRetryPolicy(),
  options: WithRetryOptions = {},
): TransportMiddleware {
  const sleep = options.sleep ?? realSleep;
  const now = options.now ?? Date.now;
  const random = options.random ?? Math.random;
  return (inner: Transport): Transport => ({
    async send(request) {
      const started = now();
      for (let attempt = 1; ; attempt++) {
        const result = await inner.send(request);
        const decision = policy.decide(result, { attempt, elapsedMs: now() - started, random: random() });
        if (decision.action === 'done') return result;
        if (request.signal?.aborted) return failure('aborted', 'request aborted between retries');
        options.onRetry?.({ request, attempt, delayMs: decision.delayMs, result });
        const waited = await sleep(decision.delayMs, request.signal);
        if (!waited) return failure('aborted', 'request aborted between retries');
      }
    },
    close: () => inner.close(),
  });
}
