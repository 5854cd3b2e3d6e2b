import type { OtlpBodyEncoding, OtlpContentCoding } from './otlp-types.js';
import { printable } from './negotiation.js';

/**
 * What an OTLP/HTTP request's headers say about its body. OTLP/HTTP requires a Content-Type of
 * `application/x-protobuf` or `application/json` (parameters such as `charset` are ignored) and
 * allows `Content-Encoding: gzip` (deflate is taken too, as the OpenTelemetry Collector takes it);
 * anything else is refused with 415 naming what is accepted.
 * `answerEncoding` is how a refusal is encoded: as the request's body when its type is known,
 * else JSON (readable by people, and by every OTLP client).
 */
export type OtlpNegotiated =
  | { readonly ok: true; readonly encoding: OtlpBodyEncoding; readonly coding: OtlpContentCoding }
  | {
      readonly ok: false;
      readonly status: 415;
      /** What was refused: the media type or the content coding. */
      readonly refused: 'type' | 'encoding';
      readonly message: string;
      readonly answerEncoding: OtlpBodyEncoding;
    };

export const OTLP_ACCEPTED_TYPES = 'application/x-protobuf or application/json';

/** The encoding a Content-Type names, or undefined for any other type. */
export function otlpEncodingOf(contentType: string | undefined): OtlpBodyEncoding | undefined {
  const media = (contentType ?? '').split(';')[0]?.trim().toLowerCase();
  if (media === 'application/x-protobuf') return 'protobuf';
  if (media === 'application/json') return 'json';
  return undefined;
}

export function negotiateOtlp(contentType: string | undefined, contentEncoding: string | undefined): OtlpNegotiated {
  const encoding = otlpEncodingOf(contentType);
  if (encoding === undefined) {
    const shown = contentType === undefined || contentType.trim() === '' ? 'none' : `"${printable(contentType)}"`;
    return {
      ok: false,
      status: 415,
      refused: 'type',
      answerEncoding: 'json',
      message: `unsupported Content-Type ${shown}: OTLP/HTTP metrics take ${OTLP_ACCEPTED_TYPES}`,
    };
  }
  const coding = (contentEncoding ?? '').trim().toLowerCase();
  if (coding === '' || coding === 'identity') return { ok: true, encoding, coding: 'identity' };
  if (coding === 'gzip' || coding === 'x-gzip') return { ok: true, encoding, coding: 'gzip' };
  if (coding === 'deflate') return { ok: true, encoding, coding: 'deflate' };
  return {
    ok: false,
    status: 415,
    refused: 'encoding',
    answerEncoding: encoding,
    message: `unsupported Content-Encoding "${printable(coding)}": OTLP/HTTP bodies are sent as they are, gzip or deflate compressed`,
  };
}
