/**
 * The errors the OTLP decoders raise: data problems are WireErrors (HTTP 400) naming the byte
 * offset (protobuf) or the JSON path (OTLP/JSON), size problems LimitErrors. The codes are
 * listed with the error classes in src/errors.ts; never rename one.
 */
import { LimitError, type LokiErrorCode, type OtlpErrorCode, WireError, type WireErrorCode } from '../errors.js';

export { OTLP_ERROR_CODES } from '../errors.js';
export type { OtlpErrorCode } from '../errors.js';

/** How deep AnyValue arrays and kvlists may nest (a KeyValue's value is depth 1). */
export const MAX_ANY_VALUE_DEPTH = 32;

export function otlpError(code: OtlpErrorCode | WireErrorCode | LokiErrorCode, message: string): WireError {
  return new WireError(code, message);
}

/** A JSON value of the wrong type or range, at `path`. */
export function badValue(path: string, expected: string): WireError {
  return new WireError('bad_value', `${path}: expected ${expected}`);
}

export function tooDeep(where: string): WireError {
  return new WireError(
    'too_deep',
    `${where}: AnyValue arrays and kvlists nest deeper than ${MAX_ANY_VALUE_DEPTH} levels`,
  );
}

export function tooManyElements(maxElements: number, where: string): LimitError {
  return new LimitError(
    'too_many_elements',
    `OTLP request decodes to more than ${maxElements} resources, scopes, metrics, points, attributes, ` +
      `values, exemplars, buckets, bounds and quantiles (limit reached at ${where})`,
  );
}

export { decodedTooLarge } from '../http/inflate.js';
