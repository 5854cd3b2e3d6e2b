import { describe, expect, it } from 'vitest';
import { parseCortexTenantConfig } from '../../src/config/cortex-tenant.js';
import type { TenantLimitSettings } from '../../src/limits/settings.js';
import { createTenantLimiter } from '../../src/limits/tenant-limiter.js';
import { createProxyMetrics } from '../../src/proxy/metrics.js';
import { planWrite, type SendPlan } from '../../src/proxy/plan.js';
import { applyTenantLimits, enforceTenantLimits, limitOutcomes, settleLimits } from '../../src/proxy/tenant-limits.js';
import type { IncomingWrite } from '../../src/protocol/write-types.js';
import { foldOutcomes } from '../../src/tenant/fold.js';
import { compileTenantOptions } from '../../src/tenant/options.js';
import { DEFAULT_WIRE_LIMITS } from '../../src/wire/types.js';
import { decodeRequestV2 } from '../../src/wire/decode-v2.js';
import { snappyDecompress } from '../../src/wire/snappy.js';
import { decodeWriteRequest } from '../../src/wire/decode-v1.js';
import { remoteWriteBody, sample, series } from '../helpers/series.js';

const tenant = compileTenantOptions(
  parseCortexTenantConfig('tenant: { label: __tenant__, label_remove: true }\n', 'ct.yml', {
    env: {},
    defaultWorkers: 1,
  }).tenant,
);

/** A plan for one request: `spec` maps tenant to [first id, series count, samples per series]. */
function planOf(spec: Record<string, [number, number, number?]>, version: '1.0' | '2.0' = '1.0'): SendPlan {
  const all = Object.entries(spec).flatMap(([t, [from, n, per]]) =>
    Array.from({ length: n }, (_, i) =>
      series(
        { __name__: 'm', __tenant__: t, id: String(from + i) },
        Array.from({ length: per ?? 1 }, (_, k) => sample(k, k)),
      ),
    ),
  );
  const write: IncomingWrite = {
    version,
    compressed: remoteWriteBody(all, { version }),
    sourceTenant: undefined,
    clientAddress: '127.0.0.1',
    signal: new AbortController().signal,
  };
  return planWrite(write, { tenant, limits: DEFAULT_WIRE_LIMITS, splitMode: 'wire', forwardProtocol: 'same' });
}

const NONE: TenantLimitSettings = {
  ingestionRate: 0,
  ingestionBurst: 0,
  maxSeriesPerRequest: 0,
  maxActiveSeries: 0,
  activeSeriesWindowMs: 60_000,
};

function limiterOf(per: Partial<TenantLimitSettings>, overrides: Record<string, Partial<TenantLimitSettings>> = {}) {
  const clock = { t: 0 };
  const limiter = createTenantLimiter(
    {
      perTenant: { ...NONE, ...per },
      overrides: new Map(Object.entries(overrides).map(([k, v]) => [k, { ...NONE, ...per, ...v }])),
    },
    { now: () => clock.t },
  );
  return { limiter, clock };
}

const ids = (raw: Uint8Array) =>
  decodeWriteRequest(raw).timeseries.map((s) => s.labels.find((l) => l.name === 'id')!.value);

function idsV2(body: Uint8Array): string[] {
  const req = decodeRequestV2(snappyDecompress(body));
  return req.timeseries.map((t) => {
    for (let i = 0; i < t.labelsRefs.length; i += 2) {
      if (req.symbols[t.labelsRefs[i]!] === 'id') return req.symbols[t.labelsRefs[i + 1]!]!;
    }
    return '';
  });
}

