import { type SystemErrorCode, TransportError, type TransportErrorCode } from '../errors.js';
import type { TransportFailure } from './types.js';

/** Codes of undici and Node errors that mean "the deadline passed". */
const TIMEOUT_CODES = new Set([
  'UND_ERR_CONNECT_TIMEOUT',
  'UND_ERR_HEADERS_TIMEOUT',
  'UND_ERR_BODY_TIMEOUT',
  'ETIMEDOUT',
  'ABORT_ERR_TIMEOUT',
]);

const ABORT_CODES = new Set(['UND_ERR_ABORTED', 'ABORT_ERR']);

/** The `code` a Node, undici or system error carries (upper case by their convention). */
function codeOf(error: unknown): SystemErrorCode | undefined {
  if (typeof error !== 'object' || error === null) return undefined;
  const code = (error as { code?: unknown }).code;
  return typeof code === 'string' ? (code as SystemErrorCode) : undefined;
}

/**
 * Maps any thrown network error to a TransportError with a stable code: `timeout`, `aborted`,
 * the system code when there is one (`ECONNREFUSED`, `ECONNRESET`, `ENOTFOUND`, ...), else
 * `network`. The original error stays as `cause`.
 */
export function toTransportError(error: unknown): TransportError {
  if (error instanceof TransportError) return error;
  const name = error instanceof Error ? error.name : '';
  let code: TransportErrorCode | undefined = codeOf(error);
  const causeCode = codeOf((error as { cause?: unknown } | null)?.cause);
  if (name === 'TimeoutError' || (code !== undefined && TIMEOUT_CODES.has(code))) code = 'timeout';
  else if (name === 'AbortError' || (code !== undefined && ABORT_CODES.has(code))) code = 'aborted';
  else if (code === 'UND_ERR_SOCKET' || code === undefined || code.startsWith('UND_ERR')) code = causeCode ?? 'network';
  else if (causeCode !== undefined && code === 'ERR_NETWORK') code = causeCode;
  const message = error instanceof Error ? error.message : String(error);
  return new TransportError(code, `${code}: ${message}`, { cause: error });
}

export function failure(code: TransportErrorCode, message: string, cause?: unknown): TransportFailure {
  return { kind: 'error', error: new TransportError(code, message, cause === undefined ? undefined : { cause }) };
}

export function failureFrom(error: unknown): TransportFailure {
  return { kind: 'error', error: toTransportError(error) };
}
