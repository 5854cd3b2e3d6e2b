import { randomUUID } from 'node:crypto';
import type { Logger } from '../logger.js';
import { encodePushRequest } from '../loki/encode-push.js';
import { encodePushJson } from '../loki/push-json.js';
import { negotiateLokiBody, readLokiBody } from '../loki/read-body.js';
import { splitPushRequest, type LokiSplitResult } from '../loki/split-push.js';
import type { LokiFormat, LokiLimits } from '../loki/types.js';
import { foldOutcomes, type TenantOutcome } from '../tenant/fold.js';
import type { CompiledTenantOptions } from '../tenant/options.js';
import type { Transport } from '../transport/types.js';
import { snappyCompress } from '../wire/snappy.js';
import { USER_AGENT } from '../version.js';
import { logUpstreamFailures } from './forward.js';
import type { LokiMetrics } from './loki-metrics.js';
import { createInFlightLimit, type InFlightLimit } from './in-flight.js';
import { declaredLength } from '../wire/snappy-preamble.js';
import { checkTenantCount, DEFAULT_FAN_OUT, type FanOutLimits } from './fan-out.js';
import { sendToTenants, type TenantSender } from './send-tenants.js';
import type { IncomingLokiPush, LokiPushHandler, TenantRights, WriteAnswer } from '../protocol/write-types.js';
import { forbiddenTenantError, partitionByRights } from './tenant-rights.js';

export type { IncomingLokiPush, LokiPushHandler } from '../protocol/write-types.js';

export interface LokiProxyOptions {
  readonly transport: Transport;
  /** Loki's push URL (`target_loki`). */
  readonly targetUrl: string;
  readonly tenant: CompiledTenantOptions;
  readonly metrics: LokiMetrics;
  readonly logger: Logger;
  readonly limits: LokiLimits;
  /** Per upstream request (ms). */
  readonly timeoutMs: number;
  /** Most pushes handled at once; past it the sender gets 503 + Retry-After. */
  readonly concurrency: number;
  /** A limit shared with other handlers of the same process; default: one of `concurrency` places. */
  readonly inFlight?: InFlightLimit;
  readonly logResponseErrors: boolean;
  /** Most tenants per push and upstream requests started at once per push (fan-out.ts). */
  readonly fanOut?: FanOutLimits;
  readonly now?: () => number;
}

/** cortex-tenant's answer to a push without a single entry (Loki's own wording). */
export const NO_ENTRIES_MESSAGE = 'error at least one valid stream is required for ingestion\n';

/** The handler for a server without `target_loki`: every push gets 404 saying so. */
export const lokiNotConfigured: LokiPushHandler = async () => ({
  status: 404,
  body: 'Loki push is not forwarded: target_loki is not configured\n',
});

interface LokiSend {
  readonly tenant: string;
  readonly body: Uint8Array;
  readonly headers: Readonly<Record<string, string>>;
}

/**
 * cortex-tenant's Loki push path as a handler: decode (protobuf or JSON), split the streams by
 * tenant, send every tenant's push to `target_loki` in parallel in the format it came in, fold
 * the answers as the remote-write side does. A one-tenant push with nothing rewritten goes out
 * as its original bytes.
 */
