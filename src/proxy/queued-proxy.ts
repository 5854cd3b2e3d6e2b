import type { Logger } from '../logger.js';
import { writtenHeaders } from '../protocol/headers.js';
import type { IncomingWrite, WriteAnswer, WriteHandler } from '../protocol/write-types.js';
import type { DurableQueue, QueuePiece } from '../queue/types.js';
import type { CompiledTenantOptions } from '../tenant/options.js';
import { declaredLength } from '../wire/snappy-preamble.js';
import type { WireLimits } from '../wire/types.js';
import { DEFAULT_FAN_OUT, type FanOutLimits } from './fan-out.js';
import type { TenantSend } from './forward.js';
import { createInFlightLimit, type InFlightLimit } from './in-flight.js';
import type { ProxyMetrics } from './metrics.js';
import { receiveWrite, type SendPlan } from './plan.js';
import { enforceTenantRights } from './tenant-rights.js';
import type { TenantLimiter } from '../limits/tenant-limiter.js';
import { enforceTenantLimits, queuedLimitAnswer, settleLimits } from './tenant-limits.js';

export interface QueuedProxyOptions {
  readonly queue: DurableQueue;
  readonly tenant: CompiledTenantOptions;
  readonly metrics: ProxyMetrics;
  readonly logger: Logger;
  readonly limits: WireLimits;
  readonly concurrency: number;
  readonly inFlight?: InFlightLimit;
  readonly splitMode: 'wire' | 'decode';
  readonly forwardProtocol: '1.0' | '2.0' | 'same';
  readonly fanOut?: FanOutLimits;
  /** Per-tenant limits, applied before anything is queued; undefined: none. */
  readonly tenantLimiter?: TenantLimiter;
}

/**
 * The drop-in target in queue mode: the same split as the synchronous proxy, but each tenant's
 * piece goes into its durable queue and the sender is answered once every piece is on disk
 * (204, with the Written headers for 2.0). Delivery happens later, per tenant, so a tenant that
 * is down or rate limited holds back neither the sender nor the other tenants. Bad input is
 * refused before anything is queued (the route maps the error to 400/413); a full or failing
 * disk refuses the whole request with 503 + Retry-After (the route maps `queue_*` codes).
 */
export function createQueuedProxy(options: QueuedProxyOptions): WriteHandler {
  const { metrics } = options;
  const limit = options.inFlight ?? createInFlightLimit(options.concurrency);
  const fanOut = options.fanOut ?? DEFAULT_FAN_OUT;

  return async (write: IncomingWrite): Promise<WriteAnswer> => {
    const declared = declaredLength(write.compressed);
    limit.enter(declared);
    try {
      // Tenants the sender's credential may not write: refused (403) or dropped, before anything is queued.
      const allowed = enforceTenantRights(receiveWrite(write, options, metrics, fanOut), write.rights, metrics);
      // Per-tenant limits, before queuing: what is held back or refused never reaches the disk.
      const limited = enforceTenantLimits(allowed, options.tenantLimiter, metrics);
      if (limited.answer !== undefined) return limited.answer;
      const plan = limited.plan;
      if (plan.sends.length === 0) return { status: plan.emptyStatus, headers: answerHeaders(plan, []) };
      await options.queue.enqueue(plan.sends.map(pieceOf));
      for (const s of plan.sends) metrics.timeseriesReceived.inc({ tenant: metrics.tenantLabel(s.tenant) }, s.series);
      const answer = queuedLimitAnswer(limited, answerHeaders(plan, plan.sends));
      metrics.answers.inc({ code: String(answer.status) });
      return settleLimits(limited, answer, metrics);
    } finally {
      limit.leave(declared);
    }
  };
}

function pieceOf(s: TenantSend): QueuePiece {
  return {
    tenant: s.tenant,
    version: s.version,
    ...(s.raw !== undefined ? { raw: s.raw } : {}),
    ...(s.body !== undefined ? { body: s.body } : {}),
    series: s.series,
    samples: s.sent.samples,
    histograms: s.sent.histograms,
    exemplars: s.sent.exemplars,
  };
}

/** A 2.0 sender reads what was written from these headers; 1.0 answers carry none. */
function answerHeaders(plan: SendPlan, sends: readonly TenantSend[]): Record<string, string> {
  if (plan.answerProtocol !== '2.0') return {};
  const c = { samples: 0, histograms: 0, exemplars: 0 };
  for (const s of sends) {
    c.samples += s.sent.samples;
    c.histograms += s.sent.histograms;
    c.exemplars += s.sent.exemplars;
  }
  return writtenHeaders(c);
}
