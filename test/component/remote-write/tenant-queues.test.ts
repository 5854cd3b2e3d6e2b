/**
 * The tenant queues of one remote_write endpoint are bounded: at most `max_tenants` at once (a
 * request that would pass it is refused whole, 400 at the receiver), and a queue that holds
 * nothing and got nothing for `tenant_idle_timeout` is retired with its metric series.
 */
import { Registry } from 'prom-client';
import { describe, expect, it, vi } from 'vitest';
import { createRemoteWrite } from '../../../src/component/remote-write/component.js';
import { TenantError } from '../../../src/errors.js';
import { recordingTransport, series } from './recording-transport.js';
import { clock, startComponent, URL_, useFakeTime } from './fake-time.js';

useFakeTime();
const start = startComponent;

function component(extra: Record<string, unknown>) {
  const { transport, sent } = recordingTransport();
  const registry = new Registry();
  const c = createRemoteWrite(
    {
      endpoint: [{ url: URL_, name: 'cortex', tenant: { label: 'tenant' }, ...extra }],
      queue_config: { batch_send_deadline: '1s' },
    },
    { transport, clock, registry },
  );
  start(c);
  const queuedTenants = async () => {
    const m = registry.getSingleMetric('prometheus_remote_storage_shards');
    return ((await m?.get())?.values ?? []).map((v) => v.labels.tenant).sort();
  };
  return { c, sent, queuedTenants };
}

const of = (...tenants: string[]) => tenants.map((t, i) => series('m', { tenant: t }, [[1000 + i, i]]));

describe('remote_write tenant queues', () => {
  it('refuses a request that would pass max_tenants, whole, naming the endpoint and the limit', async () => {
    const { c, sent, queuedTenants } = component({ max_tenants: 3 });
    const e = await c.exports.receiver.append(of('a', 'b', 'c', 'd')).then(
      () => undefined,
      (x: unknown) => x,
    );
    expect(e).toBeInstanceOf(TenantError);
    expect((e as TenantError).code).toBe('too_many_tenants');
    expect((e as Error).message).toMatch(/cortex would hold 4 tenant queues, more than max_tenants \(3\)/);
    await c.exports.receiver.append(of('a', 'b', 'c'));
    await expect(c.exports.receiver.append(of('d'))).rejects.toThrow(/max_tenants/);
    // Known tenants are still welcome.
    await c.exports.receiver.append(of('a', 'c'));
    await vi.advanceTimersByTimeAsync(1_000);
    expect(sent.map((r) => r.request.headers?.['X-Scope-OrgID']).sort()).toEqual(['a', 'b', 'c']);
    expect(await queuedTenants()).toEqual(['a', 'b', 'c']);
  });

  it(
    'retires a queue idle for tenant_idle_timeout (metrics included), frees its place, and a returning tenant ' +
      'gets a new one',
    async () => {
      const { c, sent, queuedTenants } = component({ max_tenants: 1, tenant_idle_timeout: '10s' });
      await c.exports.receiver.append(of('a'));
      await vi.advanceTimersByTimeAsync(1_000);
      expect(sent).toHaveLength(1);
      await expect(c.exports.receiver.append(of('b'))).rejects.toThrow(/max_tenants/);
      await vi.advanceTimersByTimeAsync(5_000);
      expect(await queuedTenants()).toEqual(['a']);
      await vi.advanceTimersByTimeAsync(10_000);
      expect(await queuedTenants()).toEqual([]);
      await c.exports.receiver.append(of('b'));
      await vi.advanceTimersByTimeAsync(1_000);
      await vi.advanceTimersByTimeAsync(20_000);
      await c.exports.receiver.append(of('a'));
      await vi.advanceTimersByTimeAsync(1_000);
      expect(sent.map((r) => r.request.headers?.['X-Scope-OrgID'])).toEqual(['a', 'b', 'a']);
    },
  );

  it('never retires a queue that still holds data', async () => {
    const { transport, sent } = recordingTransport(() => ({
      kind: 'response',
      status: 503,
      headers: {},
      body: new Uint8Array(),
    }));
    const registry = new Registry();
    const c = createRemoteWrite(
      {
        endpoint: [{ url: URL_, tenant: { label: 'tenant' }, max_tenants: 1, tenant_idle_timeout: '1s' }],
        queue_config: { batch_send_deadline: '1s', max_backoff: '1s' },
      },
      { transport, clock, registry },
    );
    start(c);
    await c.exports.receiver.append(of('a'));
    await vi.advanceTimersByTimeAsync(30_000);
    expect(sent.length).toBeGreaterThan(3);
    // Still retrying 'a': its queue stays, and the place is not free.
    await expect(c.exports.receiver.append(of('b'))).rejects.toThrow(/max_tenants/);
  });

  it('max_tenants: 0 is no limit', async () => {
    const { c, queuedTenants } = component({ max_tenants: 0 });
    await c.exports.receiver.append(of(...Array.from({ length: 1_500 }, (_, i) => `t${i}`)));
    expect(await queuedTenants()).toHaveLength(1_500);
  });
});
