import type { IncomingWrite } from '../protocol/write-types.js';
import type { CompiledTenantOptions } from '../tenant/options.js';
import type { WireLimits } from '../wire/types.js';
import { planV1Decode, planV1Wire, type SendPlan } from './plan-v1.js';
import { planV2 } from './plan-v2.js';
import { checkTenantCount, type FanOutLimits } from './fan-out.js';
import type { ProxyMetrics } from './metrics.js';

export type { SendPlan };

export interface PlanOptions {
  readonly tenant: CompiledTenantOptions;
  readonly limits: WireLimits;
  readonly splitMode: 'wire' | 'decode';
  readonly forwardProtocol: '1.0' | '2.0' | 'same';
}

/**
 * One incoming write split into per-tenant sends, the same for the synchronous proxy and queue
 * mode: 2.0 decoded and split per tenant, 1.0 split on the wire (or by full decode).
 */
export function planWrite(write: IncomingWrite, o: PlanOptions): SendPlan {
  if (write.version === '2.0') return planV2(write, o.tenant, o.limits, o.forwardProtocol);
  return o.splitMode === 'decode' ? planV1Decode(write, o.tenant, o.limits) : planV1Wire(write, o.tenant, o.limits);
}

/**
 * The proxy's first steps for a write, in either mode: count it, plan it, refuse more tenants
 * than `fanOut.maxTenants` (400), count the metadata the plan dropped.
 */
export function receiveWrite(
  write: IncomingWrite,
  o: PlanOptions,
  metrics: ProxyMetrics,
  fanOut: FanOutLimits,
): SendPlan {
  metrics.batchesReceived.inc();
  metrics.batchesReceivedBytes.observe(write.compressed.byteLength);
  const plan = planWrite(write, o);
  checkTenantCount(plan.sends.length, fanOut);
  if (plan.metadataDropped > 0) metrics.samplesDropped.inc({ reason: 'metadata_dropped' }, plan.metadataDropped);
  if (plan.missingTenantDropped > 0) {
    metrics.samplesDropped.inc({ reason: 'missing_tenant' }, plan.missingTenantDropped);
  }
  return plan;
}
