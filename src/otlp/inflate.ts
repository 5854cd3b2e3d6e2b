/**
 * Decompression of an OTLP/HTTP body with an output bound. The OTLP/HTTP specification names
 * only gzip (`Content-Encoding: gzip`); `deflate` (the zlib format, as HTTP defines it) is also
 * taken because the OpenTelemetry Collector's HTTP receivers accept it and some senders use it.
 * The bound and the errors are http/inflate.ts's, shared with the Loki JSON path.
 */
import { decodedTooLarge, inflateBounded } from '../http/inflate.js';

export type OtlpEncoding = 'identity' | 'gzip' | 'deflate';

/**
 * The decoded bytes of `body`. Throws LimitError('decoded_too_large') past `maxDecodedBytes`
 * and WireError('bad_gzip') for a stream that does not inflate (corrupt, truncated, empty).
 */
export function inflateOtlpBody(body: Uint8Array, encoding: OtlpEncoding, maxDecodedBytes: number): Uint8Array {
  if (encoding === 'identity') {
    if (body.byteLength > maxDecodedBytes) throw decodedTooLarge('OTLP body', maxDecodedBytes);
    return body;
  }
  return inflateBounded(body, encoding, maxDecodedBytes, `${encoding} OTLP body`);
}
