/**
 * What an OTLP/HTTP receiver answers, as bytes: an `ExportMetricsServiceResponse` on success and
 * a `google.rpc.Status` on failure, in the encoding of the request (the OTLP/HTTP specification:
 * the response's Content-Type matches the request's). Pure: no HTTP here, the edge sends them.
 *
 *   ExportMetricsServiceResponse { ExportMetricsPartialSuccess partial_success = 1; }
 *   ExportMetricsPartialSuccess  { int64 rejected_data_points = 1; string error_message = 2; }
 *   google.rpc.Status            { int32 code = 1; string message = 2; repeated Any details = 3; }
 *
 * JSON follows the proto3 JSON mapping: lowerCamelCase names, int64 as a decimal string.
 */
import { createWriter } from '../wire/writer.js';

export type OtlpEncoding = 'protobuf' | 'json';

export const OTLP_CONTENT_TYPES: Readonly<Record<OtlpEncoding, string>> = {
  protobuf: 'application/x-protobuf',
  json: 'application/json',
};

/** The gRPC status codes a `google.rpc.Status` carries, the ones this receiver uses. */
export const RPC_CODE = {
  invalidArgument: 3,
  deadlineExceeded: 4,
  permissionDenied: 7,
  resourceExhausted: 8,
  unimplemented: 12,
  internal: 13,
  unavailable: 14,
  unauthenticated: 16,
} as const;

export interface PartialSuccess {
  readonly rejectedDataPoints: number;
  readonly errorMessage: string;
}

export interface RpcStatus {
  readonly code: number;
  readonly message: string;
}

const utf8 = new TextEncoder();

/** An `ExportMetricsServiceResponse`; without `partial` (or with nothing in it) an empty message. */
export function encodeExportResponse(partial: PartialSuccess | undefined, encoding: OtlpEncoding): Uint8Array {
  const set = partial !== undefined && (partial.rejectedDataPoints > 0 || partial.errorMessage !== '');
  if (encoding === 'json') {
    if (!set) return utf8.encode('{}');
    const inner: Record<string, string> = {};
    if (partial.rejectedDataPoints > 0) inner.rejectedDataPoints = String(partial.rejectedDataPoints);
    if (partial.errorMessage !== '') inner.errorMessage = partial.errorMessage;
    return utf8.encode(JSON.stringify({ partialSuccess: inner }));
  }
  const w = createWriter(256);
  if (set) {
    const mark = w.begin(1);
    if (partial.rejectedDataPoints > 0) {
      w.tag(1, 0);
      w.int64(partial.rejectedDataPoints);
    }
    if (partial.errorMessage !== '') w.string(2, partial.errorMessage);
    w.end(mark);
  }
  return w.finish();
}

/** A `google.rpc.Status` with no details. */
export function encodeStatus(status: RpcStatus, encoding: OtlpEncoding): Uint8Array {
  if (encoding === 'json') {
    return utf8.encode(JSON.stringify({ code: status.code, message: status.message }));
  }
  const w = createWriter(256);
  if (status.code !== 0) {
    w.tag(1, 0);
    w.int64(status.code);
  }
  if (status.message !== '') w.string(2, status.message);
  return w.finish();
}

/** The gRPC code that goes with an HTTP status of an OTLP answer (OTLP/HTTP and gRPC's own mapping). */
export function rpcCodeForHttpStatus(status: number): number {
  switch (status) {
    case 400:
    case 413:
      return RPC_CODE.invalidArgument;
    case 401:
      return RPC_CODE.unauthenticated;
    case 403:
      return RPC_CODE.permissionDenied;
    case 415:
      return RPC_CODE.unimplemented;
    case 429:
      return RPC_CODE.resourceExhausted;
    case 502:
    case 503:
      return RPC_CODE.unavailable;
    case 504:
      return RPC_CODE.deadlineExceeded;
    default:
      return status >= 500 ? RPC_CODE.internal : RPC_CODE.invalidArgument;
  }
}
