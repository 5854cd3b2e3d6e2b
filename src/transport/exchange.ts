/**
 * What every HTTP transport does around one exchange, whatever client sends it: a deadline
 * joined with the caller's signal, and the answer shaped as a TransportResponse (lower-case
 * headers, the `Retry-After` hint parsed). The fetch and undici transports share these.
 */
import { setMaxListeners } from 'node:events';
import { parseRetryAfter } from '../http/retry-after.js';
import type { TransportResponse } from './types.js';

export interface ExchangeDeadline {
  /** Aborts when the deadline passes or the caller's signal aborts. */
  readonly signal: AbortSignal;
  /** True once the deadline (not the caller) aborted the exchange. */
  timedOut(): boolean;
  /** Clears the timer and the listener on the caller's signal; call it in `finally`. */
  dispose(): void;
}

/** A deadline of `timeoutMs` that also follows `callerSignal`. */
export function startDeadline(timeoutMs: number, callerSignal?: AbortSignal): ExchangeDeadline {
  const controller = new AbortController();
  let timedOut = false;
  const timer = setTimeout(() => {
    timedOut = true;
    controller.abort();
  }, timeoutMs);
  const onAbort = () => controller.abort();
  if (callerSignal) {
    // One caller signal commonly spans many exchanges at once (a request fanned out to 100
    // tenants, 50 shards of a queue): listeners come and go, so there is no leak to warn of.
    setMaxListeners(0, callerSignal);
    callerSignal.addEventListener('abort', onAbort, { once: true });
  }
  return {
    signal: controller.signal,
    timedOut: () => timedOut,
    dispose() {
      clearTimeout(timer);
      callerSignal?.removeEventListener('abort', onAbort);
    },
  };
}

/** The response result; `headers` must already have lower-case names. */
export function responseResult(
  status: number,
  headers: Record<string, string>,
  body: Uint8Array,
  nowMs: number,
): TransportResponse {
  const retryAfterMs = parseRetryAfter(headers['retry-after'], nowMs);
  return retryAfterMs === undefined
    ? { kind: 'response', status, headers, body }
    : { kind: 'response', status, headers, body, retryAfterMs };
}
