/**
 * What a `POST /loki/push` body is, from its headers, and its decoding into the model:
 * - `application/x-protobuf`: snappy block compressed (what Loki clients send, with or without
 *   `Content-Encoding: snappy`); the declared length is checked before anything is allocated;
 * - `application/json`: plain, or `Content-Encoding: gzip` (inflated with an output bound).
 * Anything else is refused with a message for a 415. Decoding failures are WireErrors (400),
 * a decompressed size past the limit a LimitError('decoded_too_large') (400).
 */
import { inflateBounded } from '../http/inflate.js';
import { snappyDecompress } from '../wire/snappy.js';
import { decodePushRequest } from './decode-push.js';
import { decodedTooLarge } from './loki-errors.js';
import { decodePushJson } from './push-json.js';
import type { LokiFormat, LokiLimits, LokiPushRequest } from './types.js';

export type LokiEncoding = 'snappy' | 'gzip' | 'identity';

export type LokiNegotiated =
  | { readonly ok: true; readonly format: LokiFormat; readonly encoding: LokiEncoding }
  | { readonly ok: false; readonly message: string };

export function negotiateLokiBody(
  contentType: string | undefined,
  contentEncoding: string | undefined,
): LokiNegotiated {
  const media = (contentType ?? '').split(';')[0]!.trim().toLowerCase();
  const encoding = (contentEncoding ?? '').trim().toLowerCase();
  if (media === 'application/x-protobuf') {
    if (encoding === '' || encoding === 'snappy') return { ok: true, format: 'protobuf', encoding: 'snappy' };
    return refuse(
      `unsupported Content-Encoding "${printable(encoding)}" for application/x-protobuf: Loki protobuf pushes ` +
        `are snappy block compressed`,
    );
  }
  if (media === 'application/json') {
    if (encoding === '' || encoding === 'identity') return { ok: true, format: 'json', encoding: 'identity' };
    if (encoding === 'gzip') return { ok: true, format: 'json', encoding: 'gzip' };
    return refuse(`unsupported Content-Encoding "${printable(encoding)}" for application/json: expected none or gzip`);
  }
  const what =
    contentType === undefined || contentType.trim() === ''
      ? 'missing Content-Type'
      : `unsupported Content-Type "${printable(contentType)}"`;
  return refuse(`${what}: Loki push takes application/x-protobuf (snappy) or application/json`);
}

/** Decompresses and decodes a negotiated body. */
export function readLokiBody(
  body: Uint8Array,
  how: { readonly format: LokiFormat; readonly encoding: LokiEncoding },
  limits: LokiLimits,
): LokiPushRequest {
  if (how.format === 'protobuf') return decodePushRequest(snappyDecompress(body, limits), limits.maxElements);
  const raw = how.encoding === 'gzip' ? inflateBounded(body, 'gzip', limits.maxDecodedBytes, 'gzip body') : body;
  if (raw.byteLength > limits.maxDecodedBytes) throw decodedTooLarge('JSON push body', limits.maxDecodedBytes);
  return decodePushJson(raw);
}

function refuse(message: string): LokiNegotiated {
  return { ok: false, message };
}

function printable(value: string, max = 100): string {
  // eslint-disable-next-line no-control-regex
  const clean = value.replace(/[\u0000-\u001f\u007f]/g, '?');
  return clean.length > max ? `${clean.slice(0, max)}...` : clean;
}
