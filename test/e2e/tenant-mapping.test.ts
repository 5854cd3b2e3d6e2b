/**
 * `tenant.mapping` and `tenant.on_missing: drop` through the built CLI: a cortex-tenant config
 * file with both, real remote-write requests, a recording upstream that tells which
 * X-Scope-OrgID each series reached, and the dropped counter read from /metrics.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { tempDir } from '../helpers/peers.js';
import { type RecordingUpstream, startRecordingUpstream } from '../helpers/recording-upstream.js';
import { remoteWriteBody, sample, series, seriesIds } from '../helpers/series.js';
import { type RunningProxyCli, startProxyCli } from '../helpers/tenantwire-process.js';

const CONFIG = [
  'tenant:',
  '  label_list: [namespace, team]',
  '  mapping:',
  "    - match: 'team-(?<name>[a-z]+)'",
  // biome-ignore lint/suspicious/noTemplateCurlyInString: the mapping's own ${name} syntax
  "      tenant: 'squad-${name}'",
  "    - match: 'ns-([a-z]+)-(prod|dev)'",
  "      tenant: '$2-$1'",
  '    - values: { payments: finance, billing: finance }',
  '  on_missing: drop',
];

describe('tenant mapping through the CLI', () => {
  const dir = tempDir('tenant-mapping');
  let upstream: RecordingUpstream;
  let proxy: RunningProxyCli | undefined;

  beforeAll(async () => {
    upstream = await startRecordingUpstream();
    proxy = await startProxyCli(dir.path, upstream.url, CONFIG);
  }, 30_000);

  afterAll(async () => {
    await proxy?.tw.stop();
    await upstream?.close();
    dir.remove();
  });

  const push = (body: Uint8Array) =>
    fetch(`http://127.0.0.1:${proxy!.port}/api/v1/push`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/x-protobuf', 'Content-Encoding': 'snappy' },
      body,
    });

  const dropped = async (): Promise<number> => {
    const text = await (await fetch(`http://127.0.0.1:${proxy!.port}/metrics`)).text();
    const m = /^tenantwire_samples_dropped_total\{reason="missing_tenant"\} (\d+)/m.exec(text);
    return m ? Number(m[1]) : 0;
  };

  it('maps tenant values and drops series without one', async () => {
    const before = upstream.received.length;
    const res = await push(
      remoteWriteBody([
        series({ __name__: 'up', id: '1', namespace: 'team-core' }),
        series({ __name__: 'up', id: '2', team: 'payments' }),
        series({ __name__: 'up', id: '3', namespace: 'billing', team: 'team-x' }),
        series({ __name__: 'up', id: '4', job: 'no-tenant' }, [sample(1), sample(2, 1_700_000_001_000)]),
        series({ __name__: 'up', id: '5', namespace: 'ns-shop-prod' }),
        series({ __name__: 'up', id: '6', namespace: 'plain' }),
      ]),
    );
    expect(res.status).toBe(204);
    const got = upstream.received.slice(before);
    const byTenant = Object.fromEntries(got.map((r) => [r.tenant, seriesIds(r.body).sort()]));
    expect(byTenant).toEqual({ 'squad-core': ['1'], finance: ['2', '3'], 'prod-shop': ['5'], plain: ['6'] });
  });

  it('answers 204 when every series is dropped, and sends nothing', async () => {
    const before = upstream.received.length;
    const res = await push(
      remoteWriteBody([series({ __name__: 'up', job: 'a' }), series({ __name__: 'up', job: 'b' })]),
    );
    expect(res.status).toBe(204);
    expect(upstream.received.length).toBe(before);
  });

  it('counts the samples it dropped in tenantwire_samples_dropped_total{reason="missing_tenant"}', async () => {
    const start = await dropped();
    const three = [sample(1), sample(2, 1_700_000_001_000), sample(3, 1_700_000_002_000)];
    const res = await push(
      remoteWriteBody([series({ __name__: 'up', namespace: 'kept' }), series({ __name__: 'up', job: 'a' }, three)]),
    );
    expect(res.status).toBe(204);
    expect(await dropped()).toBe(start + 3);
    const all = await push(remoteWriteBody([series({ __name__: 'up', job: 'b' })]));
    expect(all.status).toBe(204);
    expect(await dropped()).toBe(start + 4);
  });

  it('refuses a mapped tenant that is not a valid tenant id with 400 naming it', async () => {
    const before = upstream.received.length;
    // 6 + 150 bytes: past the 150 bytes a tenant id may have.
    const long = 'a'.repeat(150);
    const res = await push(remoteWriteBody([series({ __name__: 'up', namespace: `team-${long}` })]));
    expect(res.status).toBe(400);
    expect(await res.text()).toContain(`invalid tenant "squad-${long}" (mapped from "team-${long}")`);
    const reserved = await push(remoteWriteBody([series({ __name__: 'up', namespace: '__mimir_cluster' })]));
    expect(reserved.status).toBe(400);
    expect(await reserved.text()).toContain('__mimir_cluster');
    expect(upstream.received.length).toBe(before);
  });
});
