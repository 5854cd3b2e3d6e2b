/**
 * The errors the Loki codecs and the split raise. Data problems are WireErrors (HTTP 400),
 * size problems LimitErrors, tenant problems TenantErrors from src/tenant/resolve.ts. The codes
 * are listed with the error classes in src/errors.ts; never rename one.
 */
import { type LokiErrorCode, WireError } from '../errors.js';

// The code list lives with the error classes; re-exported here for the Loki codecs' callers.
export { LOKI_ERROR_CODES } from '../errors.js';
export type { LokiErrorCode } from '../errors.js';

export function lokiError(code: LokiErrorCode, message: string): WireError {
  return new WireError(code, message);
}

export { decodedTooLarge } from '../http/inflate.js';
