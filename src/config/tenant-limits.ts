import { normalizeTenantLimits, tenantLimitsSchema, type TenantLimitsBlock } from '../limits/schema.js';
import type { TenantLimitSettings, TenantLimitsConfig } from '../limits/settings.js';
import { formatGoDuration } from './duration.js';
import { yamlDuration } from './yaml-scalars.js';

/**
 * The drop-in's `limits:` block (tenantwire only): per-tenant limits applied at the edge, after
 * the split, on the FINAL tenant id (proxy/tenant-limits.ts). `per_tenant` holds for every
 * tenant; `overrides.<tenant>` replaces the keys it sets for that tenant. Read at start and on
 * SIGHUP. The keys and their defaults are shared with the pipeline (limits/schema.ts).
 */
export const tenantLimitsFileSchema = tenantLimitsSchema(yamlDuration);

export type TenantLimitsFile = TenantLimitsBlock;

export { normalizeTenantLimits };

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
