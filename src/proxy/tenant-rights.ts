import { AuthError } from '../errors.js';
import type { TenantRights } from '../protocol/write-types.js';
import type { TenantSend } from './forward.js';
import type { ProxyMetrics } from './metrics.js';
import type { SendPlan } from './plan.js';

/**
 * The credential check on a split request (auth.ingress.users): the plan's per-tenant sends
 * whose FINAL tenant id the sender's credential may not write are refused or dropped. It runs
 * after the split and before anything is sent or queued, so a refused request forwards nothing.
 */

export interface RightsOutcome {
  readonly plan: SendPlan;
  /** The tenants refused, in plan order. */
  readonly forbidden: readonly string[];
  /** Samples and histograms of the forbidden tenants' sends. */
  readonly droppedSamples: number;
}

/** Items of any path (remote-write sends, Loki batches) split into allowed and forbidden. */
export function partitionByRights<T extends { readonly tenant: string }>(
  items: readonly T[],
  allows: (tenant: string) => boolean,
): { readonly allowed: T[]; readonly forbidden: T[] } {
  const allowed: T[] = [];
  const forbidden: T[] = [];
  for (const item of items) (allows(item.tenant) ? allowed : forbidden).push(item);
  return { allowed, forbidden };
}

/**
 * Pure: the plan with the forbidden tenants' sends removed (`drop`), or unchanged with the
 * forbidden tenants named (`reject`: the caller refuses the request).
 */
export function applyTenantRights(
  plan: SendPlan,
  allows: (tenant: string) => boolean,
  onForbidden: 'reject' | 'drop',
): RightsOutcome {
  const { allowed, forbidden } = partitionByRights(plan.sends, allows);
  if (forbidden.length === 0) return { plan, forbidden: [], droppedSamples: 0 };
  const droppedSamples = forbidden.reduce((n, s: TenantSend) => n + s.sent.samples + s.sent.histograms, 0);
  const tenants = forbidden.map((s) => s.tenant);
  if (onForbidden === 'reject') return { plan, forbidden: tenants, droppedSamples };
  return { plan: { ...plan, sends: allowed }, forbidden: tenants, droppedSamples };
}

/** The error a `reject` credential's request is refused with (HTTP 403), naming the tenants. */
export function forbiddenTenantError(credential: string, tenants: readonly string[]): AuthError {
  const shown = tenants.slice(0, 5).map((t) => JSON.stringify(t));
  const more = tenants.length > shown.length ? ` and ${tenants.length - shown.length} more` : '';
  const noun = tenants.length === 1 ? 'tenant' : 'tenants';
  return new AuthError(
    'forbidden_tenant',
    `${credential} may not write ${noun} ${shown.join(', ')}${more}: nothing of this request was forwarded`,
  );
}

/**
 * What the proxies call right after planning: no rights (no ingress auth), the plan as it is;
 * else forbidden tenants refuse the request (throws AuthError `forbidden_tenant`, HTTP 403) or
 * are dropped and counted in `tenantwire_samples_dropped_total{reason="forbidden_tenant"}`.
 */
export function enforceTenantRights(
  plan: SendPlan,
  rights: TenantRights | undefined,
  metrics: Pick<ProxyMetrics, 'samplesDropped'>,
): SendPlan {
  if (rights === undefined) return plan;
  const out = applyTenantRights(plan, (t) => rights.allows(t), rights.onForbidden);
  if (out.forbidden.length === 0) return plan;
  if (rights.onForbidden === 'reject') throw forbiddenTenantError(rights.credential, out.forbidden);
  if (out.droppedSamples > 0) metrics.samplesDropped.inc({ reason: 'forbidden_tenant' }, out.droppedSamples);
  return out.plan;
}
