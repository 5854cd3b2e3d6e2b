import { randomUUID } from 'node:crypto';
import type { Logger } from '../logger.js';
import type { ProxyMetrics } from './metrics.js';
import type { IncomingWrite, WriteAnswer, WriteHandler } from '../protocol/write-types.js';
import { writtenHeaders } from '../protocol/headers.js';
import { foldOutcomes, type TenantOutcome } from '../tenant/fold.js';
import type { CompiledTenantOptions } from '../tenant/options.js';
import type { Transport } from '../transport/types.js';
import type { WireLimits } from '../wire/types.js';
import { logUpstreamFailures, tenantForwarder, type ForwardContext, type TenantSend } from './forward.js';
import { receiveWrite, type SendPlan } from './plan.js';
import { enforceTenantRights } from './tenant-rights.js';
import { createInFlightLimit, type InFlightLimit } from './in-flight.js';
import { declaredLength } from '../wire/snappy-preamble.js';
import { createTenantCoalescer } from './tenant-coalescer.js';
import { DEFAULT_FAN_OUT, type FanOutLimits } from './fan-out.js';
import { sendToTenants } from './send-tenants.js';
import type { TenantLimiter } from '../limits/tenant-limiter.js';
import { enforceTenantLimits, limitOutcomes, settleLimits } from './tenant-limits.js';

export interface TenantProxyOptions {
  readonly transport: Transport;
  readonly targetUrl: string;
  readonly tenant: CompiledTenantOptions;
  readonly metrics: ProxyMetrics;
  readonly logger: Logger;
  readonly limits: WireLimits;
  /** Per upstream request (ms). */
  readonly timeoutMs: number;
  /** Most requests handled at once; past it the sender gets 503 + Retry-After. */
  readonly concurrency: number;
  /** A limit shared with other handlers of the same process; default: one of `concurrency` places. */
  readonly inFlight?: InFlightLimit;
  readonly splitMode: 'wire' | 'decode';
  /** For 2.0 input: forward as 1.0, 2.0 or as received. */
  readonly forwardProtocol: '1.0' | '2.0' | 'same';
  readonly logResponseErrors: boolean;
  /** Join concurrent requests' pieces per tenant (tenant-coalescer.ts), up to maxBytes decompressed each. */
  readonly coalesce?: { readonly maxBytes: number };
  /** Most tenants per request and upstream requests started at once per request (fan-out.ts). */
  readonly fanOut?: FanOutLimits;
  readonly now?: () => number;
  /** Per-tenant limits (the `limits:` block, tenant-limits.ts); undefined: none. */
  readonly tenantLimiter?: TenantLimiter;
}

/**
 * cortex-tenant as a write handler: decompress (length checked first), split by tenant (on the
 * wire, or by full decode for comparison), send every tenant's batch in parallel, fold the
 * answers. A one-tenant request with nothing to rewrite goes out as its original bytes. With
 * `coalesce`, concurrent requests' pieces for the same tenant share upstream requests.
 */
export function createTenantProxy(options: TenantProxyOptions): WriteHandler {
  const { metrics, logger } = options;
  const now = options.now ?? (() => performance.now());
  const limit = options.inFlight ?? createInFlightLimit(options.concurrency);
  const fanOut = options.fanOut ?? DEFAULT_FAN_OUT;
  const limiter = options.tenantLimiter;
  const coalescer = options.coalesce
    ? createTenantCoalescer({
        maxBytes: options.coalesce.maxBytes,
        maxInFlight: fanOut.parallel,
        onJoined: (pieces) => metrics.coalescedPieces.inc(pieces),
        onRefusedJoin: () => metrics.coalescedRefusals.inc(),
        onOriginalBytes: () => metrics.passthrough.inc(),
      })
    : undefined;

  return async (write: IncomingWrite): Promise<WriteAnswer> => {
    const declared = declaredLength(write.compressed);
    limit.enter(declared);
    try {
      // Tenants the sender's credential may not write: refused (403) or dropped, before any send.
      const planned = receiveWrite(write, options, metrics, fanOut);
      const allowed = write.rights === undefined ? planned : enforceTenantRights(planned, write.rights, metrics);
      // Per-tenant limits: held-back tenants answer as a 429 in the fold, refused series are
      // counted. Without a limiter `limited` stays undefined and nothing of it runs.
      const limited = limiter === undefined ? undefined : enforceTenantLimits(allowed, limiter, metrics);
      if (limited?.answer !== undefined) return limited.answer;
      const plan = limited === undefined ? allowed : limited.plan;
      for (const s of plan.sends) metrics.timeseriesReceived.inc({ tenant: metrics.tenantLabel(s.tenant) }, s.series);
      // With coalescing, a joinable pass-through piece may go out joined instead: the coalescer
      // counts it when it goes alone.
      if (plan.passthrough && (!coalescer || plan.sends[0]?.raw === undefined)) metrics.passthrough.inc();
      if (plan.sends.length === 0) {
        // A 2.0 sender expects the Written headers on every answer; nothing was written.
        const headers: Record<string, string> =
          plan.answerProtocol === '2.0' ? writtenHeaders({ samples: 0, histograms: 0, exemplars: 0 }) : {};
        return { status: plan.emptyStatus, headers };
      }

      const ctx: ForwardContext = {
        transport: options.transport,
        targetUrl: options.targetUrl,
        tenantHeader: options.tenant.header,
        timeoutMs: options.timeoutMs,
        metrics,
        clientAddress: write.clientAddress,
        requestId: randomUUID(),
        signal: write.signal,
        now,
      };
      // The coalescer bounds the upstream requests in flight itself (pieces join while they wait).
      const outcomes = coalescer
        ? await Promise.all(plan.sends.map((s) => coalescer.submit(s, ctx)))
        : await sendToTenants(plan.sends, fanOut.parallel, tenantForwarder(ctx));
      if (limited === undefined) return answer(outcomes, plan, ctx.requestId, write.clientAddress);
      const folded = answer(limitOutcomes(limited, outcomes), plan, ctx.requestId, write.clientAddress);
      return settleLimits(limited, folded, metrics);
    } finally {
      limit.leave(declared);
    }
  };

  function answer(outcomes: TenantOutcome[], plan: SendPlan, requestId: string, client: string): WriteAnswer {
    const folded = foldOutcomes(outcomes, {
      acceptAll: options.tenant.acceptAll,
      protocol: plan.answerProtocol,
      nowMs: Date.now(),
    });
    metrics.answers.inc({ code: String(folded.status) });
    if (folded.partial) metrics.partialAcceptance.inc();
    const bySend = new Map<string, TenantSend>(plan.sends.map((s) => [s.tenant, s]));
    const refusedSamples = [...folded.refused].reduce((n, t) => n + samplesOf(bySend.get(t)), 0);
    if (refusedSamples > 0) metrics.samplesDropped.inc({ reason: 'upstream_rejected' }, refusedSamples);
    logUpstreamFailures(
      logger,
      outcomes,
      { client, requestId, upstream: 'upstream', logResponseErrors: options.logResponseErrors },
      folded,
    );
    return { status: folded.status, headers: folded.headers, body: folded.body };
  }
}

function samplesOf(s: TenantSend | undefined): number {
  return s ? s.sent.samples + s.sent.histograms : 0;
}
