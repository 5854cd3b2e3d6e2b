/**
 * From the remote-write handler's answer (or what it threw) to the answer an OTLP/HTTP client
 * reads. OTLP/HTTP retries only 429, 502, 503 and 504 and drops on every other status, so:
 *
 *   handler answer              OTLP answer
 *   2xx                         200 ExportMetricsServiceResponse (partial_success when points
 *                               were dropped by the translator or the tenant stage)
 *   400 401 403 413 415         the same status, a google.rpc.Status
 *   429                         429 + Retry-After (the largest upstream one, when known)
 *   500 (an upstream unreached) 502 (retryable: nothing was written by that tenant's upstream)
 *   502 503 504                 the same (503 also for "we are full": queue or in-flight bound)
 *   other 5xx                   502 (an upstream failed; retrying is the only safe choice)
 *   other 4xx                   400 (the upstream refused the data; the message names its status)
 */
import { AuthError, LimitError, TenantError, TenantwireError, WireError } from '../errors.js';
import { encodeExportResponse, encodeStatus, OTLP_CONTENT_TYPES, rpcCodeForHttpStatus } from '../otlp/answer.js';
import type { OtlpBodyEncoding } from '../protocol/otlp-types.js';
import { WRITTEN_HEADERS } from '../protocol/headers.js';
import type { WriteAnswer } from '../protocol/write-types.js';

/** What the tenant stage was handed, or wrote, in remote-write units. */
export interface Written {
  readonly samples: number;
  readonly histograms: number;
}

/** What the translator reports, as far as the answer needs it. */
export interface TranslatedPoints {
  readonly translated: number;
  readonly dropped: Readonly<Record<string, number>>;
  readonly messages: readonly string[];
}

export interface OtlpAnswer {
  readonly answer: WriteAnswer;
  /** Data points the tenant stage did not write on a success (counted as `tenant_stage`). */
  readonly tenantDropped: number;
}

const KEPT_STATUSES = new Set([400, 401, 403, 413, 415, 429, 502, 503, 504]);
/** Most translator messages repeated in one partial_success error_message. */
const MAX_MESSAGES = 10;
const MAX_MESSAGE_BYTES = 4096;

export function otlpStatusFor(status: number): number {
  if (KEPT_STATUSES.has(status)) return status;
  if (status >= 500 || status < 400) return 502;
  return 400;
}

export function otlpAnswerFor(
  answer: WriteAnswer,
  points: TranslatedPoints,
  sent: Written,
  encoding: OtlpBodyEncoding,
): OtlpAnswer {
  const contentType = { 'content-type': OTLP_CONTENT_TYPES[encoding] };
  if (answer.status >= 200 && answer.status < 300) {
    const tenantDropped = tenantStageDropped(answer, points.translated, sent);
    const translatorDropped = Object.values(points.dropped).reduce((n, v) => n + v, 0);
    const messages = points.messages.slice(0, MAX_MESSAGES);
    if (points.messages.length > MAX_MESSAGES) messages.push(`... and ${points.messages.length - MAX_MESSAGES} more`);
    if (tenantDropped > 0) {
      messages.push(
        `${tenantDropped} data points were not written by the tenant stage (series without a tenant, ` +
          'a tenant this sender may not write, or over a per-tenant limit)',
      );
    }
    const partial = { rejectedDataPoints: translatorDropped + tenantDropped, errorMessage: messages.join('; ') };
    return {
      answer: { status: 200, headers: contentType, body: encodeExportResponse(partial, encoding) },
      tenantDropped,
    };
  }
  const status = otlpStatusFor(answer.status);
  const retryAfter = headerOf(answer, 'retry-after');
  const headers: Record<string, string> = { ...contentType };
  if (retryAfter !== undefined && (status === 429 || status >= 500)) headers['retry-after'] = retryAfter;
  const wwwAuthenticate = headerOf(answer, 'www-authenticate');
  if (wwwAuthenticate !== undefined && status === 401) headers['www-authenticate'] = wwwAuthenticate;
  const message = textOf(answer.body) || `the write answered ${answer.status}`;
  const body = encodeStatus({ code: rpcCodeForHttpStatus(status), message }, encoding);
  return { answer: { status, headers, body }, tenantDropped: 0 };
}

/** Codes that mean "not now" (full, a disk that failed to write, stopping): 503 + Retry-After. */
const RETRY_LATER = new Set(['queue_full', 'queue_io', 'queue_closed', 'shutting_down', 'receiver_closed']);

/**
 * What the write handler threw, as the remote-write route maps it (400 bad data, 403 a tenant
 * not allowed, 503 full), in OTLP terms; anything unforeseen is 503 (the client keeps the data
 * and retries) rather than 500 (it would drop it). `unexpected` says it should be logged.
 */
export function otlpAnswerForError(error: unknown): WriteAnswer & { readonly unexpected: boolean } {
  const message = error instanceof Error ? error.message : String(error);
  if (error instanceof AuthError && error.code === 'forbidden_tenant')
    return { status: 403, body: message, unexpected: false };
  if (error instanceof AuthError) return { status: 401, body: message, unexpected: false };
  if (error instanceof WireError || error instanceof LimitError || error instanceof TenantError) {
    return { status: 400, body: message, unexpected: false };
  }
  const retry = error instanceof TenantwireError && RETRY_LATER.has(error.code);
  const hinted = (error as { retryAfterMs?: unknown } | undefined)?.retryAfterMs;
  const seconds = typeof hinted === 'number' && hinted > 0 ? Math.ceil(hinted / 1000) : 1;
  return {
    status: 503,
    headers: { 'retry-after': String(seconds) },
    body: retry ? message : `internal error: ${message}`,
    unexpected: !retry,
  };
}

/**
 * Points the tenant stage did not write, from the Written headers of the 2.0 answer (samples and
 * histograms the handler sent or queued). Remote-write counts samples: a classic histogram point
 * is several, so the shortfall is turned into points in proportion (at least one when any).
 */
function tenantStageDropped(answer: WriteAnswer, translated: number, sent: Written): number {
  const samples = Number(headerOf(answer, WRITTEN_HEADERS.samples.toLowerCase()));
  const histograms = Number(headerOf(answer, WRITTEN_HEADERS.histograms.toLowerCase()));
  if (!Number.isFinite(samples) || !Number.isFinite(histograms)) return 0;
  const total = sent.samples + sent.histograms;
  const missing = total - samples - histograms;
  if (missing <= 0 || total === 0) return 0;
  return Math.min(translated, Math.max(1, Math.round((missing * translated) / total)));
}

function headerOf(answer: WriteAnswer, lowerName: string): string | undefined {
  for (const [k, v] of Object.entries(answer.headers ?? {})) if (k.toLowerCase() === lowerName) return v;
  return undefined;
}

function textOf(body: string | Uint8Array | undefined): string {
  if (body === undefined) return '';
  const text = typeof body === 'string' ? body : new TextDecoder().decode(body.subarray(0, MAX_MESSAGE_BYTES));
  return text.trim().slice(0, MAX_MESSAGE_BYTES);
}
