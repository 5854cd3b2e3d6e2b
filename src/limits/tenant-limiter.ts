import { hasAnyLimit, shareOf, type TenantLimitSettings, type TenantLimitsConfig } from './settings.js';
import { createSeriesTracker, type SeriesTracker } from './series-tracker.js';
import { createTokenBucket, type TokenBucket } from './token-bucket.js';

/**
 * The per-tenant state of the limits in one process: a token bucket per tenant with a rate
 * limit, a series tracker per tenant with max_active_series, created on the tenant's first
 * request. A tenant whose bucket is full again and whose series have all expired holds nothing
 * a new state would not, so it is forgotten (checked once a minute): memory follows the
 * tenants active within the window, not every tenant ever seen. Pure: the clock is injected.
 */
export interface TenantLimiter {
  /** This process's share of the tenant's limits. */
  settings(tenant: string): TenantLimitSettings;
  /** The tenant's bucket (undefined: no rate limit). */
  bucket(tenant: string): TokenBucket | undefined;
  /** The tenant's tracker (undefined: no max_active_series). */
  tracker(tenant: string): SeriesTracker | undefined;
  /** Series entries held and their table bytes, over every tenant. */
  tracked(): { readonly series: number; readonly bytes: number; readonly tenants: number };
  /** ms, from the injected clock. */
  now(): number;
  /**
   * New limits (a reload): the next request of every tenant is held to them. A tenant whose
   * rate or burst changed gets a new, full bucket; one whose max_active_series or window
   * changed starts counting its series again; the other tenants keep their state.
   */
  update(config: TenantLimitsConfig): void;
}

export interface TenantLimiterOptions {
  /** Processes sharing the limits (workers); default 1. */
  readonly shares?: number;
  /** A monotonic clock in ms. Default `performance.now`. */
  readonly now?: () => number;
}

interface TenantState {
  bucket: TokenBucket | undefined;
  tracker: SeriesTracker | undefined;
  /** The settings the bucket and tracker were made for. */
  made: TenantLimitSettings;
}

const HOUSEKEEPING_EVERY_MS = 60_000;

export function createTenantLimiter(config: TenantLimitsConfig, options: TenantLimiterOptions = {}): TenantLimiter {
  const shares = Math.max(1, options.shares ?? 1);
  const clock = options.now ?? (() => performance.now());
  let perTenant = shareOf(config.perTenant, shares);
  let overrides = new Map([...config.overrides].map(([t, s]) => [t, shareOf(s, shares)] as const));
  const states = new Map<string, TenantState>();
  let lastHousekeeping = clock();

  const settings = (tenant: string): TenantLimitSettings => overrides.get(tenant) ?? perTenant;
  const stateOf = (tenant: string): TenantState | undefined => {
    const now = clock();
    if (now - lastHousekeeping >= HOUSEKEEPING_EVERY_MS) housekeeping(now);
    let st = states.get(tenant);
    if (st !== undefined) return st;
    const s = settings(tenant);
    if (!hasAnyLimit(s)) return undefined;
    st = { bucket: bucketFor(s, now), tracker: trackerFor(s, now), made: s };
    states.set(tenant, st);
    return st;
  };
  const housekeeping = (now: number): void => {
    lastHousekeeping = now;
    for (const [tenant, st] of states) {
      st.tracker?.sweep(now);
      const idle = (st.bucket === undefined || st.bucket.isFull(now)) && (st.tracker?.size() ?? 0) === 0;
      if (idle) states.delete(tenant);
    }
  };

  return {
    settings,
    bucket: (tenant) => stateOf(tenant)?.bucket,
    tracker: (tenant) => stateOf(tenant)?.tracker,
    tracked() {
      let series = 0;
      let bytes = 0;
      for (const st of states.values()) {
        series += st.tracker?.size() ?? 0;
        bytes += st.tracker?.bytes() ?? 0;
      }
      return { series, bytes, tenants: states.size };
    },
    now: clock,
    update(next) {
      perTenant = shareOf(next.perTenant, shares);
      overrides = new Map([...next.overrides].map(([t, s]) => [t, shareOf(s, shares)] as const));
      const now = clock();
      for (const [tenant, st] of states) {
        const s = settings(tenant);
        if (!hasAnyLimit(s)) {
          states.delete(tenant);
          continue;
        }
        if (s.ingestionRate !== st.made.ingestionRate || s.ingestionBurst !== st.made.ingestionBurst) {
          st.bucket = bucketFor(s, now);
        }
        if (s.maxActiveSeries !== st.made.maxActiveSeries || s.activeSeriesWindowMs !== st.made.activeSeriesWindowMs) {
          st.tracker = trackerFor(s, now);
        }
        st.made = s;
      }
    },
  };
}

function bucketFor(s: TenantLimitSettings, now: number): TokenBucket | undefined {
  return s.ingestionRate > 0 ? createTokenBucket(s.ingestionRate, s.ingestionBurst, now) : undefined;
}

function trackerFor(s: TenantLimitSettings, now: number): SeriesTracker | undefined {
  return s.maxActiveSeries > 0 ? createSeriesTracker(s.maxActiveSeries, s.activeSeriesWindowMs, now) : undefined;
}
