/**
 * End to end with real peers: Debian's vmagent 1.79 scrapes its own /metrics under two jobs, a
 * relabelling adds a `tenant` label per job, and it remote-writes into tenantwire (the built
 * CLI, started with a cortex-tenant config file). tenantwire forwards to two real
 * VictoriaMetrics 1.79 single-node receivers, one per tenant, behind a small router keyed by
 * X-Scope-OrgID. Each receiver must hold exactly its tenant's series, with the tenant label
 * removed, and tenantwire must have taken vmagent's bodies as they came. tenantwire runs with
 * `coalesce: true` here (vmagent sends from several queues at once); the Prometheus e2e runs the
 * default, one upstream request per tenant per request.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eventually } from '../helpers/eventually.js';
import { freePort, startPeer, tempDir, waitForHttp, type RunningPeer } from '../helpers/peers.js';
import { startProxyCli, type TenantwireProcess } from '../helpers/tenantwire-process.js';
import { startVmTenantReceivers, type VmTenantReceivers } from '../helpers/victoriametrics-receivers.js';

const tmp = tempDir('e2e-ct-vm');
let vmagent: RunningPeer | undefined;
let tw: TenantwireProcess | undefined;
let receivers: VmTenantReceivers | undefined;
let twPort = 0;
let vmagentPort = 0;

/** Sums every sample of `name` (whatever its labels) in a Prometheus text exposition. */
function sumSamples(text: string, name: string): number {
  let sum = 0;
  for (const line of text.split('\n')) {
    const m = /^([a-zA-Z_:][a-zA-Z0-9_:]*)(\{[^}]*\})? (\S+)/.exec(line);
    if (m && m[1] === name) sum += Number(m[3]);
  }
  return sum;
}

beforeAll(async () => {
  receivers = await startVmTenantReceivers(['team-a', 'team-b'], tmp.path);

  ({ tw, port: twPort } = await startProxyCli(tmp.path, receivers.url, [
    'timeout: 10s',
    'coalesce: true',
    'tenant:',
    '  label: tenant',
    '  label_remove: true',
  ]));

  vmagentPort = await freePort();
  const scrapeCfg = join(tmp.path, 'scrape.yml');
  const job = (name: string, tenant: string) =>
    [
      `  - job_name: ${name}`,
      '    scrape_interval: 1s',
      `    static_configs: [{ targets: ['127.0.0.1:${vmagentPort}'] }]`,
      '    relabel_configs:',
      `      - { target_label: tenant, replacement: ${tenant} }`,
    ].join('\n');
  writeFileSync(
    scrapeCfg,
    ['global: { scrape_interval: 1s }', 'scrape_configs:', job('job-a', 'team-a'), job('job-b', 'team-b'), ''].join(
      '\n',
    ),
  );
  vmagent = startPeer('vmagent', [
    `-httpListenAddr=127.0.0.1:${vmagentPort}`,
    `-promscrape.config=${scrapeCfg}`,
    `-remoteWrite.url=http://127.0.0.1:${twPort}/api/v1/push`,
    '-remoteWrite.flushInterval=1s',
    `-remoteWrite.tmpDataPath=${join(tmp.path, 'vmagent-queue')}`,
    '-loggerLevel=WARN',
  ]);
  await waitForHttp(`http://127.0.0.1:${vmagentPort}/health`, vmagent);
}, 60_000);

afterAll(async () => {
  await vmagent?.stop();
  await tw?.stop();
  await receivers?.stop();
  tmp.remove();
}, 30_000);

