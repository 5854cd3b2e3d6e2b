import { TenantwireError } from '../errors.js';
import type { TenantRights } from '../protocol/write-types.js';
import type { TimeSeries, WriteRequest } from '../wire/types.js';

/**
 * What a component exports for others to push into (Alloy's `receiver` export). Two paths:
 * - `pushRequest`: a whole decoded remote-write request (the receive path: an HTTP handler);
 * - `append`: series appended by a pipeline (the embedding path).
 * Both resolve once the data is accepted into the receiver's queue, not when it is delivered.
 * All-or-nothing: a request is accepted whole or rejected whole.
 *
 * Rejections the HTTP side maps to statuses without string matching:
 * - BackPressureError (code `queue_full`): 503, with `Retry-After` from `retryAfterMs` (every
 *   sender retries a 503; Prometheus retries a 429 only when configured to);
 * - TenantError (`missing_tenant`, `invalid_tenant`): 400;
 * - AuthError (`forbidden_tenant`): 403; TenantLimitError: 429 + Retry-After (rate) or 400;
 * - ReceiverClosedError (code `receiver_closed`): 503 + `Retry-After`.
 */
export interface Receiver {
  pushRequest(request: WriteRequest, context?: PushContext): Promise<void>;
  append(series: readonly TimeSeries[], context?: PushContext): Promise<void>;
}

export interface PushContext {
  /** The tenant header of the incoming request (for `prefix_prefer_source`). */
  readonly sourceTenant?: string;
  /** What the sender's credential may write (receive_http `auth`); undefined: no ingress auth. */
  readonly rights?: TenantRights;
}

/** The queue is full: retry later. HTTP 503 + Retry-After. */
export class BackPressureError extends TenantwireError<'queue_full'> {
  /** A hint for the sender (Retry-After), when the queue can tell. */
  readonly retryAfterMs: number | undefined;
  constructor(message: string, retryAfterMs?: number) {
    super('queue_full', message);
    this.retryAfterMs = retryAfterMs;
  }
}

/** The receiver's component has stopped. HTTP 503. */
export class ReceiverClosedError extends TenantwireError<'receiver_closed'> {
  constructor(message: string) {
    super('receiver_closed', message);
  }
}

export const isBackPressureError = (e: unknown): e is BackPressureError => e instanceof BackPressureError;

/** Duck-typed check, for argument schemas that take receivers (`forward_to`). */
export function isReceiver(value: unknown): value is Receiver {
  if (typeof value !== 'object' || value === null) return false;
  const r = value as Partial<Receiver>;
  return typeof r.pushRequest === 'function' && typeof r.append === 'function';
}

/** A receiver that fans out to several (Alloy's `forward_to: [a, b]`): resolves when all accepted. */
export function fanOutReceiver(targets: readonly Receiver[]): Receiver {
  return {
    async pushRequest(request, context) {
      await Promise.all(targets.map((t) => t.pushRequest(request, context)));
    },
    async append(series, context) {
      await Promise.all(targets.map((t) => t.append(series, context)));
    },
  };
}
