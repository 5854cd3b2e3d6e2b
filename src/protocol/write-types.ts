import type { ProtocolVersion, RequestV2 } from '../wire/types.js';

/**
 * The seam between the HTTP edge (server/) and whatever consumes remote-write requests: the
 * cortex-tenant proxy, or a pipeline's receive component. The route has already checked the
 * method, headers and body size; the handler decodes and answers. It sits below both so that
 * neither side imports the other.
 */
export interface IncomingWrite {
  readonly version: ProtocolVersion;
  /** The body exactly as received (snappy block compressed protobuf). */
  readonly compressed: Uint8Array;
  /**
   * A 2.0 body's request already decoded, when an in-process producer (the OTLP handler) made
   * `compressed` from it: the 2.0 plan may use it instead of decompressing and decoding again.
   * The same request as `compressed`; nobody mutates it.
   */
  readonly decoded?: RequestV2;
  /** Value of the configured tenant header on the incoming request, if any. */
  readonly sourceTenant: string | undefined;
  /** The sender's address, for `X-Cortex-Tenant-Client` and logs. */
  readonly clientAddress: string;
  /** What the sender's credential may write (auth.ingress.users); undefined: no ingress auth. */
  readonly rights?: TenantRights;
  /** Aborted when the sender goes away or the server shuts down. */
  readonly signal: AbortSignal;
}

/**
 * An authenticated sender's rights, found by the HTTP edge: the final tenant ids (as sent
 * upstream) its credential may write, and what happens to series for any other tenant:
 * `reject` refuses the whole request (403), `drop` drops those series and counts them.
 */
export interface TenantRights {
  /** Names the credential in messages and logs, never its secret: `user "team-a"`. */
  readonly credential: string;
  allows(tenant: string): boolean;
  readonly onForbidden: 'reject' | 'drop';
}

export interface WriteAnswer {
  readonly status: number;
  readonly headers?: Readonly<Record<string, string>>;
  readonly body?: string | Uint8Array;
}

export type WriteHandler = (write: IncomingWrite) => Promise<WriteAnswer>;

/** One `POST /loki/push` as the route hands it over: headers checked for nothing yet. */
export interface IncomingLokiPush {
  readonly contentType: string | undefined;
  readonly contentEncoding: string | undefined;
  /** The body exactly as received. */
  readonly body: Uint8Array;
  /** Value of the configured tenant header on the incoming request, if any. */
  readonly sourceTenant: string | undefined;
  readonly clientAddress: string;
  /** What the sender's credential may write (auth.ingress.users); undefined: no ingress auth. */
  readonly rights?: TenantRights;
  /** Aborted when the sender goes away or the server shuts down. */
  readonly signal: AbortSignal;
}

export type LokiPushHandler = (push: IncomingLokiPush) => Promise<WriteAnswer>;

/**
 * Bytes of request bodies still being received, counted against the same budget as the requests
 * being handled (`max_decoded_bytes_in_flight`): without it, bodies arriving at once were bounded
 * only by `max_connections` x `max_request_bytes` (128 GiB with the defaults). The handler's
 * in-flight limit provides it; the route's body reader spends it.
 */
export interface ReceiveBudget {
  /** Takes `bytes` more for a body already holding `held`; false when others have spent the budget. */
  takeReceived(bytes: number, held: number): boolean;
  giveReceived(bytes: number): void;
}
