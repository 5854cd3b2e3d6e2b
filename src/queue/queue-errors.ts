import { TenantwireError } from '../errors.js';

/**
 * What `DurableQueue.enqueue` rejects with. The WAL's own errors are mapped by their stable
 * `code` (not their classes), so this module does not depend on the WAL's implementation.
 */
export class QueueError extends TenantwireError {}

/** The disk bound (total or the tenant's share) is reached: answer 503 with Retry-After. */
export class QueueFullError extends QueueError {
  readonly retryAfterMs: number;
  readonly scope: 'total' | 'tenant' | undefined;
  readonly tenant: string | undefined;
  constructor(
    message: string,
    details: { retryAfterMs: number; scope?: 'total' | 'tenant'; tenant?: string },
    options?: { cause?: unknown },
  ) {
    super('queue_full', message, options);
    this.retryAfterMs = details.retryAfterMs;
    this.scope = details.scope;
    this.tenant = details.tenant;
  }
}

/** The disk failed (ENOSPC, EIO, ...): answer 503; the sender retries. */
export class QueueIoError extends QueueError {
  constructor(message: string, options?: { cause?: unknown }) {
    super('queue_io', message, options);
  }
}

/** The queue is stopping or stopped: answer 503. */
export class QueueClosedError extends QueueError {
  constructor(message = 'the durable queue is closed', options?: { cause?: unknown }) {
    super('queue_closed', message, options);
  }
}

/** Retry-After when the WAL's refusal names none: a disk frees up as deliveries go through. */
export const DEFAULT_FULL_RETRY_AFTER_MS = 5_000;

interface WalErrorShape {
  readonly code?: unknown;
  readonly message?: unknown;
  readonly retryAfterMs?: unknown;
  readonly scope?: unknown;
  readonly tenant?: unknown;
}

/** Maps a rejection of `wal.append` to the queue's errors; anything unknown is an I/O error. */
export function toQueueError(e: unknown): QueueError {
  if (e instanceof QueueError) return e;
  const w = (typeof e === 'object' && e !== null ? e : {}) as WalErrorShape;
  const message = typeof w.message === 'string' ? w.message : String(e);
  if (w.code === 'wal_full') {
    const retryAfterMs =
      typeof w.retryAfterMs === 'number' && w.retryAfterMs > 0 ? w.retryAfterMs : DEFAULT_FULL_RETRY_AFTER_MS;
    const scope = w.scope === 'total' || w.scope === 'tenant' ? w.scope : undefined;
    const tenant = typeof w.tenant === 'string' ? w.tenant : undefined;
    return new QueueFullError(`queue full: ${message}`, { retryAfterMs, scope, tenant }, { cause: e });
  }
  if (w.code === 'wal_closed') return new QueueClosedError(`the durable queue is closed: ${message}`, { cause: e });
  return new QueueIoError(`queue write failed: ${message}`, { cause: e });
}
