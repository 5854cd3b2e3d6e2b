import type { IncomingWrite } from '../protocol/write-types.js';
import type { CompiledTenantOptions } from '../tenant/options.js';
import { splitWriteRequest } from '../tenant/split-object.js';
import { splitWire, tenantPickRequest } from '../tenant/split-wire.js';
import { decodeWriteRequest } from '../wire/decode-v1.js';
import { encodeWriteRequest } from '../wire/encode-v1.js';
import { scanWriteRequest } from '../wire/scan.js';
import { snappyDecompress } from '../wire/snappy.js';
import type { ProtocolVersion, WireLimits } from '../wire/types.js';
import type { TenantSend } from './forward.js';

/** What to send for one incoming request, and what to answer when there is nothing to send. */
export interface SendPlan {
  readonly sends: readonly TenantSend[];
  /** The original bytes go out unchanged (one tenant, nothing rewritten). */
  readonly passthrough: boolean;
  readonly metadataDropped: number;
  /** Samples plus histograms of series dropped for want of a tenant label (`on_missing: drop`). */
  readonly missingTenantDropped: number;
  /**
   * Answer when `sends` is empty: 204 for an empty request or one whose series were all
   * dropped, 200 for dropped metadata (cortex-tenant).
   */
  readonly emptyStatus: number;
  /** Version of the answer (2.0 adds the Written headers). */
  readonly answerProtocol: ProtocolVersion;
}

/** The fast path: locate series on the wire and copy them as byte ranges. */
export function planV1Wire(write: IncomingWrite, tenant: CompiledTenantOptions, limits: WireLimits): SendPlan {
  const raw = snappyDecompress(write.compressed, limits);
  const scan = scanWriteRequest(raw, limits, tenantPickRequest(tenant));
  const split = splitWire({
    scan,
    options: tenant,
    ...(write.sourceTenant !== undefined ? { sourceTenant: write.sourceTenant } : {}),
  });
  // Every key named in one literal (a spread before other keys costs a runtime call per key).
  const body = split.passthrough ? write.compressed : undefined;
  const sends: TenantSend[] = split.batches.map((b): TenantSend => {
    const sent = { samples: b.samples, histograms: b.histograms, exemplars: b.exemplars };
    return body === undefined
      ? { tenant: b.tenant, raw: b.body, version: '1.0', series: b.series, sent }
      : { tenant: b.tenant, raw: b.body, body, version: '1.0', series: b.series, sent };
  });
  return {
    sends,
    passthrough: split.passthrough,
    metadataDropped: split.metadataDropped,
    missingTenantDropped: split.samplesDropped,
    emptyStatus: scan.seriesCount === 0 && scan.metadataCount > 0 ? 200 : 204,
    answerProtocol: '1.0',
  };
}

/** cortex-tenant's algorithm: decode everything, group, re-encode per tenant. Kept for comparison. */
export function planV1Decode(write: IncomingWrite, tenant: CompiledTenantOptions, limits: WireLimits): SendPlan {
  const raw = snappyDecompress(write.compressed, limits);
  const req = decodeWriteRequest(raw, limits);
  const split = splitWriteRequest(req, tenant, write.sourceTenant);
  const sends: TenantSend[] = split.batches.map((b) => ({
    tenant: b.tenant,
    raw: encodeWriteRequest(b.request),
    version: '1.0',
    series: b.series,
    sent: { samples: b.samples, histograms: b.histograms, exemplars: b.exemplars },
  }));
  return {
    sends,
    passthrough: false,
    metadataDropped: split.metadataDropped,
    missingTenantDropped: split.samplesDropped,
    emptyStatus: req.timeseries.length === 0 && req.metadata.length > 0 ? 200 : 204,
    answerProtocol: '1.0',
  };
}