describe('applyTenantLimits', () => {
  it('holds back a rate-limited tenant whole and forwards the others, taking tokens only for them', () => {
    const { limiter } = limiterOf(
      { ingestionRate: 10, ingestionBurst: 10 },
      { big: { ingestionRate: 1000, ingestionBurst: 1000 } },
    );
    expect(applyTenantLimits(planOf({ a: [0, 3, 3] }), limiter).plan.sends).toHaveLength(1); // 9 of 10 tokens
    const r = applyTenantLimits(planOf({ a: [0, 4, 3], big: [100, 5, 2] }), limiter);
    expect(r.plan.sends.map((s) => s.tenant)).toEqual(['big']);
    expect(r.rateLimited).toMatchObject([{ tenant: 'a', limit: 'ingestion_rate', samples: 12, waitMs: 900 }]);
    expect(r.answer).toBeUndefined();
    // a's bucket is untouched by the held-back send: still 1 token; big paid for its 10 samples.
    expect(limiter.bucket('a')!.waitMs(1, 0)).toBe(0);
    expect(limiter.bucket('a')!.waitMs(2, 0)).toBe(100);
    expect(limiter.bucket('big')!.waitMs(1000, 0)).toBe(10);
    const alone = applyTenantLimits(planOf({ a: [0, 4, 3] }), limiter);
    expect(alone.answer).toMatchObject({ status: 429, headers: { 'Retry-After': '1' } });
  });

  it('answers 429 with the largest wait when every tenant is rate limited', () => {
    const { limiter } = limiterOf({ ingestionRate: 2, ingestionBurst: 4 });
    applyTenantLimits(planOf({ a: [0, 4], b: [0, 4] }), limiter);
    const r = applyTenantLimits(planOf({ a: [0, 4], b: [0, 2] }), limiter);
    expect(r.plan.sends).toEqual([]);
    expect(r.answer?.status).toBe(429);
    expect(r.answer?.headers?.['Retry-After']).toBe('2');
    expect(String(r.answer?.body)).toContain('tenant a: 4 samples over ingestion_rate (2/s, burst 4)');
  });

  it('max_series_per_request refuses the send whole; 400 only when nothing is left', () => {
    const { limiter } = limiterOf({ maxSeriesPerRequest: 3 }, { ops: { maxSeriesPerRequest: 0 } });
    const mixed = applyTenantLimits(planOf({ a: [0, 4], ops: [0, 50] }), limiter);
    expect(mixed.plan.sends.map((s) => s.tenant)).toEqual(['ops']);
    expect(mixed.refused).toMatchObject([{ tenant: 'a', limit: 'max_series_per_request', samples: 4 }]);
    expect(mixed.answer).toBeUndefined();
    const alone = applyTenantLimits(planOf({ a: [0, 4] }), limiter);
    expect(alone.answer?.status).toBe(400);
    expect(String(alone.answer?.body)).toContain('4 series, more than max_series_per_request (3)');
    expect(applyTenantLimits(planOf({ a: [0, 3] }), limiter).plan.sends).toHaveLength(1);
  });

  it.each(['1.0', '2.0'] as const)(
    'max_active_series (%s): cuts the new series past the bound, keeps the known ones',
    (version) => {
      const { limiter, clock } = limiterOf({ maxActiveSeries: 10, activeSeriesWindowMs: 60_000 });
      expect(applyTenantLimits(planOf({ a: [0, 8] }, version), limiter).refused).toEqual([]);
      const r = applyTenantLimits(planOf({ a: [4, 8, 2] }, version), limiter); // 4..11: 4 known, 2 fit, 2 cut
      expect(r.refused).toMatchObject([{ tenant: 'a', limit: 'max_active_series', samples: 4 }]);
      const s = r.plan.sends[0]!;
      expect(s).toMatchObject({ series: 6, sent: { samples: 12 } });
      expect(version === '1.0' ? ids(s.raw!) : idsV2(s.body!)).toEqual(['4', '5', '6', '7', '8', '9']);
      // Nothing new fits; the known series still do; after the window all room is back.
      expect(applyTenantLimits(planOf({ a: [100, 1] }, version), limiter).answer?.status).toBe(400);
      expect(applyTenantLimits(planOf({ a: [0, 10] }, version), limiter).refused).toEqual([]);
      clock.t = 61_000 + 60_000;
      expect(applyTenantLimits(planOf({ a: [100, 10] }, version), limiter).refused).toEqual([]);
    },
  );

  it('a rate-limited send records none of its series', () => {
    const { limiter } = limiterOf({ maxActiveSeries: 20, ingestionRate: 1, ingestionBurst: 3 });
    const r = applyTenantLimits(planOf({ a: [0, 5, 1] }), limiter); // 5 samples > burst 3, full bucket: admitted
    expect(r.plan.sends).toHaveLength(1);
    const held = applyTenantLimits(planOf({ a: [10, 5] }), limiter);
    expect(held.rateLimited).toHaveLength(1);
    expect(limiter.tracker('a')!.size()).toBe(5);
  });
});

describe('the answer of a mixed request', () => {
  it('folds a rate-limited tenant into a 429 + Retry-After and counts it, not as dropped', async () => {
    const metrics = createProxyMetrics({ includeTenant: true, defaultMetrics: false });
    const { limiter } = limiterOf(
      { ingestionRate: 1, ingestionBurst: 1 },
      { b: { ingestionRate: 0, ingestionBurst: 0 } },
    );
    enforceTenantLimits(planOf({ a: [0, 1] }), limiter, metrics); // drains a's bucket
    const r = enforceTenantLimits(planOf({ a: [0, 3], b: [0, 2] }), limiter, metrics);
    const outcomes = limitOutcomes(r, [
      { kind: 'response', tenant: 'b', status: 204, headers: {}, body: new Uint8Array(0) },
    ]);
    const folded = foldOutcomes(outcomes, {});
    const answer = settleLimits(r, { status: folded.status, headers: folded.headers, body: folded.body }, metrics);
    expect(answer.status).toBe(429);
    expect(answer.headers?.['Retry-After']).toBe('1');
    expect(String(answer.body)).toContain('per-tenant limits: tenant a');
    const text = await metrics.registry.metrics();
    expect(text).toContain('tenantwire_tenant_limited_samples_total{tenant="a",limit="ingestion_rate"} 3');
    expect(text).not.toContain('tenantwire_samples_dropped_total{');
  });

  it('counts refused series as dropped when the request is answered 2xx', async () => {
    const metrics = createProxyMetrics({ includeTenant: true, defaultMetrics: false });
    const { limiter } = limiterOf({ maxSeriesPerRequest: 2 });
    const r = enforceTenantLimits(planOf({ a: [0, 3, 2], b: [0, 1] }), limiter, metrics);
    const answer = settleLimits(r, { status: 204 }, metrics);
    expect(answer.status).toBe(204);
    const text = await metrics.registry.metrics();
    expect(text).toContain('tenantwire_samples_dropped_total{reason="max_series_per_request"} 6');
    expect(text).toContain('tenantwire_tenant_limited_total{tenant="a",limit="max_series_per_request"} 1');
  });
});
