/**
 * Folding per-tenant upstream outcomes into the one answer for the sender, cortex-tenant's rule:
 * - `accept_all`: 204, whatever happened (cortex-tenant checks it first, even before errors);
 * - any transport error: 500, the errors named by tenant;
 * - else the highest upstream status, with that response's body behind the tenant's name (a
 *   sender's log line must say which tenant's upstream refused: cortex-tenant passed it bare).
 * Fixed on top: the upstream `Retry-After` is carried through (when the answer is 429/5xx, the
 * largest Retry-After among the 429/5xx responses), and for 2.0 the three
 * `X-Prometheus-Remote-Write-*-Written` headers are summed across tenants.
 *
 * Caveat (PROTOCOL.md): a mix of 2xx with 4xx makes the sender drop data one tenant accepted,
 * a mix with 5xx makes it resend to tenants that accepted. The rule is kept for compatibility;
 * `accepted` / `refused` / `retryable` / `failed` and `partial` let the caller log and count it.
 */
import { parseRetryAfter } from '../http/retry-after.js';
import { WRITTEN_HEADERS, writtenHeaders } from '../protocol/headers.js';

export interface WrittenCounts {
  readonly samples: number;
  readonly histograms: number;
  readonly exemplars: number;
}

interface OutcomeBase {
  readonly tenant: string;
  /** What was sent to this tenant: used as the Written counts of a 2xx without the headers. */
  readonly sent?: WrittenCounts;
}

export interface TenantResponseOutcome extends OutcomeBase {
  readonly kind: 'response';
  readonly status: number;
  /** Lower-case header names. */
  readonly headers: Readonly<Record<string, string>>;
  readonly body: Uint8Array;
  /** Parsed Retry-After in ms when the transport already did it. */
  readonly retryAfterMs?: number;
}

export interface TenantErrorOutcome extends OutcomeBase {
  readonly kind: 'error';
  readonly error: Error;
}

export type TenantOutcome = TenantResponseOutcome | TenantErrorOutcome;

export interface FoldOptions {
  readonly acceptAll?: boolean;
  /** '2.0' adds the summed Written headers. Default '1.0'. */
  readonly protocol?: '1.0' | '2.0';
  /** Wall clock in ms, only to read an HTTP-date Retry-After the transport left unparsed. */
  readonly nowMs?: number;
}

export interface FoldedAnswer {
  readonly status: number;
  readonly body: Uint8Array;
  /** Canonical header names, to set on the answer. */
  readonly headers: Readonly<Record<string, string>>;
  /** Tenants whose upstream answered 2xx. */
  readonly accepted: readonly string[];
  /** Tenants answered 4xx other than 429 (the sender drops). */
  readonly refused: readonly string[];
  /** Tenants answered 429 or 5xx (the sender retries). */
  readonly retryable: readonly string[];
  /** Tenants whose request failed in transport. */
  readonly failed: readonly string[];
  /** Some tenants accepted while the answer is not 2xx (see the caveat above). */
  readonly partial: boolean;
  readonly written?: WrittenCounts;
}

/** The Written header names as transports hand them over (lower case). */
const WRITTEN_LOWER = {
  samples: WRITTEN_HEADERS.samples.toLowerCase(),
  histograms: WRITTEN_HEADERS.histograms.toLowerCase(),
  exemplars: WRITTEN_HEADERS.exemplars.toLowerCase(),
} as const;

const EMPTY = new Uint8Array(0);
/** How much of an upstream's error body is passed on: enough for a message, not a page. */
const MAX_UPSTREAM_BODY_BYTES = 4096;
const utf8 = new TextEncoder();

export const isRetryableStatus = (status: number): boolean => status === 429 || status >= 500;

