import { describe, expect, it } from 'vitest';
import { NO_TENANT_LIMITS, type TenantLimitSettings, type TenantLimitsConfig } from '../../src/limits/settings.js';
import { createTenantLimiter } from '../../src/limits/tenant-limiter.js';

const limits = (per: Partial<TenantLimitSettings>, overrides: Record<string, Partial<TenantLimitSettings>> = {}) =>
  ({
    perTenant: { ...NO_TENANT_LIMITS, ...per },
    overrides: new Map(Object.entries(overrides).map(([t, s]) => [t, { ...NO_TENANT_LIMITS, ...per, ...s }])),
  }) satisfies TenantLimitsConfig;

describe('the tenant limiter, updated (a reload)', () => {
  it('holds the next request to the new rate: a changed tenant gets a new full bucket', () => {
    const limiter = createTenantLimiter(limits({ ingestionRate: 10, ingestionBurst: 10 }), { now: () => 0 });
    limiter.bucket('finance')?.take(10, 0);
    expect(limiter.bucket('finance')?.waitMs(10, 0)).toBeGreaterThan(0);
    limiter.update(
      limits({ ingestionRate: 10, ingestionBurst: 10 }, { finance: { ingestionRate: 1000, ingestionBurst: 1000 } }),
    );
    expect(limiter.settings('finance').ingestionRate).toBe(1000);
    expect(limiter.bucket('finance')?.waitMs(500, 0)).toBe(0);
  });

  it('keeps the state of tenants whose limits did not change, and forgets tenants left without one', () => {
    const limiter = createTenantLimiter(
      limits({ ingestionRate: 10, ingestionBurst: 10, maxActiveSeries: 5 }, { dev: { ingestionRate: 50 } }),
      { now: () => 0 },
    );
    limiter.bucket('ops')?.take(10, 0);
    limiter.bucket('dev')?.take(10, 0);
    const tracker = limiter.tracker('ops');
    limiter.update(limits({ ingestionRate: 10, ingestionBurst: 10, maxActiveSeries: 5 }));
    expect(limiter.bucket('ops')?.waitMs(10, 0)).toBeGreaterThan(0);
    expect(limiter.tracker('ops')).toBe(tracker);
    limiter.update(limits({}));
    expect(limiter.bucket('ops')).toBeUndefined();
    expect(limiter.tracked().tenants).toBe(0);
  });

  it('starts counting series again when max_active_series changes', () => {
    const limiter = createTenantLimiter(limits({ maxActiveSeries: 5 }), { now: () => 0 });
    const before = limiter.tracker('ops');
    limiter.update(limits({ maxActiveSeries: 50 }));
    expect(limiter.tracker('ops')).not.toBe(before);
    expect(limiter.settings('ops').maxActiveSeries).toBe(50);
  });
});
