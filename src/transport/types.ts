import type { TransportError } from '../errors.js';

/**
 * The transport seam (Go's RoundTripper, OpenTelemetry's exporter transport): bytes and
 * headers in, an answer out. A transport never rejects because of a status code; network
 * failures come back as `{ kind: 'error' }`. It knows nothing of protobuf or tenants.
 */
export interface TransportRequest {
  readonly url: string;
  /** Default POST. */
  readonly method?: 'POST' | 'PUT' | 'GET' | 'DELETE';
  /** Header names are matched case-insensitively; transports send them as given. */
  readonly headers: Readonly<Record<string, string>>;
  readonly body?: Uint8Array;
  readonly signal?: AbortSignal;
  /** Per-request deadline in milliseconds (headers and body); the transport's default otherwise. */
  readonly timeoutMs?: number;
}

export interface TransportResponse {
  readonly kind: 'response';
  readonly status: number;
  /** Lower-case header names. */
  readonly headers: Readonly<Record<string, string>>;
  readonly body: Uint8Array;
  /** Parsed `Retry-After` (seconds or HTTP date) in milliseconds, when the upstream sent one. */
  readonly retryAfterMs?: number;
}

export interface TransportFailure {
  readonly kind: 'error';
  /** code: 'ECONNREFUSED', 'timeout', 'aborted', ... */
  readonly error: TransportError;
}

export type TransportResult = TransportResponse | TransportFailure;

export interface Transport {
  send(request: TransportRequest): Promise<TransportResult>;
  /** Frees pools and sockets; in-flight sends settle first. */
  close(): Promise<void>;
}

/** A middleware wraps a transport: retry, auth, headers (and proxy/'s tenant split). */
export type TransportMiddleware = (inner: Transport) => Transport;
