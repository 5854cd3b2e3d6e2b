import { TenantError, TenantwireError } from '../errors.js';
import { foldOutcomes } from '../tenant/fold.js';
import { tenantOptionsFrom, type CompiledTenantOptions, type TenantOptionsInput } from '../tenant/options.js';
import { splitWire, tenantPickRequest } from '../tenant/split-wire.js';
import { scanWriteRequest } from '../wire/scan.js';
import { snappyCompress, snappyDecompress } from '../wire/snappy.js';
import { DEFAULT_WIRE_LIMITS, type WireLimits } from '../wire/types.js';
import { getHeader, setHeader } from '../transport/headers.js';
import type { Transport, TransportRequest, TransportResult } from '../transport/types.js';
import { checkTenantCount, DEFAULT_FAN_OUT, type FanOutLimits } from './fan-out.js';
import { sendToTenants } from './send-tenants.js';

/**
 * The seed's RoundTripper trick, done natively: a transport that takes an already serialised,
 * snappy-compressed remote-write 1.0 request, splits it by tenant on the wire (no full
 * decode), and sends each tenant's part through `inner` with the tenant header, at most
 * `fanOut.parallel` at once. The answers are folded into one with cortex-tenant's rule (tenant
 * core fold). The one place where wire, tenant and transport meet, so it sits beside the proxy
 * and sends through the proxy's fan-out path (send-tenants.ts), not among the transports. It takes the drop-in
 * target's bounds with the same defaults, since a body built to amplify is as cheap here: the
 * wire limits on what one body may decode to, and at most `fanOut.maxTenants` tenants per body
 * (400 naming the count, before anything is sent).
 */
export interface TenantSplitOptions {
  /** The `tenant` block (cortex-tenant keys). */
  readonly tenant?: TenantOptionsInput;
  /** Forward metadata-only requests to the default tenant (cortex-tenant's `metadata`). */
  readonly metadata?: boolean;
  /** Most decoded bytes and elements one body may hold. Default DEFAULT_WIRE_LIMITS (32 MiB, 2,000,000). */
  readonly limits?: Partial<WireLimits>;
  /**
   * Most tenants one body may name (`max_tenants_per_request`, 0: no limit) and most sends in
   * flight at once. Default DEFAULT_FAN_OUT (1,000 tenants, 64 sends).
   */
  readonly fanOut?: Partial<FanOutLimits>;
}

const utf8 = new TextEncoder();

function answer(status: number, text: string): TransportResult {
  return {
    kind: 'response',
    status,
    headers: { 'content-type': 'text/plain; charset=utf-8' },
    body: utf8.encode(`${text}\n`),
  };
}

export function withTenantSplit(inner: Transport, options: TenantSplitOptions = {}): Transport {
  const tenant: CompiledTenantOptions = tenantOptionsFrom(options.tenant ?? {}, {
    metadata: options.metadata ?? false,
    path: 'tenant',
  });
  const limits: WireLimits = { ...DEFAULT_WIRE_LIMITS, ...options.limits };
  const fanOut: FanOutLimits = { ...DEFAULT_FAN_OUT, ...options.fanOut };

  async function send(request: TransportRequest): Promise<TransportResult> {
    const type = getHeader(request.headers, 'content-type') ?? '';
    if (type.includes('proto=io.prometheus.write.v2'))
      return answer(415, 'withTenantSplit handles remote-write 1.0 bodies only');
    const source = getHeader(request.headers, tenant.header);
    let split: ReturnType<typeof splitWire>;
    try {
      const raw = snappyDecompress(request.body ?? new Uint8Array(0), limits);
      split = splitWire({
        scan: scanWriteRequest(raw, limits, tenantPickRequest(tenant)),
        options: tenant,
        ...(source === undefined ? {} : { sourceTenant: source }),
      });
      checkTenantCount(split.batches.length, fanOut);
    } catch (e) {
      if (e instanceof TenantError || e instanceof TenantwireError) return answer(400, e.message);
      throw e;
    }
    if (split.batches.length === 0) return { kind: 'response', status: 204, headers: {}, body: new Uint8Array(0) };
    const pieces = split.batches.map((b) => ({
      tenant: b.tenant,
      batch: b,
      sent: { samples: b.samples, histograms: b.histograms, exemplars: b.exemplars },
    }));
    const outcomes = await sendToTenants(pieces, fanOut.parallel, {
      transport: inner,
      request: ({ batch }) => ({
        ...request,
        headers: setHeader(request.headers, tenant.header, batch.tenant),
        body: split.passthrough ? (request.body ?? new Uint8Array(0)) : snappyCompress(batch.body),
      }),
    });
    const folded = foldOutcomes(outcomes, { acceptAll: tenant.acceptAll });
    const headers: Record<string, string> = {};
    for (const [k, v] of Object.entries(folded.headers)) headers[k.toLowerCase()] = v;
    // A transport error on any tenant folds into 500 (cortex-tenant); keep it a response so
    // the retry policy treats it as retryable like any 5xx.
    const retryAfter = headers['retry-after'];
    const base = { kind: 'response' as const, status: folded.status, headers, body: folded.body };
    return retryAfter === undefined ? base : { ...base, retryAfterMs: Number(retryAfter) * 1000 };
  }

  return { send, close: () => inner.close() };
}
