import type { TenantOutcome, WrittenCounts } from '../tenant/fold.js';
import type { Transport, TransportRequest, TransportResult } from '../transport/types.js';
import { mapBounded } from './fan-out.js';

/**
 * The one upstream fan-out path: the remote-write proxy, the Loki proxy and `withTenantSplit`
 * send a plan's per-tenant requests through it and fold what it returns with `foldOutcomes`.
 * Each says how one piece becomes a request and what it observes of the answer; how requests
 * are bounded and how a transport result becomes a tenant outcome is decided here, once.
 */
export interface TenantPiece {
  readonly tenant: string;
  /** What the piece carries: the Written counts of a 2xx that does not say them. */
  readonly sent?: WrittenCounts;
}

export interface TenantSender<P extends TenantPiece> {
  readonly transport: Transport;
  /** Builds the piece's request when its turn comes, so bodies are compressed within the bound. */
  request(piece: P): TransportRequest;
  /** Sees every answer with the time the transport took (ms by `now`): metrics hook. */
  observe?(piece: P, result: TransportResult, elapsedMs: number): void;
  /** Clock for `observe`. Default `performance.now`. */
  readonly now?: () => number;
}

/** A transport result as the tenant outcome the fold takes. */
export function outcomeOf(tenant: string, result: TransportResult, sent?: WrittenCounts): TenantOutcome {
  const base = sent === undefined ? { tenant } : { tenant, sent };
  if (result.kind === 'error') return { ...base, kind: 'error', error: result.error };
  return {
    ...base,
    kind: 'response',
    status: result.status,
    headers: result.headers,
    body: result.body,
    ...(result.retryAfterMs !== undefined ? { retryAfterMs: result.retryAfterMs } : {}),
  };
}

/** Sends one piece and answers its outcome; a transport never rejects for a status. */
export async function sendToTenant<P extends TenantPiece>(sender: TenantSender<P>, piece: P): Promise<TenantOutcome> {
  const request = sender.request(piece);
  if (sender.observe === undefined) return outcomeOf(piece.tenant, await sender.transport.send(request), piece.sent);
  const now = sender.now ?? (() => performance.now());
  const started = now();
  const result = await sender.transport.send(request);
  sender.observe(piece, result, now() - started);
  return outcomeOf(piece.tenant, result, piece.sent);
}

/**
 * Sends every piece, at most `parallel` at once (the fan-out bound, fan-out.ts), and answers
 * their outcomes in the pieces' order. The tenant count is checked by the caller when it plans,
 * before anything is counted or sent.
 */
export function sendToTenants<P extends TenantPiece>(
  pieces: readonly P[],
  parallel: number,
  sender: TenantSender<P>,
): Promise<TenantOutcome[]> {
  return mapBounded(pieces, parallel, (p) => sendToTenant(sender, p));
}
