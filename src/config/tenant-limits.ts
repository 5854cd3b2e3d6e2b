import { z } from 'zod';
import {
  DEFAULT_ACTIVE_SERIES_WINDOW_MS,
  limitsConfigured,
  type TenantLimitSettings,
  type TenantLimitsConfig,
} from '../limits/settings.js';
import { tenantIdProblem } from '../tenant/tenant-id.js';
import { formatGoDuration } from './duration.js';
import { yamlDuration } from './yaml-scalars.js';

/**
 * The drop-in's `limits:` block (tenantwire only): per-tenant limits applied at the edge, after
 * the split, on the FINAL tenant id (proxy/tenant-limits.ts). `per_tenant` holds for every
 * tenant; `overrides.<tenant>` replaces the keys it sets for that tenant. Read at start.
 */

const count = z.number().int().nonnegative();

const limitKeys = z.strictObject({
  ingestion_rate: z.number().nonnegative().optional(),
  ingestion_burst: count.optional(),
  max_series_per_request: count.optional(),
  max_active_series: count.optional(),
  active_series_window: yamlDuration.refine((ms) => ms >= 1000, 'must be at least 1s').optional(),
});

type LimitKeys = z.output<typeof limitKeys>;

/** A burst with no rate would limit nothing: refused rather than ignored. */
function burstWithoutRate(k: LimitKeys, inherited?: LimitKeys): boolean {
  const rate = k.ingestion_rate ?? inherited?.ingestion_rate ?? 0;
  return k.ingestion_burst !== undefined && k.ingestion_burst > 0 && rate === 0;
}

const BURST_WITHOUT_RATE = 'is set but ingestion_rate is 0 or unset: a burst needs a rate';

export const tenantLimitsFileSchema = z
  .strictObject({
    per_tenant: limitKeys.nullish(),
    overrides: z.record(z.string(), limitKeys.nullish()).nullish(),
  })
  .superRefine((l, ctx) => {
    if (l.per_tenant && burstWithoutRate(l.per_tenant)) {
      ctx.addIssue({ code: 'custom', path: ['per_tenant', 'ingestion_burst'], message: BURST_WITHOUT_RATE });
    }
    for (const [tenant, keys] of Object.entries(l.overrides ?? {})) {
      const why = tenantIdProblem(tenant);
      if (why !== undefined) {
        ctx.addIssue({ code: 'custom', path: ['overrides', tenant], message: `the tenant id ${why}` });
      }
      if (keys && burstWithoutRate(keys, l.per_tenant ?? undefined)) {
        ctx.addIssue({ code: 'custom', path: ['overrides', tenant, 'ingestion_burst'], message: BURST_WITHOUT_RATE });
      }
    }
  });

export type TenantLimitsFile = z.output<typeof tenantLimitsFileSchema>;

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

const NONE: TenantLimitSettings = {
  ingestionRate: 0,
  ingestionBurst: 0,
  maxSeriesPerRequest: 0,
  maxActiveSeries: 0,
  activeSeriesWindowMs: DEFAULT_ACTIVE_SERIES_WINDOW_MS,
};

/** Undefined when no tenant has any limit (the proxy then runs without the limiter). */
export function normalizeTenantLimits(f: TenantLimitsFile | null | undefined): TenantLimitsConfig | undefined {
  if (!f) return undefined;
  const perTenant = settingsOf(f.per_tenant ?? {}, NONE);
  const overrides = new Map<string, TenantLimitSettings>();
  for (const [tenant, keys] of Object.entries(f.overrides ?? {}))
    overrides.set(tenant, settingsOf(keys ?? {}, perTenant));
  const config = { perTenant, overrides };
  return limitsConfigured(config) ? config : undefined;
}

/** The block in the file's own keys, for the effective-config log line (null: no limits). */
export function tenantLimitsDocument(c: TenantLimitsConfig | undefined): Record<string, unknown> | null {
  if (c === undefined) return null;
  const keys = (s: TenantLimitSettings) => ({
    ingestion_rate: s.ingestionRate,
    ingestion_burst: s.ingestionBurst,
    max_series_per_request: s.maxSeriesPerRequest,
    max_active_series: s.maxActiveSeries,
    active_series_window: formatGoDuration(s.activeSeriesWindowMs),
  });
  return {
    per_tenant: keys(c.perTenant),
    overrides: Object.fromEntries([...c.overrides].map(([t, s]) => [t, keys(s)])),
  };
}
