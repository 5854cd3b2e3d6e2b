import type { TenantRights, WriteAnswer } from './write-types.js';

/**
 * The seam between the HTTP edge (server/) and the OTLP metrics handler (proxy/otlp-handler.ts):
 * one `POST /v1/metrics` whose media type and content coding the route has already accepted,
 * its body as received (not yet inflated: the handler bounds the inflation).
 */
export type OtlpBodyEncoding = 'protobuf' | 'json';

/** The content coding: OTLP/HTTP names gzip; deflate is taken too, as the Collector takes it. */
export type OtlpContentCoding = 'identity' | 'gzip' | 'deflate';

export interface IncomingOtlpExport {
  readonly encoding: OtlpBodyEncoding;
  /** gzip or deflate: the body is inflated by the handler, bounded by max_decoded_bytes. */
  readonly coding: OtlpContentCoding;
  readonly body: Uint8Array;
  /** Value of the configured tenant header on the incoming request, if any. */
  readonly sourceTenant: string | undefined;
  readonly clientAddress: string;
  /** What the sender's credential may write (auth.ingress.users); undefined: no ingress auth. */
  readonly rights?: TenantRights;
  /** Aborted when the sender goes away or the server shuts down. */
  readonly signal: AbortSignal;
}

/** Answers with the status and body (already encoded as the request was) an OTLP client reads. */
export type OtlpExportHandler = (request: IncomingOtlpExport) => Promise<WriteAnswer>;
