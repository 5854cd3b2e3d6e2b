/**
 * One HTTP exchange as a tagged answer: a response (any status) or a network error. Never
 * rejects for a status code. The only place the alerting client code touches `fetch`.
 */
import { AlertingError } from '../errors.js';

/**
 * A WHATWG fetch as the alerting clients call it: string bodies in, `Response` text out. Not
 * the Transport seam's `FetchLike` (src/transport/fetch-transport.ts) on purpose: that one
 * sends Uint8Array bodies and cuts responses at 1 MiB, while the `fetch` given to these
 * clients (and to `alerting.cortex_sync`) receives the YAML or JSON text it is asked to store.
 */
export type FetchLike = (input: string, init: RequestInit) => Promise<Response>;

export interface HttpRequest {
  readonly method: 'GET' | 'POST' | 'PUT' | 'DELETE';
  readonly url: string;
  readonly headers?: Readonly<Record<string, string>>;
  readonly body?: string;
  readonly timeoutMs?: number;
  readonly signal?: AbortSignal;
}

export type HttpAnswer =
  | { readonly kind: 'response'; readonly status: number; readonly body: string; readonly contentType: string }
  | { readonly kind: 'error'; readonly error: AlertingError };

export const DEFAULT_TIMEOUT_MS = 10_000;

export async function httpCall(fetchFn: FetchLike, req: HttpRequest): Promise<HttpAnswer> {
  const timeout = AbortSignal.timeout(req.timeoutMs ?? DEFAULT_TIMEOUT_MS);
  const signal = req.signal ? AbortSignal.any([req.signal, timeout]) : timeout;
  try {
    const res = await fetchFn(req.url, {
      method: req.method,
      headers: req.headers ? { ...req.headers } : undefined,
      body: req.body,
      signal,
    });
    const body = await res.text();
    return { kind: 'response', status: res.status, body, contentType: res.headers.get('content-type') ?? '' };
  } catch (e) {
    const cause = (e as { cause?: { code?: string } }).cause;
    const code = timeout.aborted ? 'timeout' : req.signal?.aborted ? 'aborted' : (cause?.code ?? 'network');
    return {
      kind: 'error',
      error: new AlertingError(
        `http_${code.toLowerCase()}`,
        `${req.method} ${req.url}: ${(e as Error).message}${cause?.code ? ` (${cause.code})` : ''}`,
        { cause: e },
      ),
    };
  }
}

declare const okBrand: unique symbol;
/** A response with a 2xx status (the brand keeps other responses in the `false` branch). */
export type OkAnswer = Extract<HttpAnswer, { kind: 'response' }> & { readonly [okBrand]: true };

/** Status 2xx. */
export const isOk = (a: HttpAnswer): a is OkAnswer => a.kind === 'response' && a.status >= 200 && a.status < 300;

/** The status of a response, undefined for a network error. */
export const statusOf = (a: HttpAnswer): number | undefined => (a.kind === 'response' ? a.status : undefined);

/** A one-line description for status pages and errors. */
export function describeAnswer(a: HttpAnswer): string {
  if (a.kind === 'error') return a.error.message;
  return `HTTP ${a.status}${a.body ? `: ${a.body.trim().slice(0, 300)}` : ''}`;
}

export function joinUrl(base: string, path: string): string {
  return `${base.replace(/\/+$/, '')}/${path.replace(/^\/+/, '')}`;
}
