import { describe, expect, it } from 'vitest';
import { AuthError } from '../../src/errors.js';
import type { TenantSend } from '../../src/proxy/forward.js';
import type { SendPlan } from '../../src/proxy/plan.js';
import { applyTenantRights, enforceTenantRights } from '../../src/proxy/tenant-rights.js';
import { compileTenantPatterns } from '../../src/auth/tenant-pattern.js';

const send = (tenant: string, samples: number, histograms = 0): TenantSend => ({
  tenant,
  version: '1.0',
  raw: new Uint8Array([1]),
  series: samples,
  sent: { samples, histograms, exemplars: 0 },
});
const plan = (sends: TenantSend[]): SendPlan => ({
  sends,
  passthrough: false,
  metadataDropped: 0,
  missingTenantDropped: 0,
  emptyStatus: 204,
  answerProtocol: '1.0',
});
const allows = compileTenantPatterns(['team-a', 'team-a-*']);

function counter() {
  const calls: Array<[Record<string, string>, number]> = [];
  return { calls, samplesDropped: { inc: (l: Record<string, string>, n: number) => calls.push([l, n]) } };
}

describe('applyTenantRights', () => {
  it('keeps an all-allowed plan as it is', () => {
    const p = plan([send('team-a', 3), send('team-a-dev', 2)]);
    expect(applyTenantRights(p, allows, 'reject')).toEqual({ plan: p, forbidden: [], droppedSamples: 0 });
  });

  it('drop: removes the forbidden sends and counts their samples and histograms', () => {
    const out = applyTenantRights(plan([send('team-a', 3), send('team-b', 2, 1), send('x', 4)]), allows, 'drop');
    expect(out.plan.sends.map((s) => s.tenant)).toEqual(['team-a']);
    expect(out.forbidden).toEqual(['team-b', 'x']);
    expect(out.droppedSamples).toBe(7);
  });

  it('reject: names the forbidden tenants and keeps the plan (the caller refuses it)', () => {
    const p = plan([send('team-a', 3), send('team-b', 2)]);
    const out = applyTenantRights(p, allows, 'reject');
    expect(out.plan).toBe(p);
    expect(out.forbidden).toEqual(['team-b']);
  });
});

describe('enforceTenantRights', () => {
  it('without rights (no ingress auth) returns the plan untouched', () => {
    const p = plan([send('anyone', 1)]);
    const m = counter();
    expect(enforceTenantRights(p, undefined, m as never)).toBe(p);
    expect(m.calls).toEqual([]);
  });

  it('reject throws AuthError forbidden_tenant naming the credential and the tenants', () => {
    const rights = { credential: 'user "team-a"', allows, onForbidden: 'reject' as const };
    const p = plan([send('team-a', 1), ...Array.from({ length: 7 }, (_, i) => send(`t${i}`, 1))]);
    let error: unknown;
    try {
      enforceTenantRights(p, rights, counter() as never);
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(AuthError);
    expect((error as AuthError).code).toBe('forbidden_tenant');
    expect((error as AuthError).message).toBe(
      'user "team-a" may not write tenants "t0", "t1", "t2", "t3", "t4" and 2 more: nothing of this request was forwarded',
    );
  });

  it('drop counts the dropped samples under reason forbidden_tenant', () => {
    const rights = { credential: 'user "team-a"', allows, onForbidden: 'drop' as const };
    const m = counter();
    const out = enforceTenantRights(plan([send('team-b', 5), send('team-a', 1)]), rights, m as never);
    expect(out.sends.map((s) => s.tenant)).toEqual(['team-a']);
    expect(m.calls).toEqual([[{ reason: 'forbidden_tenant' }, 5]]);
  });
});
