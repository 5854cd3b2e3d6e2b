import type { TenantOutcome } from '../tenant/fold.js';
import { WRITTEN_HEADERS } from '../protocol/headers.js';
import { forwardToTenant, type ForwardContext, type TenantSend } from './forward.js';

/**
 * Coalescing (`coalesce: true`): per tenant, the pieces of concurrent incoming requests are
 * joined into fewer upstream requests by group commit. A piece for a tenant with no upstream
 * request in flight goes out at once, alone (no timer, no added latency when load is light);
 * pieces that arrive while one is in flight wait for it and then go out together, as one
 * 1.0 body (1.0 messages concatenate into one), up to `maxBytes` decompressed per request.
 *
 * Every incoming request still waits for the upstream answers that carry its pieces and is
 * answered from them, so the sender keeps end-to-end acknowledgement: a joined request's 2xx,
 * 5xx or 429 (with Retry-After) reaches every request that contributed to it. A joined request
 * refused with another 4xx is sent again piece by piece, so that one sender's bad data (which
 * the wire path forwards when only its samples' insides are broken) is refused alone and the
 * others are not dropped with it. The Written headers of a joined answer describe the joined
 * body, so they are dropped and each piece answers with its own counts. Pieces that cannot be
 * joined (2.0 bodies with their symbol table) are sent alone.
 */
export interface TenantCoalescer {
  /** Sends `send` (alone or joined with others) and resolves to its tenant outcome. */
  submit(send: TenantSend, ctx: ForwardContext): Promise<TenantOutcome>;
  /** Pieces waiting for their tenant's in-flight request (for metrics and tests). */
  waiting(): number;
}

export interface CoalescerOptions {
  /** Most decompressed bytes joined into one upstream request (one piece may exceed it alone). */
  readonly maxBytes: number;
  /** Upstream requests in flight per tenant before pieces wait. Default 1. */
  readonly maxInFlightPerTenant?: number;
  /** Upstream requests in flight across all tenants before pieces wait (they join meanwhile). */
  readonly maxInFlight?: number;
  /** Called with the number of pieces of every joined (multi-piece) upstream request. */
  readonly onJoined?: (pieces: number) => void;
  /** Called when a joined request was refused (4xx) and its pieces are sent again one by one. */
  readonly onRefusedJoin?: (pieces: number) => void;
  /** Called when a piece goes out alone as the original compressed bytes of its request. */
  readonly onOriginalBytes?: () => void;
}

interface Waiter {
  readonly send: TenantSend & { readonly raw: Uint8Array };
  readonly ctx: ForwardContext;
  readonly resolve: (outcome: TenantOutcome) => void;
}

interface Lane {
  inFlight: number;
  readonly queue: Waiter[];
}

/** A signal that never aborts: a joined request is not cancelled by one sender going away. */
const NEVER = new AbortController().signal;
const WRITTEN = new Set(Object.values(WRITTEN_HEADERS).map((h) => h.toLowerCase()));