export function foldOutcomes(outcomes: readonly TenantOutcome[], options: FoldOptions = {}): FoldedAnswer {
  const accepted: string[] = [];
  const refused: string[] = [];
  const retryable: string[] = [];
  const failed: string[] = [];
  const errors: string[] = [];
  let best: TenantResponseOutcome | undefined;
  for (const o of outcomes) {
    if (o.kind === 'error') {
      failed.push(o.tenant);
      errors.push(`tenant ${o.tenant}: ${o.error.message}`);
      continue;
    }
    if (o.status >= 200 && o.status < 300) accepted.push(o.tenant);
    else if (isRetryableStatus(o.status)) retryable.push(o.tenant);
    else refused.push(o.tenant);
    if (best === undefined || o.status > best.status) best = o;
  }

  const headers: Record<string, string> = {};
  let written: WrittenCounts | undefined;
  if (options.protocol === '2.0') {
    written = sumWritten(outcomes);
    Object.assign(headers, writtenHeaders(written));
  }

  let status: number;
  let body: Uint8Array;
  if (options.acceptAll) {
    status = 204;
    body = EMPTY;
  } else if (errors.length > 0) {
    status = 500;
    body = utf8.encode(`upstream request failed: ${errors.join('; ')}`);
  } else if (best === undefined) {
    status = 204;
    body = EMPTY;
  } else {
    status = best.status;
    body = status >= 200 && status < 300 ? best.body : namedBody(best);
    if (isRetryableStatus(status)) {
      const ms = largestRetryAfterMs(outcomes, options.nowMs);
      if (ms !== undefined) headers['Retry-After'] = String(Math.ceil(ms / 1000));
    }
  }
  const partial = accepted.length > 0 && (status < 200 || status >= 300);
  return { status, body, headers, accepted, refused, retryable, failed, partial, ...(written ? { written } : {}) };
}

/** `tenant t: upstream answered 503: <upstream's body>`, the body cut to a log line's length. */
function namedBody(o: TenantResponseOutcome): Uint8Array {
  const text = new TextDecoder().decode(o.body.subarray(0, MAX_UPSTREAM_BODY_BYTES)).trim();
  const more = o.body.length > MAX_UPSTREAM_BODY_BYTES ? ' ...' : '';
  return utf8.encode(`tenant ${o.tenant}: upstream answered ${o.status}${text ? `: ${text}${more}` : ''}`);
}

/** Largest Retry-After (ms) among the 429/5xx responses, or undefined when none sent one. */
export function largestRetryAfterMs(outcomes: readonly TenantOutcome[], nowMs?: number): number | undefined {
  let max: number | undefined;
  for (const o of outcomes) {
    if (o.kind !== 'response' || !isRetryableStatus(o.status)) continue;
    const ms = o.retryAfterMs ?? parseRetryAfter(o.headers['retry-after'], nowMs);
    if (ms !== undefined && (max === undefined || ms > max)) max = ms;
  }
  return max;
}

function sumWritten(outcomes: readonly TenantOutcome[]): WrittenCounts {
  let samples = 0;
  let histograms = 0;
  let exemplars = 0;
  for (const o of outcomes) {
    if (o.kind !== 'response') continue;
    const ok = o.status >= 200 && o.status < 300;
    const h = o.headers;
    const s = readCount(h[WRITTEN_LOWER.samples]);
    const hi = readCount(h[WRITTEN_LOWER.histograms]);
    const e = readCount(h[WRITTEN_LOWER.exemplars]);
    const anyHeader = s !== undefined || hi !== undefined || e !== undefined;
    // A 2xx without the headers (a 1.0 upstream) wrote what we sent; an error response
    // counts only what it says it wrote (partial writes), else nothing.
    const fallback = ok && !anyHeader ? o.sent : undefined;
    samples += s ?? fallback?.samples ?? 0;
    histograms += hi ?? fallback?.histograms ?? 0;
    exemplars += e ?? fallback?.exemplars ?? 0;
  }
  return { samples, histograms, exemplars };
}

function readCount(value: string | undefined): number | undefined {
  if (value === undefined) return undefined;
  const v = value.trim();
  return /^\d+$/.test(v) ? Number(v) : undefined;
}
