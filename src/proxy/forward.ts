import type { Logger } from '../logger.js';
import type { ProxyMetrics } from './metrics.js';
import { remoteWriteHeaders } from '../protocol/headers.js';
import type { WrittenCounts, TenantOutcome } from '../tenant/fold.js';
import type { Transport } from '../transport/types.js';
import type { ProtocolVersion } from '../wire/types.js';
import { snappyCompress } from '../wire/snappy.js';
import { sendToTenant, type TenantSender } from './send-tenants.js';

interface TenantSendBase {
  readonly tenant: string;
  readonly version: ProtocolVersion;
  readonly series: number;
  readonly sent: WrittenCounts;
}

/**
 * One per-tenant upstream write, described by what the proxy knows about it. `body` is the
 * snappy-compressed body when it exists already (pass-through, 2.0); `raw` is the decompressed
 * 1.0 body, compressed only when it is sent, so that a coalescer can first join it with other
 * requests' bodies for the same tenant (1.0 messages concatenate into one).
 */
export type TenantSend = TenantSendBase &
  ({ readonly body: Uint8Array; readonly raw?: Uint8Array } | { readonly body?: undefined; readonly raw: Uint8Array });

/** The bytes that go out for `send` alone. */
export function compressedBody(send: TenantSend): Uint8Array {
  return send.body ?? snappyCompress(send.raw);
}

export interface ForwardContext {
  readonly transport: Transport;
  readonly targetUrl: string;
  readonly tenantHeader: string;
  readonly timeoutMs: number;
  readonly metrics: ProxyMetrics;
  readonly clientAddress: string;
  readonly requestId: string;
  readonly signal: AbortSignal;
  readonly now: () => number;
}

/**
 * How the proxy sends a tenant's batch: the remote-write headers (protocol/headers.ts) plus
 * cortex-tenant's client, request id and tenant headers; every answer is counted in
 * cortex-tenant's per-tenant metrics.
 */
export function tenantForwarder(ctx: ForwardContext): TenantSender<TenantSend> {
  const m = ctx.metrics;
  return {
    transport: ctx.transport,
    now: ctx.now,
    request: (send) => ({
      url: ctx.targetUrl,
      method: 'POST',
      headers: remoteWriteHeaders(send.version, {
        'X-Cortex-Tenant-Client': ctx.clientAddress,
        'X-Cortex-Tenant-ReqID': ctx.requestId,
        [ctx.tenantHeader]: send.tenant,
      }),
      body: compressedBody(send),
      signal: ctx.signal,
      timeoutMs: ctx.timeoutMs,
    }),
    observe: (send, result, elapsedMs) => {
      const tenantLabel = m.tenantLabel(send.tenant);
      m.requests.inc({ tenant: tenantLabel });
      if (result.kind === 'error') {
        m.requestErrors.inc({ tenant: tenantLabel });
        m.upstreamDuration.observe({ code: 'error', tenant: tenantLabel }, elapsedMs / 1000);
        return;
      }
      const code = String(result.status);
      m.requestDurationMs.observe({ code, tenant: tenantLabel }, elapsedMs);
      m.upstreamDuration.observe({ code, tenant: tenantLabel }, elapsedMs / 1000);
    },
  };
}

/** Sends one tenant's batch (the coalescer's path) and answers its fold outcome. */
export function forwardToTenant(ctx: ForwardContext, send: TenantSend): Promise<TenantOutcome> {
  return sendToTenant(tenantForwarder(ctx), send);
}

/**
 * Logs the tenants of one request whose upstream failed (transport errors always; answers of 300
 * and above too when `log_response_errors`), with cortex-tenant's src and req_id fields.
 * `upstream` names the target in the messages ("upstream", "Loki upstream").
 */
export function logUpstreamFailures(
  logger: Logger,
  outcomes: readonly TenantOutcome[],
  where: {
    readonly client: string;
    readonly requestId: string;
    readonly upstream: string;
    readonly logResponseErrors: boolean;
  },
  folded: { readonly status: number; readonly failed: readonly string[] },
): void {
  if (folded.failed.length === 0 && !(where.logResponseErrors && folded.status >= 300)) return;
  for (const o of outcomes) {
    const fields = { src: where.client, req_id: where.requestId, tenant: o.tenant };
    if (o.kind === 'error') logger.error({ ...fields, err: o.error.message }, `${where.upstream} request failed`);
    else if (o.status >= 300) {
      logger.error(
        { ...fields, code: o.status, body: Buffer.from(o.body).toString('utf8', 0, 512) },
        `${where.upstream} answered with an error`,
      );
    }
  }
}