export function createTenantCoalescer(options: CoalescerOptions): TenantCoalescer {
  const perTenant = options.maxInFlightPerTenant ?? 1;
  const total = options.maxInFlight ?? Number.POSITIVE_INFINITY;
  const lanes = new Map<string, Lane>();
  /** Lanes with pieces to send that wait for a free place under `maxInFlight`, oldest first. */
  const blocked = new Set<string>();
  let waiting = 0;
  let inFlight = 0;

  function pump(tenant: string, lane: Lane): void {
    while (lane.inFlight < perTenant && lane.queue.length > 0) {
      if (inFlight >= total) {
        blocked.add(tenant);
        return;
      }
      const batch = take(lane.queue, options.maxBytes);
      waiting -= batch.length;
      lane.inFlight++;
      inFlight++;
      void run(tenant, batch).finally(() => {
        lane.inFlight--;
        inFlight--;
        if (lane.inFlight === 0 && lane.queue.length === 0) lanes.delete(tenant);
        else blocked.add(tenant);
        release();
      });
    }
  }

  /** Hands free places to the blocked lanes in order (each takes what has queued meanwhile). */
  function release(): void {
    for (const tenant of blocked) {
      if (inFlight >= total) return;
      blocked.delete(tenant);
      const lane = lanes.get(tenant);
      if (lane) pump(tenant, lane);
    }
  }

  async function run(tenant: string, batch: Waiter[]): Promise<void> {
    try {
      if (batch.length === 1) {
        const only = batch[0]!;
        if (only.send.body !== undefined) options.onOriginalBytes?.();
        only.resolve(await forwardToTenant(only.ctx, only.send));
        return;
      }
      options.onJoined?.(batch.length);
      const leader = batch[0]!;
      const joined: TenantSend = {
        tenant,
        version: '1.0',
        raw: concat(batch.map((w) => w.send.raw)),
        series: batch.reduce((n, w) => n + w.send.series, 0),
        sent: {
          samples: batch.reduce((n, w) => n + w.send.sent.samples, 0),
          histograms: batch.reduce((n, w) => n + w.send.sent.histograms, 0),
          exemplars: batch.reduce((n, w) => n + w.send.sent.exemplars, 0),
        },
      };
      const outcome = await forwardToTenant({ ...leader.ctx, signal: NEVER }, joined);
      if (outcome.kind === 'response' && isRefusal(outcome.status)) {
        // Refused whole (a 4xx that will not change on retry): one piece may be at fault, so
        // each goes again alone and gets its own answer; the others are not dropped for it.
        options.onRefusedJoin?.(batch.length);
        for (const w of batch) w.resolve(await forwardToTenant(w.ctx, w.send));
        return;
      }
      for (const w of batch) w.resolve(pieceOutcome(outcome, w.send));
    } catch (e) {
      const error = e instanceof Error ? e : new Error(String(e));
      for (const w of batch) w.resolve({ tenant, kind: 'error', error, sent: w.send.sent });
    }
  }

  return {
    submit(send, ctx) {
      if (send.raw === undefined || send.version !== '1.0') return forwardToTenant(ctx, send);
      const withRaw = send as TenantSend & { readonly raw: Uint8Array };
      let lane = lanes.get(send.tenant);
      if (!lane) {
        lane = { inFlight: 0, queue: [] };
        lanes.set(send.tenant, lane);
      }
      const target = lane;
      return new Promise<TenantOutcome>((resolve) => {
        target.queue.push({ send: withRaw, ctx, resolve });
        waiting++;
        pump(send.tenant, target);
      });
    },
    waiting: () => waiting,
  };
}

/** A 4xx other than 429: the sender would drop the data, not retry it. */
const isRefusal = (status: number): boolean => status >= 400 && status < 500 && status !== 429;

/** The first piece always, then more while they fit in `maxBytes`. */
function take(queue: Waiter[], maxBytes: number): Waiter[] {
  let bytes = queue[0]!.send.raw.byteLength;
  let n = 1;
  while (n < queue.length && bytes + queue[n]!.send.raw.byteLength <= maxBytes) {
    bytes += queue[n]!.send.raw.byteLength;
    n++;
  }
  return queue.splice(0, n);
}

function concat(parts: readonly Uint8Array[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.byteLength, 0));
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.byteLength;
  }
  return out;
}

/** The joined request's outcome as one piece's: its own counts, no Written headers of the whole. */
function pieceOutcome(outcome: TenantOutcome, send: TenantSend): TenantOutcome {
  if (outcome.kind === 'error') return { ...outcome, sent: send.sent };
  const headers: Record<string, string> = {};
  for (const [k, v] of Object.entries(outcome.headers)) if (!WRITTEN.has(k)) headers[k] = v;
  return { ...outcome, headers, sent: send.sent };
}
