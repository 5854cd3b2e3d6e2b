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

/**
 * A transport result as the tenant outcome the fold takes. Every literal names all its keys: on
 * Node 20 a spread followed by more keys (`{ ...base, kind, status }`) defines each later key
 * through the runtime, some microseconds a call, and this runs once per tenant per request.
 */
export function outcomeOf(tenant: string, result: TransportResult, sent?: WrittenCounts): TenantOutcome {
  if (result.kind === 'error') {
    const error = result.error;
    return sent === undefined ? { tenant, kind: 'error', error } : { tenant, sent, kind: 'error', error };
  }
  const { status, headers, body, retryAfterMs } = result;
  if (retryAfterMs === undefined) {
    return sent === undefined
      ? { tenant, kind: 'response', status, headers, body }
      : { tenant, sent, kind: 'response', status, headers, body };
  }
  return sent === undefined
    ? { tenant, kind: 'response', status, headers, body, retryAfterMs }
    : { tenant, sent, kind: 'response', status, headers, body, retryAfterMs };
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
