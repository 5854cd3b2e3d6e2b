import { describe, expect, it } from 'vitest';
import { parseCortexTenantConfig } from '../../src/config/cortex-tenant.js';
import { createTenantLimiter } from '../../src/limits/tenant-limiter.js';
import { effectiveConfigDocument } from '../../src/cli/effective-config.js';

const parse = (yaml: string) => parseCortexTenantConfig(yaml, 'ct.yml', { env: {}, defaultWorkers: 1 });

describe('limits: in the drop-in config', () => {
  it('is off unless some limit is set', () => {
    expect(parse('target: http://x\n').limits).toBeUndefined();
    expect(parse('limits: { per_tenant: { ingestion_rate: 0 } }\n').limits).toBeUndefined();
  });

  it('normalizes per_tenant with defaults: burst = rate, window 20m', () => {
    const l = parse('limits:\n  per_tenant:\n    ingestion_rate: 100000\n    max_active_series: 5\n').limits!;
    expect(l.perTenant).toEqual({
      ingestionRate: 100_000,
      ingestionBurst: 100_000,
      maxSeriesPerRequest: 0,
      maxActiveSeries: 5,
      activeSeriesWindowMs: 20 * 60_000,
    });
  });

  it('overrides replace the keys they set; an override rate brings its own default burst', () => {
    const l = parse(
      [
        'limits:',
        '  per_tenant: { ingestion_rate: 100, ingestion_burst: 300, max_series_per_request: 7 }',
        '  overrides:',
        '    finance: { ingestion_rate: 500 }',
        '    ops: { max_series_per_request: 0 }',
        '    dev: { ingestion_burst: 1000, active_series_window: 5m }',
        '',
      ].join('\n'),
    ).limits!;
    expect(l.overrides.get('finance')).toMatchObject({
      ingestionRate: 500,
      ingestionBurst: 500,
      maxSeriesPerRequest: 7,
    });
    expect(l.overrides.get('ops')).toMatchObject({ ingestionRate: 100, ingestionBurst: 300, maxSeriesPerRequest: 0 });
    expect(l.overrides.get('dev')).toMatchObject({
      ingestionRate: 100,
      ingestionBurst: 1000,
      activeSeriesWindowMs: 300_000,
    });
    const limiter = createTenantLimiter(l, { now: () => 0 });
    expect(limiter.settings('finance').ingestionRate).toBe(500);
    expect(limiter.settings('anyone').ingestionRate).toBe(100);
    // Shared among two workers: each enforces half the rate, burst and active series.
    const half = createTenantLimiter(l, { shares: 2, now: () => 0 });
    expect(half.settings('finance')).toMatchObject({ ingestionRate: 250, ingestionBurst: 250, maxSeriesPerRequest: 7 });
  });

  it.each([
    ['limits: { per_tenant: { ingestion_rate: -1 } }', 'limits.per_tenant.ingestion_rate'],
    ['limits: { per_tenant: { max_active_series: 1.5 } }', 'limits.per_tenant.max_active_series'],
    ['limits: { per_tenant: { active_series_window: 10ms } }', 'limits.per_tenant.active_series_window'],
    ['limits: { per_tenant: { ingestion_burst: 10 } }', 'limits.per_tenant.ingestion_burst'],
    ['limits: { per_tenant: { ingestion_rates: 10 } }', 'limits.per_tenant.ingestion_rates'],
    ['limits: { overrides: { "a|b": { ingestion_rate: 1 } } }', 'limits.overrides.a|b'],
    ['limits: { overrides: { x: { ingestion_burst: 5 } } }', 'limits.overrides.x.ingestion_burst'],
    ['limits: { global: {} }', 'limits.global'],
  ])('refuses %s naming %s', (yaml, key) => {
    expect(() => parse(`${yaml}\n`)).toThrow(key);
  });

  it('is logged in the effective config in its own keys, and reads back the same', () => {
    const yaml = 'limits: { per_tenant: { ingestion_rate: 10 }, overrides: { finance: { max_active_series: 5 } } }\n';
    const doc = effectiveConfigDocument(parse(yaml));
    expect(doc.limits).toEqual({
      per_tenant: {
        ingestion_rate: 10,
        ingestion_burst: 10,
        max_series_per_request: 0,
        max_active_series: 0,
        active_series_window: '20m0s',
      },
      overrides: {
        finance: {
          ingestion_rate: 10,
          ingestion_burst: 10,
          max_series_per_request: 0,
          max_active_series: 5,
          active_series_window: '20m0s',
        },
      },
    });
    expect(parse(`limits: ${JSON.stringify(doc.limits)}\n`).limits).toEqual(parse(yaml).limits);
    expect(effectiveConfigDocument(parse('target: x\n')).limits).toBeNull();
  });
});
