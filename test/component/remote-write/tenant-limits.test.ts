/**
 * A pipeline endpoint's `tenant.limits` and the sender's rights (receive_http `auth`), applied
 * by prometheus.remote_write on the final tenants with the drop-in's answers (README "Per-tenant
 * limits"): rate limits with fake time, series limits, the mixed-tenant answers, reloads that
 * keep the queues, and the counters.
 */
import { Registry } from 'prom-client';
import { describe, expect, it, vi } from 'vitest';
import { createRemoteWrite } from '../../../src/component/remote-write/component.js';
import { AuthError, TenantLimitError } from '../../../src/errors.js';
import type { TenantRights } from '../../../src/protocol/write-types.js';
import { clock, startComponent, URL_, useFakeTime } from './fake-time.js';
import { recordingTransport, sampleCount, series } from './recording-transport.js';

useFakeTime();

type Limits = Record<string, unknown>;

function component(limits: Limits, extra: Record<string, unknown> = {}) {
  const rec = recordingTransport();
  const registry = new Registry();
  const c = createRemoteWrite(
    {
      endpoint: [{ url: URL_, tenant: { label: 'tenant', limits, ...extra } }],
      queue_config: { batch_send_deadline: '10ms', max_samples_per_send: 1000 },
    },
    { transport: rec.transport, clock, registry },
  );
  startComponent(c);
  return { c, rec, registry };
}

/** `n` series of one sample each for `tenant`, named distinctly by `tag`. */
const batch = (tenant: string, n: number, tag = 'a') =>
  Array.from({ length: n }, (_, i) => series(`m_${tag}_${i}`, { tenant }, [[1_700_000_000_000, i]]));

async function metric(registry: Registry, name: string, labels: Record<string, string>): Promise<number> {
  const m = (await registry.getMetricsAsJSON()).find((x) => x.name === name);
  const v = m?.values.find((x) => Object.entries(labels).every(([k, val]) => x.labels[k] === val));
  return v?.value ?? 0;
}

async function delivered(rec: ReturnType<typeof recordingTransport>, tenant: string): Promise<number> {
  await vi.advanceTimersByTimeAsync(100);
  return sampleCount(rec.sent.filter((r) => r.request.headers['X-Scope-OrgID'] === tenant));
}

describe('prometheus.remote_write tenant.limits', () => {
  it('holds a tenant over its ingestion_rate back with 429 + Retry-After while the others are queued', async () => {
    const { c, rec, registry } = component({ per_tenant: { ingestion_rate: 10, ingestion_burst: 10 } });
    const r = c.exports.receiver;
    await r.append(batch('a', 10));
    const err = await r.append([...batch('a', 5, 'b'), ...batch('b', 3)]).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(TenantLimitError);
    expect((err as TenantLimitError).code).toBe('rate_limited');
    expect((err as TenantLimitError).retryAfterMs).toBe(1000);
    expect((err as Error).message).toMatch(/tenant a: 5 samples over ingestion_rate \(10\/s, burst 10\)/);
    expect(await delivered(rec, 'a')).toBe(10);
    expect(await delivered(rec, 'b')).toBe(3);
    // Half a second later the bucket holds 5 again: the retried part passes.
    await vi.advanceTimersByTimeAsync(500);
    await r.append(batch('a', 5, 'b'));
    expect(await delivered(rec, 'a')).toBe(15);
    expect(
      await metric(registry, 'tenantwire_remote_write_tenant_limited_total', { tenant: 'a', limit: 'ingestion_rate' }),
    ).toBe(1);
  });

  it('refuses a push whose every tenant is over a series limit with 400, queuing nothing', async () => {
    const { c, rec } = component({ per_tenant: { max_series_per_request: 2 } });
    const err = await c.exports.receiver.append(batch('a', 3)).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(TenantLimitError);
    expect((err as TenantLimitError).code).toBe('over_series_limit');
    expect((err as Error).message).toContain('3 series, more than max_series_per_request (2)');
    expect(await delivered(rec, 'a')).toBe(0);
  });

  it('drops and counts a tenant over max_series_per_request when the others are queued', async () => {
    const { c, rec, registry } = component({ per_tenant: { max_series_per_request: 2 } });
    await c.exports.receiver.append([...batch('a', 3), ...batch('b', 2)]);
    expect(await delivered(rec, 'a')).toBe(0);
    expect(await delivered(rec, 'b')).toBe(2);
    const dropped = await metric(registry, 'tenantwire_remote_write_samples_dropped_total', {
      tenant: 'a',
      reason: 'max_series_per_request',
    });
    expect(dropped).toBe(3);
  });

  it('cuts new series past max_active_series and lets known ones through', async () => {
    const { c, rec } = component({ per_tenant: { max_active_series: 3, active_series_window: '1m' } });
    const r = c.exports.receiver;
    await r.append(batch('a', 3));
    await r.append([...batch('a', 3), ...batch('a', 2, 'new')]);
    expect(await delivered(rec, 'a')).toBe(6);
    // Past the window the old series expire and new ones have room.
    await vi.advanceTimersByTimeAsync(61_000);
    await r.append(batch('a', 2, 'new'));
    expect(await delivered(rec, 'a')).toBe(8);
  });

  it('applies overrides by final tenant and keeps the queues when a reload changes only limits', async () => {
    const { c, rec } = component({
      per_tenant: { max_series_per_request: 1 },
      overrides: { big: { max_series_per_request: 5 } },
    });
    await c.exports.receiver.append(batch('big', 5));
    expect(await delivered(rec, 'big')).toBe(5);
    const queuesBefore = c.health().message;
    await c.update({
      endpoint: [{ url: URL_, tenant: { label: 'tenant', limits: { per_tenant: { max_series_per_request: 10 } } } }],
      queue_config: { batch_send_deadline: '10ms', max_samples_per_send: 1000 },
    });
    expect(c.health().message).toBe(queuesBefore);
    await c.exports.receiver.append(batch('small', 4));
    expect(await delivered(rec, 'small')).toBe(4);
  });

  it('refuses unknown keys and a burst without a rate, naming the key', () => {
    expect(() => component({ per_tenant: { ingestion_rte: 1 } })).toThrow(/ingestion_rte/);
    expect(() => component({ per_tenant: { ingestion_burst: 5 } })).toThrow(
      /tenant\.limits\.per_tenant\.ingestion_burst/,
    );
  });
});

describe('prometheus.remote_write and the sender rights', () => {
  const rights = (onForbidden: 'reject' | 'drop'): TenantRights => ({
    credential: 'user "team-a"',
    allows: (t) => t === 'a',
    onForbidden,
  });

  it('refuses a push with a forbidden tenant whole (403), naming it', async () => {
    const { c, rec } = component({});
    const err = await c.exports.receiver
      .append([...batch('a', 1), ...batch('b', 1)], { rights: rights('reject') })
      .catch((e: unknown) => e);
    expect(err).toBeInstanceOf(AuthError);
    expect((err as Error).message).toContain('user "team-a" may not write tenant "b"');
    expect(await delivered(rec, 'a')).toBe(0);
  });

  it('drops and counts a forbidden tenant with on_forbidden: drop', async () => {
    const { c, rec, registry } = component({});
    await c.exports.receiver.append([...batch('a', 2), ...batch('b', 3)], { rights: rights('drop') });
    expect(await delivered(rec, 'a')).toBe(2);
    expect(await delivered(rec, 'b')).toBe(0);
    expect(
      await metric(registry, 'tenantwire_remote_write_samples_dropped_total', { reason: 'forbidden_tenant' }),
    ).toBe(3);
  });
});
