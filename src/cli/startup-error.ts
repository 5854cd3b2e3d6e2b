/**
 * The one line a failure to start is reported with (`tenantwire: <reason>`): the message of
 * our own errors as it is (it names the key or flag), and for system errors what was being done
 * ("cannot listen on 127.0.0.1:8080: address already in use (EADDRINUSE)").
 */
import { isTenantwireError } from '../errors.js';

interface SystemError extends Error {
  readonly code?: string;
  readonly syscall?: string;
  readonly address?: string;
  readonly port?: number;
  readonly path?: string;
}

/** Node's "listen EADDRINUSE: address already in use 127.0.0.1:8080" without its prefix. */
function what(e: SystemError, strip: RegExp): string {
  const m = /^[a-z]+ [A-Z]+: ([^,]+)/.exec(e.message);
  const text = (m?.[1] ?? e.message).replace(strip, '');
  return e.code && !text.includes(e.code) ? `${text} (${e.code})` : text;
}

export function describeStartupError(error: unknown): string {
  if (isTenantwireError(error)) return error.message;
  if (!(error instanceof Error)) return String(error);
  const e = error as SystemError;
  if (e.syscall === 'listen' || e.syscall === 'bind') {
    const where =
      e.address === undefined ? '' : ` on ${e.address.includes(':') ? `[${e.address}]` : e.address}:${e.port ?? ''}`;
    return `cannot listen${where}: ${what(e, / \S+:\d+$/)}`;
  }
  if (e.path !== undefined && e.syscall !== undefined)
    return `cannot ${e.syscall} ${e.path}: ${what(e, /, \S+ '.*'$/)}`;
  return e.message;
}
