import { z } from 'zod';
import { tenantIdProblem } from '../tenant/tenant-id.js';
import { limitsConfigured, NO_TENANT_LIMITS, type TenantLimitSettings, type TenantLimitsConfig } from './settings.js';

/**
 * The `limits` block (per_tenant, overrides) as both configurations write it: the drop-in's
 * top-level `limits:` and a pipeline endpoint's `tenant.limits`. Each passes its own duration
 * syntax (Go durations in the cortex-tenant file, Alloy's in the pipeline), the rest is shared.
 */

const count = z.number().int().nonnegative();

type Duration = z.ZodType<number, unknown>;

function limitKeysSchema(duration: Duration) {
  return z.strictObject({
    ingestion_rate: z.number().nonnegative().optional(),
    ingestion_burst: count.optional(),
    max_series_per_request: count.optional(),
    max_active_series: count.optional(),
    active_series_window: duration.refine((ms) => ms >= 1000, 'must be at least 1s').optional(),
  });
}

interface LimitKeys {
  readonly ingestion_rate?: number | undefined;
  readonly ingestion_burst?: number | undefined;
  readonly max_series_per_request?: number | undefined;
  readonly max_active_series?: number | undefined;
  readonly active_series_window?: number | undefined;
}

/** A burst with no rate would limit nothing: refused rather than ignored. */
function burstWithoutRate(k: LimitKeys, inherited?: LimitKeys): boolean {
  const rate = k.ingestion_rate ?? inherited?.ingestion_rate ?? 0;
  return k.ingestion_burst !== undefined && k.ingestion_burst > 0 && rate === 0;
}

const BURST_WITHOUT_RATE = 'is set but ingestion_rate is 0 or unset: a burst needs a rate';

export function tenantLimitsSchema(duration: Duration) {
  const keys = limitKeysSchema(duration);
  return z
    .strictObject({
      per_tenant: keys.nullish(),
      overrides: z.record(z.string(), keys.nullish()).nullish(),
    })
    .superRefine((l, ctx) => {
      if (l.per_tenant && burstWithoutRate(l.per_tenant)) {
        ctx.addIssue({ code: 'custom', path: ['per_tenant', 'ingestion_burst'], message: BURST_WITHOUT_RATE });
      }
      for (const [tenant, k] of Object.entries(l.overrides ?? {})) {
        const why = tenantIdProblem(tenant);
        if (why !== undefined) {
          ctx.addIssue({ code: 'custom', path: ['overrides', tenant], message: `the tenant id ${why}` });
        }
        if (k && burstWithoutRate(k, l.per_tenant ?? undefined)) {
          ctx.addIssue({ code: 'custom', path: ['overrides', tenant, 'ingestion_burst'], message: BURST_WITHOUT_RATE });
        }
      }
    });
}

/** The block as parsed by `tenantLimitsSchema`. */
export interface TenantLimitsBlock {
  readonly per_tenant?: LimitKeys | null | undefined;
  readonly overrides?: Readonly<Record<string, LimitKeys | null | undefined>> | null | undefined;
}

/**
 * The settings of one level: `ingestion_burst` defaults to the `ingestion_rate` set at the same
 * level (an override that sets a rate gets its own default burst); unset keys come from `base`.
 */
function settingsOf(k: LimitKeys, base: TenantLimitSettings): TenantLimitSettings {
  const rate = k.ingestion_rate ?? base.ingestionRate;
  const burst = k.ingestion_burst ?? (k.ingestion_rate !== undefined ? k.ingestion_rate : base.ingestionBurst);
  return {
    ingestionRate: rate,
    // A fractional rate still needs a bucket that holds one sample.
    ingestionBurst: rate > 0 ? Math.max(1, burst) : 0,
    maxSeriesPerRequest: k.max_series_per_request ?? base.maxSeriesPerRequest,
    maxActiveSeries: k.max_active_series ?? base.maxActiveSeries,
    activeSeriesWindowMs: k.active_series_window ?? base.activeSeriesWindowMs,
  };
}

/** Undefined when no tenant has any limit (the caller then runs without a limiter). */
export function normalizeTenantLimits(f: TenantLimitsBlock | null | undefined): TenantLimitsConfig | undefined {
  if (!f) return undefined;
  const perTenant = settingsOf(f.per_tenant ?? {}, NO_TENANT_LIMITS);
  const overrides = new Map<string, TenantLimitSettings>();
  for (const [tenant, keys] of Object.entries(f.overrides ?? {}))
    overrides.set(tenant, settingsOf(keys ?? {}, perTenant));
  const config = { perTenant, overrides };
  return limitsConfigured(config) ? config : undefined;
}
