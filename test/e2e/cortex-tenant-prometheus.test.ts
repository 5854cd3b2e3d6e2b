/**
 * End to end with real peers: Debian's Prometheus 2.42 scrapes itself under two jobs, a
 * relabelling adds a `tenant` label per job, and it remote-writes into tenantwire (the built
 * CLI, started with a cortex-tenant config file). tenantwire forwards to two real Prometheus
 * 2.42 receivers, one per tenant, behind a small router keyed by X-Scope-OrgID. Each receiver
 * must hold exactly its tenant's series, with the tenant label removed.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eventually } from '../helpers/eventually.js';
import { freePort, startPeer, tempDir, waitForHttp, type RunningPeer } from '../helpers/peers.js';
import { startTenantReceivers, type TenantReceivers } from '../helpers/prometheus-receivers.js';
import { startProxyCli, type TenantwireProcess } from '../helpers/tenantwire-process.js';

const tmp = tempDir('e2e-ct');
const peers: RunningPeer[] = [];
let tw: TenantwireProcess | undefined;
let receivers: TenantReceivers | undefined;
let twPort = 0;

beforeAll(async () => {
  receivers = await startTenantReceivers(['team-a', 'team-b'], tmp.path);

  ({ tw, port: twPort } = await startProxyCli(tmp.path, receivers.url, [
    'timeout: 10s',
    'tenant:',
    '  label: tenant',
    '  label_remove: true',
  ]));

  const senderPort = await freePort();
  const senderCfg = join(tmp.path, 'sender.yml');
  const job = (name: string, tenant: string) =>
    [
      `  - job_name: ${name}`,
      '    scrape_interval: 1s',
      `    static_configs: [{ targets: ['127.0.0.1:${senderPort}'] }]`,
      '    relabel_configs:',
      `      - { target_label: tenant, replacement: ${tenant} }`,
    ].join('\n');
  writeFileSync(
    senderCfg,
    [
      'global: { scrape_interval: 1s }',
      'scrape_configs:',
      job('job-a', 'team-a'),
      job('job-b', 'team-b'),
      'remote_write:',
      `  - url: http://127.0.0.1:${twPort}/push`,
      '    queue_config: { batch_send_deadline: 1s, max_samples_per_send: 500 }',
      '    metadata_config: { send: false }',
      '',
    ].join('\n'),
  );
  const sender = startPeer('prometheus', [
    `--config.file=${senderCfg}`,
    `--storage.tsdb.path=${join(tmp.path, 'sender-data')}`,
    `--web.listen-address=127.0.0.1:${senderPort}`,
  ]);
  peers.push(sender);
  await waitForHttp(`http://127.0.0.1:${senderPort}/-/ready`, sender);
}, 90_000);

afterAll(async () => {
  for (const p of peers.reverse()) await p.stop();
  await tw?.stop();
  await receivers?.stop();
  tmp.remove();
}, 60_000);

describe('Prometheus 2.42 -> tenantwire -> one Prometheus 2.42 per tenant', () => {
  it('delivers each tenant exactly its series, with the tenant label removed', async () => {
    const [a, b] = await eventually(
      async () => {
        const got = await Promise.all([receivers!.query('team-a', 'up'), receivers!.query('team-b', 'up')]);
        expect(
          got.map((g) => g.length),
          'up series found for team-a, team-b',
        ).not.toContain(0);
        return got;
      },
      { timeoutMs: 45_000, intervalMs: 250, message: 'both tenant receivers to hold `up`' },
    );
    expect(a.map((s) => s.metric.job)).toEqual(['job-a']);
    expect(b.map((s) => s.metric.job)).toEqual(['job-b']);
    // Everything in A came from job-a, everything in B from job-b; no tenant label survived.
    const allA = await receivers!.query('team-a', '{__name__=~".+"}');
    const allB = await receivers!.query('team-b', '{__name__=~".+"}');
    expect(allA.length).toBeGreaterThan(50);
    expect(allB.length).toBeGreaterThan(50);
    expect(new Set(allA.map((s) => s.metric.job))).toEqual(new Set(['job-a']));
    expect(new Set(allB.map((s) => s.metric.job))).toEqual(new Set(['job-b']));
    expect(allA.some((s) => 'tenant' in s.metric)).toBe(false);
    expect(allB.some((s) => 'tenant' in s.metric)).toBe(false);
    expect(receivers!.routed['team-a']).toBeGreaterThan(0);
    expect(receivers!.routed['team-b']).toBeGreaterThan(0);
  }, 60_000);

  it('exposes cortex-tenant metrics counting what it forwarded', async () => {
    const text = await (await fetch(`http://127.0.0.1:${twPort}/metrics`)).text();
    expect(text).toMatch(/cortex_tenant_timeseries_batches_received \d+/);
    const received = Number(/cortex_tenant_timeseries_received\{tenant="[^"]*"\} (\d+)/.exec(text)?.[1] ?? 0);
    expect(received).toBeGreaterThan(100);
  });
});
