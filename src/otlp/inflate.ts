/**
 * Decompression of an OTLP/HTTP body with an output bound. The OTLP/HTTP specification names
 * only gzip (`Content-Encoding: gzip`); `deflate` (the zlib format, as HTTP defines it) is also
 * taken because the OpenTelemetry Collector's HTTP receivers accept it and some senders use it.
 * node:zlib is computation, not I/O, so this stays in the pure core. Past `maxDecodedBytes` the
 * inflate stops (zlib's `maxOutputLength`): a gzip bomb never allocates more than the bound.
 */
import { gunzipSync, inflateSync } from 'node:zlib';
import { decodedTooLarge, otlpError } from './otlp-errors.js';

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
  // zlib refuses a maxOutputLength below 1; an empty stream still has to be a valid one.
  const max = Math.max(1, Math.floor(maxDecodedBytes));
  let out: Uint8Array;
  try {
    out =
      encoding === 'gzip' ? gunzipSync(body, { maxOutputLength: max }) : inflateSync(body, { maxOutputLength: max });
  } catch (e) {
    if ((e as { code?: unknown }).code === 'ERR_BUFFER_TOO_LARGE' || e instanceof RangeError) {
      throw decodedTooLarge(`${encoding} OTLP body`, maxDecodedBytes);
    }
    const why = e instanceof Error ? e.message : String(e);
    throw otlpError('bad_gzip', `${encoding} OTLP body does not inflate: ${why.slice(0, 200)}`);
  }
  if (out.byteLength > maxDecodedBytes) throw decodedTooLarge(`${encoding} OTLP body`, maxDecodedBytes);
  return out;
}