export function createLokiProxy(options: LokiProxyOptions): LokiPushHandler {
  const { metrics, logger } = options;
  const now = options.now ?? (() => performance.now());
  const limit = options.inFlight ?? createInFlightLimit(options.concurrency);
  const fanOut = options.fanOut ?? DEFAULT_FAN_OUT;

  return async (push: IncomingLokiPush): Promise<WriteAnswer> => {
    // Snappy protobuf declares its decoded size up front; JSON (plain or gzip, whose inflated
    // size the decoder bounds) counts as its body.
    const declared = /protobuf/i.test(push.contentType ?? '') ? declaredLength(push.body) : push.body.byteLength;
    limit.enter(declared);
    try {
      metrics.batchesReceived.inc();
      metrics.batchesReceivedBytes.observe(push.body.byteLength);
      const answer = await handle(push);
      metrics.answers.inc({ code: String(answer.status) });
      return answer;
    } finally {
      limit.leave(declared);
    }
  };

  async function handle(push: IncomingLokiPush): Promise<WriteAnswer> {
    const how = negotiateLokiBody(push.contentType, push.contentEncoding);
    if (!how.ok) return { status: 415, body: `${how.message}\n` };
    const request = readLokiBody(push.body, how, options.limits);
    const found = splitPushRequest(request, options.tenant, push.sourceTenant);
    if (found.entriesDropped > 0) metrics.entriesDropped.inc({ reason: 'missing_tenant' }, found.entriesDropped);
    const split = allowedBatches(found, push.rights);
    if (split.batches.length === 0) {
      // Entries all dropped (no tenant with on_missing: drop, or tenants the credential may not
      // write with on_forbidden: drop) were taken and counted: 204, as for remote write.
      return split.dropped || split.streamsDropped > 0 ? { status: 204 } : { status: 422, body: NO_ENTRIES_MESSAGE };
    }
    checkTenantCount(split.batches.length, fanOut, 'push');
    for (const b of split.batches) metrics.streamsReceived.inc({ tenant: metrics.tenantLabel(b.tenant) }, b.streams);

    const sends = split.batches.map((batch): LokiSend => {
      if (split.passthrough) {
        const headers: Record<string, string> = { 'Content-Type': contentTypeOf(how.format) };
        if (how.encoding === 'gzip') headers['Content-Encoding'] = 'gzip';
        return { tenant: batch.tenant, body: push.body, headers };
      }
      const body =
        how.format === 'protobuf' ? snappyCompress(encodePushRequest(batch.request)) : encodePushJson(batch.request);
      return { tenant: batch.tenant, body, headers: { 'Content-Type': contentTypeOf(how.format) } };
    });
    const requestId = randomUUID();
    const outcomes = await sendToTenants(sends, fanOut.parallel, sender(push, requestId));
    return fold(outcomes, requestId, push.clientAddress);
  }

  /**
   * The credential check (auth.ingress.users) on the split push, before anything is sent:
   * forbidden tenants refuse the push (403) or are dropped and counted.
   */
  function allowedBatches(
    split: LokiSplitResult,
    rights: TenantRights | undefined,
  ): LokiSplitResult & { readonly dropped?: boolean } {
    if (rights === undefined) return split;
    const { allowed, forbidden } = partitionByRights(split.batches, (t) => rights.allows(t));
    if (forbidden.length === 0) return split;
    const tenants = forbidden.map((b) => b.tenant);
    if (rights.onForbidden === 'reject') throw forbiddenTenantError(rights.credential, tenants);
    metrics.entriesDropped.inc(
      { reason: 'forbidden_tenant' },
      forbidden.reduce((n, b) => n + b.entries, 0),
    );
    return { ...split, batches: allowed, dropped: true };
  }

  /** One push's per-tenant requests: its format's headers plus cortex-tenant's. */
  function sender(push: IncomingLokiPush, requestId: string): TenantSender<LokiSend> {
    return {
      transport: options.transport,
      now,
      request: (s) => ({
        url: options.targetUrl,
        method: 'POST',
        headers: {
          ...s.headers,
          'User-Agent': USER_AGENT,
          'X-Cortex-Tenant-Client': push.clientAddress,
          'X-Cortex-Tenant-ReqID': requestId,
          [options.tenant.header]: s.tenant,
        },
        body: s.body,
        signal: push.signal,
        timeoutMs: options.timeoutMs,
      }),
      observe: (s, result, elapsedMs) => {
        const label = metrics.tenantLabel(s.tenant);
        metrics.requests.inc({ tenant: label });
        if (result.kind === 'error') metrics.requestErrors.inc({ tenant: label });
        else metrics.requestDurationMs.observe({ code: String(result.status), tenant: label }, elapsedMs);
      },
    };
  }

  function fold(outcomes: TenantOutcome[], requestId: string, client: string): WriteAnswer {
    const folded = foldOutcomes(outcomes, { acceptAll: options.tenant.acceptAll, nowMs: Date.now() });
    logUpstreamFailures(
      logger,
      outcomes,
      { client, requestId, upstream: 'Loki upstream', logResponseErrors: options.logResponseErrors },
      folded,
    );
    return { status: folded.status, headers: folded.headers, body: folded.body };
  }
}

function contentTypeOf(format: LokiFormat): string {
  return format === 'protobuf' ? 'application/x-protobuf' : 'application/json';
}