describe('vmagent 1.79 -> tenantwire -> one VictoriaMetrics 1.79 per tenant', () => {
  it('delivers each tenant exactly its series, with the tenant label removed', async () => {
    const r = receivers!;
    const context = () => `tenantwire:\n${tw?.output().slice(-2000)}\nvmagent:\n${vmagent?.output().slice(-2000)}`;
    const [a, b] = await eventually(
      async () => {
        const got = await Promise.all([r.series('team-a', 'up'), r.series('team-b', 'up')]);
        expect(
          got.map((g) => g.length),
          `up series found for team-a, team-b\n${context()}`,
        ).not.toContain(0);
        return got;
      },
      { timeoutMs: 40_000, intervalMs: 250, message: 'both tenant receivers to hold `up`' },
    );
    expect(
      a.map((s) => s.job),
      context(),
    ).toEqual(['job-a']);
    expect(
      b.map((s) => s.job),
      context(),
    ).toEqual(['job-b']);

    // Every series in A came from job-a, every series in B from job-b; no tenant label survived.
    const allA = await r.series('team-a', '{__name__=~".+"}');
    const allB = await r.series('team-b', '{__name__=~".+"}');
    expect(allA.length).toBeGreaterThan(50);
    expect(allB.length).toBeGreaterThan(50);
    expect(new Set(allA.map((s) => s.job))).toEqual(new Set(['job-a']));
    expect(new Set(allB.map((s) => s.job))).toEqual(new Set(['job-b']));
    expect(allA.filter((s) => 'tenant' in s)).toEqual([]);
    expect(allB.filter((s) => 'tenant' in s)).toEqual([]);
    expect(await r.labelValues('team-a', 'job')).toEqual(['job-a']);
    expect(await r.labelValues('team-b', 'job')).toEqual(['job-b']);
    expect(await r.labelValues('team-a', 'tenant')).toEqual([]);
    expect(await r.labelValues('team-b', 'tenant')).toEqual([]);

    expect(r.routed['team-a']).toBeGreaterThan(0);
    expect(r.routed['team-b']).toBeGreaterThan(0);
    expect(r.refused).toEqual([]);
  }, 50_000);

  it("takes vmagent's bodies as they come: series counted, nothing answered 4xx or 5xx", async () => {
    const codes = (text: string, name: string, label: string) =>
      [...text.matchAll(new RegExp(`^${name}\\{[^}]*${label}="([^"]+)"[^}]*\\} (\\S+)`, 'gm'))]
        .filter((m) => Number(m[2]) > 0)
        .map((m) => m[1]!);
    // vmagent counts a push only after reading its answer, a moment after tenantwire counted it:
    // wait (bounded) for a few pushes on vmagent's side, then read tenantwire's view.
    const vmText = await eventually(
      async () => {
        const text = await (await fetch(`http://127.0.0.1:${vmagentPort}/metrics`)).text();
        expect(
          sumSamples(text, 'vmagent_remotewrite_requests_total'),
          'vmagent_remotewrite_requests_total',
        ).toBeGreaterThanOrEqual(4);
        return text;
      },
      { timeoutMs: 20_000, intervalMs: 250, message: 'vmagent to count 4 pushes' },
    );
    const pushes = sumSamples(vmText, 'vmagent_remotewrite_requests_total');
    expect(pushes).toBeGreaterThanOrEqual(4);
    // Every push vmagent made got a 2xx ("2XX" in 1.79), none was retried or dropped.
    expect(
      codes(vmText, 'vmagent_remotewrite_requests_total', 'status_code').filter((c) => !c.startsWith('2')),
    ).toEqual([]);
    expect(sumSamples(vmText, 'vmagent_remotewrite_errors_total')).toBe(0);
    expect(sumSamples(vmText, 'vmagent_remotewrite_retries_count_total')).toBe(0);
    expect(sumSamples(vmText, 'vmagent_remotewrite_packets_dropped_total')).toBe(0);

    const twText = await (await fetch(`http://127.0.0.1:${twPort}/metrics`)).text();
    expect(sumSamples(twText, 'cortex_tenant_timeseries_batches_received')).toBeGreaterThanOrEqual(pushes);
    expect(sumSamples(twText, 'cortex_tenant_timeseries_received')).toBeGreaterThan(100);
    expect(sumSamples(twText, 'cortex_tenant_timeseries_request_errors')).toBe(0);
    expect(sumSamples(twText, 'tenantwire_requests_total')).toBeGreaterThanOrEqual(pushes);
    expect(codes(twText, 'tenantwire_requests_total', 'code').filter((c) => !c.startsWith('2'))).toEqual([]);
    expect(sumSamples(twText, 'tenantwire_samples_dropped_total')).toBe(0);
    expect(receivers!.refused).toEqual([]);
  }, 30_000);
});
