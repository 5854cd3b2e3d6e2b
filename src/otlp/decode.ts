/**
 * The OTLP metrics decoder's entry: a decompressed `POST /v1/metrics` body, protobuf
 * (`application/x-protobuf`) or OTLP/JSON (`application/json`), to the model in model.ts.
 * Any input either decodes or raises a WireError or LimitError with a stable code and a message
 * naming the problem (byte offset or JSON path); never another exception. Decompression is in
 * inflate.ts; the caller bounds the body size before calling.
 */
import type { ExportMetricsServiceRequest } from './model.js';
import type { OtlpDecodeLimits } from './decode-shared.js';
import { decodeOtlpJson } from './decode-json.js';
import { decodeOtlpProtobuf } from './decode-protobuf.js';

export type { OtlpDecodeLimits } from './decode-shared.js';
export { MAX_ANY_VALUE_DEPTH } from './otlp-errors.js';
export { inflateOtlpBody, type OtlpEncoding } from './inflate.js';

export type OtlpFormat = 'protobuf' | 'json';

export function decodeOtlpMetrics(
  body: Uint8Array,
  format: OtlpFormat,
  limits: OtlpDecodeLimits,
): ExportMetricsServiceRequest {
  return format === 'json' ? decodeOtlpJson(body, limits) : decodeOtlpProtobuf(body, limits);
}
