import { TenantwireError } from '../errors.js';

/**
 * The log's errors, each with a stable code. The queue above maps them: `wal_full` to 503 with
 * Retry-After, `wal_io` and `wal_closed` to 503.
 */

/** An append refused by the disk bound; nothing of it was written. */
export class WalFullError extends TenantwireError {
  readonly scope: 'total' | 'tenant';
  readonly tenant: string;
  /** A hint for the client: how long to wait before trying again. */
  readonly retryAfterMs: number;
  constructor(scope: 'total' | 'tenant', tenant: string, limit: number, retryAfterMs: number) {
    super(
      'wal_full',
      scope === 'total'
        ? `the write-ahead log is full (max_disk_bytes ${limit}); append for tenant "${tenant}" refused`
        : `tenant "${tenant}" has used its share of the write-ahead log (max_tenant_disk_bytes ${limit})`,
    );
    this.scope = scope;
    this.tenant = tenant;
    this.retryAfterMs = retryAfterMs;
  }
}

/** A disk operation failed (ENOSPC, EIO, EACCES, ...); the message names the path. */
export class WalIoError extends TenantwireError {
  /** The errno code (`ENOSPC`), or `EUNKNOWN` when the cause carried none. */
  readonly errno: string;
  readonly path: string;
  constructor(operation: string, path: string, cause: unknown) {
    const errno = errnoOf(cause);
    const detail = cause instanceof Error ? cause.message : String(cause);
    super('wal_io', `write-ahead log: ${operation} ${path} failed: ${errno}: ${detail}`, { cause });
    this.errno = errno;
    this.path = path;
  }
}

/** An append after `close()`. */
export class WalClosedError extends TenantwireError {
  constructor() {
    super('wal_closed', 'the write-ahead log is closed');
  }
}

/** A record larger than the log's maximum record size. */
export class WalRecordTooLargeError extends TenantwireError {
  constructor(tenant: string, bytes: number, max: number) {
    super('wal_record_too_large', `a record of ${bytes} bytes for tenant "${tenant}" exceeds the maximum of ${max}`);
  }
}

export function errnoOf(e: unknown): string {
  const code = (e as { code?: unknown } | null)?.code;
  return typeof code === 'string' ? code : 'EUNKNOWN';
}

/** Wraps any failure of `fn` in a WalIoError naming the operation and the path. */
export async function io<T>(operation: string, path: string, fn: () => Promise<T>): Promise<T> {
  try {
    return await fn();
  } catch (e) {
    throw e instanceof WalIoError ? e : new WalIoError(operation, path, e);
  }
}
