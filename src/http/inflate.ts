/**
 * Bounded decompression of an HTTP body's content coding (gzip, or deflate in the zlib format),
 * shared by the paths that take one (Loki JSON pushes, OTLP/HTTP). Past `maxBytes` zlib stops
 * (`maxOutputLength`): a gzip bomb never allocates more than the bound. node:zlib is computation,
 * not I/O.
 */
import { gunzipSync, inflateSync } from 'node:zlib';
import { LimitError, WireError } from '../errors.js';

export type ContentCoding = 'gzip' | 'deflate';

/** A decoded size past its bound (HTTP 400): `what` names the body, e.g. "gzip body". */
export function decodedTooLarge(what: string, max: number): LimitError {
  return new LimitError('decoded_too_large', `${what} decodes to more than the limit of ${max} bytes`);
}

/**
 * The decoded bytes of `body`. Throws LimitError('decoded_too_large') past `maxBytes` and
 * WireError('bad_gzip') for a stream that does not inflate (corrupt, truncated, empty); both
 * messages start with `what`.
 */
export function inflateBounded(body: Uint8Array, coding: ContentCoding, maxBytes: number, what: string): Uint8Array {
  // zlib refuses a maxOutputLength below 1; an empty stream still has to be a valid one.
  const max = Math.max(1, Math.floor(maxBytes));
  let out: Uint8Array;
  try {
    out = coding === 'gzip' ? gunzipSync(body, { maxOutputLength: max }) : inflateSync(body, { maxOutputLength: max });
  } catch (e) {
    if ((e as { code?: unknown }).code === 'ERR_BUFFER_TOO_LARGE' || e instanceof RangeError) {
      throw decodedTooLarge(what, maxBytes);
    }
    const why = (e instanceof Error ? e.message : String(e)).replace(/[\u0000-\u001f\u007f]/g, '?');
    throw new WireError('bad_gzip', `${what} does not inflate: ${why.length > 200 ? `${why.slice(0, 200)}...` : why}`);
  }
  if (out.byteLength > maxBytes) throw decodedTooLarge(what, maxBytes);
  return out;
}
