import { normalizeTenantLimits, type TenantLimitsBlock } from '../../limits/schema.js';
import { createTenantLimiter, type TenantLimiter } from '../../limits/tenant-limiter.js';
import type { Clock } from './clock.js';
import { redactUrl } from './endpoint-name.js';
import type { RemoteWriteMetrics } from './metrics.js';
import { limitError, type GuardOutcome, type LimitedPart } from './tenant-guard.js';

/**
 * The `tenant.limits` state of a component's endpoints, by endpoint key. A reload that changes
 * only an endpoint's limits keeps the endpoint (and its queues) and updates its limiter in place,
 * with the drop-in's reload rules (limits/tenant-limiter.ts `update`).
 */
export interface EndpointLimits {
  set(key: string, block: TenantLimitsBlock | null | undefined): void;
  get(key: string): TenantLimiter | undefined;
  forget(key: string): void;
}

export function endpointLimits(clock: Clock): EndpointLimits {
  const limiters = new Map<string, TenantLimiter>();
  return {
    set(key, block) {
      const config = normalizeTenantLimits(block);
      const current = limiters.get(key);
      if (config === undefined) limiters.delete(key);
      else if (current) current.update(config);
      else limiters.set(key, createTenantLimiter(config, { now: () => clock.now() }));
    },
    get: (key) => limiters.get(key),
    forget: (key) => limiters.delete(key),
  };
}

/**
 * After the push: takes the tokens and records the series of what was queued, counts what was
 * limited, and throws when the sender must hear of it. The answer follows the drop-in's table
 * (README "Per-tenant limits"): a tenant held back by its rate makes it a 429 + Retry-After (the
 * sender resends the whole push; the parts already queued arrive twice, which Cortex and Mimir
 * accept); series cut by a series limit are dropped and counted when the rest was queued; a push
 * with nothing left to queue is refused whole (429 when a rate is why, else 400). `committed`
 * false: nothing was queued (some endpoint had nothing left).
 */
export function settleGuards(
  endpoints: readonly { readonly url: string; readonly remoteName: string }[],
  guards: readonly GuardOutcome[],
  metrics: Pick<RemoteWriteMetrics, 'samplesDropped' | 'tenantLimited' | 'tenantLimitedSamples'>,
  committed = true,
): void {
  const rateLimited: LimitedPart[] = [];
  const refused: LimitedPart[] = [];
  for (const g of guards) {
    rateLimited.push(...g.rateLimited);
    refused.push(...g.refused);
  }
  const retried = rateLimited.length > 0 || !committed;
  guards.forEach((g, i) => {
    const e = endpoints[i]!;
    const base = { remote_name: e.remoteName, url: redactUrl(e.url) };
    if (committed) {
      g.commit();
      if (g.forbiddenSamples > 0) {
        metrics.samplesDropped.inc({ ...base, tenant: '', reason: 'forbidden_tenant' }, g.forbiddenSamples);
      }
    }
    for (const l of [...g.rateLimited, ...g.refused]) {
      const labels = { ...base, tenant: l.tenant, limit: l.limit };
      metrics.tenantLimited.inc(labels);
      if (l.samples > 0) metrics.tenantLimitedSamples.inc(labels, l.samples);
    }
    // Cut from a push the sender will not send again: lost to it, so counted as dropped.
    if (!retried) {
      for (const l of g.refused) {
        if (l.samples > 0) metrics.samplesDropped.inc({ ...base, tenant: l.tenant, reason: l.limit }, l.samples);
      }
    }
  });
  if (rateLimited.length > 0 || !committed) throw limitError(rateLimited, refused);
}
