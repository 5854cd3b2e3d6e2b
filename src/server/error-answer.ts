import { AuthError, LimitError, TenantError, TenantLimitError, TenantwireError, WireError } from '../errors.js';
import type { WriteAnswer } from '../protocol/write-types.js';

/** Both schemes a sender may use, in one WWW-Authenticate value (RFC 9110 allows a list). */
export const AUTH_CHALLENGES = 'Basic realm="tenantwire", Bearer realm="tenantwire"';

/**
 * Codes that mean "not now": full (the in-flight bound, a queue's capacity or its disk bound), a
 * disk that failed to write (`queue_io`: nothing was acknowledged), or stopping.
 */
const RETRY_LATER = new Set(['queue_full', 'queue_io', 'queue_closed', 'shutting_down', 'receiver_closed']);

/**
 * Maps an error raised while handling a write to the answer a remote-write sender needs:
 * 400 for data that will never succeed (it drops them), 413 for a body over the limit, 401 and
 * 403 for ingress authentication, 429 + Retry-After for a tenant over its ingestion rate,
 * 503 with Retry-After when we are full (every sender retries 503), 500 otherwise.
 */
export function answerForError(error: unknown): WriteAnswer & { readonly unexpected: boolean } {
  if (error instanceof LimitError && error.code === 'body_too_large') {
    return { status: 413, body: `${error.message}\n`, unexpected: false };
  }
  if (error instanceof AuthError) {
    // 403: a tenant the credential may not write (retrying will not help: Prometheus drops it).
    if (error.code === 'forbidden_tenant') return { status: 403, body: `${error.message}\n`, unexpected: false };
    return {
      status: 401,
      headers: { 'www-authenticate': AUTH_CHALLENGES },
      body: `${error.message}\n`,
      unexpected: false,
    };
  }
  if (error instanceof TenantLimitError && error.code === 'rate_limited') {
    const seconds = Math.max(1, Math.ceil((error.retryAfterMs ?? 1000) / 1000));
    return { status: 429, headers: { 'retry-after': String(seconds) }, body: `${error.message}\n`, unexpected: false };
  }
  if (
    error instanceof WireError ||
    error instanceof LimitError ||
    error instanceof TenantError ||
    error instanceof TenantLimitError
  ) {
    return { status: 400, body: `${error.message}\n`, unexpected: false };
  }
  if (error instanceof TenantwireError && error.code === 'unsupported_version') {
    return { status: 415, body: `${error.message}\n`, unexpected: false };
  }
  if (error instanceof TenantwireError && RETRY_LATER.has(error.code)) {
    // 503 rather than 429: every sender retries a 503, while Prometheus retries 429 only when told to.
    const hinted = (error as { retryAfterMs?: unknown }).retryAfterMs;
    const seconds = typeof hinted === 'number' && hinted > 0 ? Math.ceil(hinted / 1000) : 1;
    return { status: 503, headers: { 'retry-after': String(seconds) }, body: `${error.message}\n`, unexpected: false };
  }
  const message = error instanceof Error ? error.message : String(error);
  return { status: 500, body: `internal error: ${message}\n`, unexpected: true };
}
