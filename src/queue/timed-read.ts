import type { TenantLog, WalPosition, WalRecord } from '../wal/types.js';

/**
 * `log.read` that also returns (with nothing) after `wakeAfterMs` when no append came, so the
 * reader can decide something that depends on time (a reshard); undefined: waits as long as it takes.
 */
export async function timedRead(
  log: TenantLog,
  after: WalPosition | undefined,
  limits: { readonly maxRecords: number; readonly maxBytes: number },
  signal: AbortSignal,
  wakeAfterMs: number | undefined,
): Promise<WalRecord[]> {
  if (wakeAfterMs === undefined) return log.read(after, limits, signal);
  const wake = new AbortController();
  const stop = () => wake.abort();
  signal.addEventListener('abort', stop, { once: true });
  const timer = setTimeout(stop, wakeAfterMs);
  try {
    return await log.read(after, limits, wake.signal);
  } finally {
    clearTimeout(timer);
    signal.removeEventListener('abort', stop);
  }
}
