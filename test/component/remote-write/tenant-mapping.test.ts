/**
 * A `prometheus.remote_write` endpoint's `tenant` block takes `mapping` and `on_missing` like
 * the drop-in: series go to the mapped tenant, a series without a tenant label is dropped with
 * `on_missing: drop` and counted in tenantwire_remote_write_samples_dropped_total
 * {reason="missing_tenant", tenant=""}, and a bad rule refuses the arguments naming its key.
 */
import { Registry } from 'prom-client';
import { describe, expect, it, vi } from 'vitest';
import { createRemoteWrite } from '../../../src/component/remote-write/component.js';
import { groupByTenant } from '../../../src/component/remote-write/group-by-tenant.js';
import { TenantError } from '../../../src/errors.js';
import { normalizeTenantOptions, type TenantOptionsInput } from '../../../src/tenant/options.js';
import { clock, startComponent, URL_, useFakeTime } from './fake-time.js';
import { recordingTransport, series } from './recording-transport.js';

useFakeTime();

const TENANT: TenantOptionsInput = {
  label_list: ['namespace', 'team'],
  mapping: [{ match: 'team-(.+)', tenant: '$1' }, { values: { payments: 'finance' } }],
  on_missing: 'drop',
};

function component(tenant: Record<string, unknown>) {
  const { transport, sent } = recordingTransport();
  const registry = new Registry();
  const c = createRemoteWrite(
    { endpoint: [{ url: URL_, name: 'cortex', tenant }], queue_config: { batch_send_deadline: '1s' } },
    { transport, clock, registry },
  );
  startComponent(c);
  const dropped = async () => {
    const m = registry.getSingleMetric('tenantwire_remote_write_samples_dropped_total');
    const v = ((await m?.get())?.values ?? []).find((x) => x.labels.reason === 'missing_tenant');
    return v === undefined ? 0 : { value: v.value, tenant: v.labels.tenant };
  };
  return { c, sent, dropped };
}

describe('remote_write endpoint tenant mapping', () => {
  it('sends each series to its mapped tenant and counts what on_missing drops', async () => {
    const { c, sent, dropped } = component(TENANT);
    await c.exports.receiver.append([
      series('m', { namespace: 'team-core' }, [[1000, 1]]),
      series('m', { team: 'payments' }, [[1000, 2]]),
      series('m', { job: 'none' }, [
        [1000, 3],
        [2000, 4],
      ]),
      series('m', { namespace: 'plain' }, [[1000, 5]]),
    ]);
    await vi.advanceTimersByTimeAsync(1_000);
    expect(sent.map((r) => r.request.headers?.['X-Scope-OrgID']).sort()).toEqual(['core', 'finance', 'plain']);
    expect(await dropped()).toEqual({ value: 2, tenant: '' });
  });

  it('a push whose series are all dropped is taken, sends nothing, and is counted', async () => {
    const { c, sent, dropped } = component(TENANT);
    await c.exports.receiver.append([series('m', { job: 'none' }, [[1000, 3]])]);
    await vi.advanceTimersByTimeAsync(2_000);
    expect(sent).toHaveLength(0);
    expect(await dropped()).toEqual({ value: 1, tenant: '' });
  });

  it('refuses a mapped tenant that is not a valid tenant id (400 at the receiver)', async () => {
    const { c } = component(TENANT);
    const e = await c.exports.receiver.append([series('m', { namespace: 'team-a|b' }, [[1000, 1]])]).then(
      () => undefined,
      (x: unknown) => x,
    );
    expect(e).toBeInstanceOf(TenantError);
    expect((e as TenantError).code).toBe('invalid_tenant');
    expect((e as Error).message).toContain('invalid tenant "a|b" (mapped from "team-a|b")');
  });

  it('refuses an unsafe rule when the component is built, naming the key', () => {
    const { transport } = recordingTransport();
    expect(() =>
      createRemoteWrite(
        { endpoint: [{ url: URL_, tenant: { mapping: [{ match: '(a+)+', tenant: 'x' }] } }] },
        { transport, clock, registry: new Registry() },
      ),
    ).toThrow(/tenant\.mapping\[0\]\.match: .*nested quantifier/);
  });

  it('groupByTenant maps once per distinct value and reports the dropped samples', () => {
    const options = normalizeTenantOptions(TENANT);
    const groups = groupByTenant(
      [
        series('m', { namespace: 'team-a' }, [[1, 1]]),
        series('m', { namespace: 'team-a', x: 'y' }, [[1, 1]]),
        series('m', {}, [
          [1, 1],
          [2, 2],
        ]),
      ],
      options,
      undefined,
      100,
    );
    expect([...groups.keys()]).toEqual(['a']);
    expect(groups.get('a')).toHaveLength(2);
    expect(groups.droppedSamples).toBe(2);
  });
});
