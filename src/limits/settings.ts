/**
 * Per-tenant limits as the proxy applies them (the `limits:` block, config/tenant-limits.ts):
 * one set for every tenant, replaced key by key for the tenants named in `overrides`.
 */
export interface TenantLimitSettings {
  /** Samples (and histograms) per second; 0: no rate limit. */
  readonly ingestionRate: number;
  /** Bucket size in samples (0 with no rate limit). */
  readonly ingestionBurst: number;
  /** Most series one request may carry for the tenant; 0: no limit. */
  readonly maxSeriesPerRequest: number;
  /** Most distinct series seen within `activeSeriesWindowMs`; 0: no limit. */
  readonly maxActiveSeries: number;
  readonly activeSeriesWindowMs: number;
}

export interface TenantLimitsConfig {
  readonly perTenant: TenantLimitSettings;
  /** By FINAL tenant id (after the prefix). */
  readonly overrides: ReadonlyMap<string, TenantLimitSettings>;
}

/** Twenty minutes, as Mimir's active series window. */
export const DEFAULT_ACTIVE_SERIES_WINDOW_MS = 20 * 60_000;

export const NO_TENANT_LIMITS: TenantLimitSettings = {
  ingestionRate: 0,
  ingestionBurst: 0,
  maxSeriesPerRequest: 0,
  maxActiveSeries: 0,
  activeSeriesWindowMs: DEFAULT_ACTIVE_SERIES_WINDOW_MS,
};

export const hasAnyLimit = (s: TenantLimitSettings): boolean =>
  s.ingestionRate > 0 || s.maxSeriesPerRequest > 0 || s.maxActiveSeries > 0;

/** True when some tenant has a limit: without one the proxy skips the limiter altogether. */
export const limitsConfigured = (c: TenantLimitsConfig): boolean =>
  hasAnyLimit(c.perTenant) || [...c.overrides.values()].some(hasAnyLimit);

/**
 * One process's share when `shares` processes (workers) serve the same senders: the rate, the
 * burst and the active series divided among them, as Cortex's "global" rate strategy divides a
 * tenant's rate among its distributors. max_series_per_request is about one request: kept.
 */
export function shareOf(s: TenantLimitSettings, shares: number): TenantLimitSettings {
  if (shares <= 1) return s;
  return {
    ...s,
    ingestionRate: s.ingestionRate / shares,
    ingestionBurst: s.ingestionBurst / shares,
    maxActiveSeries: s.maxActiveSeries > 0 ? Math.ceil(s.maxActiveSeries / shares) : 0,
  };
}
