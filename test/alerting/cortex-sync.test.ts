/**
 * The syncer and the API option against the Cortex stand-in, which delegates each tenant to a
 * real Alertmanager 0.25. At most three Alertmanager processes run at once.
 */
import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createAlertmanagerApi, LEGACY_CORTEX_PREFIX } from '../../src/alerting/alertmanager-api.js';
import { buildDefaultConfig, cortexBodyYaml } from '../../src/alerting/build-cluster.js';
import { markerReceiverName } from '../../src/alerting/condition-types.js';
import { createCortexConfigClient } from '../../src/alerting/cortex-config-client.js';
import { createIncrementalBuilder } from '../../src/alerting/incremental-builder.js';
import { parseAlertingModel } from '../../src/alerting/model.js';
import { createAlertingSyncer } from '../../src/alerting/syncer.js';
import { runAlertingCli } from '../../src/cli/alerting.js';
import { buildAlertingAdminServer } from '../../src/server/alerting-admin/app.js';
import { createClusterConfigurationStore } from '../../src/server/alerting-admin/cluster-configuration-store.js';
import { startCortexStandIn } from '../helpers/cortex-stand-in.js';
import type { CortexStandIn } from '../helpers/cortex-stand-in.js';

const model = parseAlertingModel(
  readFileSync(new URL('../fixtures/alerting/small-model.yaml', import.meta.url), 'utf8'),
);
let cortex: CortexStandIn;
const builder = createIncrementalBuilder();
const sleeps: number[] = [];
let now = 1_000;
let syncer: ReturnType<typeof createAlertingSyncer>;
const api = () => createAlertmanagerApi({ mode: 'cortex', baseUrl: cortex.url });

beforeAll(async () => {
  cortex = await startCortexStandIn();
  builder.load(model);
  syncer = createAlertingSyncer({
    configClient: createCortexConfigClient({ baseUrl: cortex.url, timeoutMs: 5_000 }),
    api: api(),
    defaultConfig: (t) => buildDefaultConfig(t, model.default_hook),
    clock: () => (now += 1),
    sleep: async (ms) => {
      sleeps.push(ms);
    },
    random: () => 0.5,
    concurrency: 2,
    retry: { attempts: 3, baseDelayMs: 100, maxDelayMs: 1_000 },
  });
}, 60_000);
afterAll(async () => {
  await cortex?.close();
});

const statusOf = (id: string) => syncer.status().find((s) => s.clusterId === id);

describe('syncer against the Cortex stand-in (real Alertmanagers)', () => {
  it('creates one tenant config per cluster id, reads it back and confirms it applied', async () => {
    syncer.setDesired(builder.all());
    const report = await syncer.reconcile();
    expect(report.posted.sort()).toEqual(['UPSTREAM_CLUSTER_ID', 'c1']);
    expect(report.failed).toEqual([]);
    expect(cortex.runningTenants()).toEqual(['UPSTREAM_CLUSTER_ID', 'c1']);
    for (const id of ['UPSTREAM_CLUSTER_ID', 'c1']) {
      expect(cortex.store.get(id)?.alertmanager_config).toBe(builder.get(id)!.configYaml);
      expect(statusOf(id)).toMatchObject({
        stored: true,
        applied: true,
        hash: builder.get(id)!.hash,
        lastSyncedAt: expect.any(Number),
      });
    }
    expect(cortex.calls).toContain('GET c1'); // read back
    const again = await syncer.reconcile();
    expect(again.posted).toEqual([]);
  });

  it(
    'the API option reads status and receivers, posts alerts and creates and deletes silences ' +
      'through Cortex paths',
    async () => {
      const c1 = api().forTenant('c1');
      expect(await c1.ready()).toBe(true);
      expect(await c1.status()).toMatchObject({
        config: { original: expect.stringContaining('opni__opni_cpu__cpu-high') },
      });
      expect((await c1.receivers()).map((r) => r.name)).toContain(markerReceiverName(builder.get('c1')!.hash));
      await c1.postAlerts([
        { labels: { alertname: 'cpu', opni_uuid: 'cpu-high', opni_cpu: 'cpu-high', opni_severity: 'critical' } },
      ]);
      const alerts = (await c1.getAlerts()) as { receivers: { name: string }[] }[];
      expect(alerts).toHaveLength(1);
      expect(alerts[0]!.receivers.map((r) => r.name).sort()).toEqual(['opni.default.hook', 'opni__opni_cpu__cpu-high']);
      expect((await c1.alertGroups()).length).toBeGreaterThan(0);
      const legacy = createAlertmanagerApi({
        mode: 'cortex',
        baseUrl: cortex.url,
        prefix: LEGACY_CORTEX_PREFIX,
        tenant: 'c1',
      });
      const id = await legacy.postSilence({
        matchers: [{ name: 'opni_uuid', value: 'cpu-high', isRegex: false }],
        startsAt: new Date().toISOString(),
        endsAt: new Date(Date.now() + 3_600_000).toISOString(),
        createdBy: 'test',
        comment: 'maintenance',
      });
      expect((await c1.silences()).map((s) => s.id)).toContain(id);
      await c1.deleteSilence(id);
      expect((await c1.getSilence(id)).status.state).toBe('expired');
      // the other tenant never saw the alert: tenants are separate Alertmanagers
      expect(await api().forTenant('UPSTREAM_CLUSTER_ID').getAlerts()).toEqual([]);
    },
  );

  it('the admin server proxies a cluster to its real Alertmanager through Cortex', async () => {
    const app = buildAlertingAdminServer({ store: createClusterConfigurationStore(), syncer, api: api() });
    try {
      const r = await app.inject({ url: '/alerting/c1/api/v2/receivers' });
      expect(r.statusCode).toBe(200);
      expect(r.json()).toContainEqual({ name: 'opni__opni_cpu__cpu-high' });
      const other = await app.inject({ url: '/alerting/UPSTREAM_CLUSTER_ID/api/v2/receivers' });
      expect(other.json()).toContainEqual({ name: 'opni__opni_monitoring_backend__backend-down' });
      expect((await app.inject({ url: '/alerting/none/api/v2/status' })).body).toBe(
        'the Alertmanager is not configured',
      );
    } finally {
      await app.close();
    }
  });

  it('answers Cortex-style for unknown tenants and missing org ids', async () => {
    await expect(api().forTenant('nobody').status()).rejects.toMatchObject({
      code: 'alertmanager_http_404',
      message: expect.stringContaining('the Alertmanager is not configured'),
    });
    const r = await fetch(`${cortex.url}/alertmanager/api/v2/status`);
    expect(r.status).toBe(401);
    expect(await r.text()).toBe('no org id');
  });

  it('updates only the changed cluster and survives injected 5xx with backoff', async () => {
    builder.apply([{ op: 'upsert_condition', condition: { ...model.conditions[0], repeat: '2h' } }]);
    syncer.setDesired(builder.all());
    sleeps.length = 0;
    cortex.failNext(2, 503);
    const report = await syncer.reconcile();
    expect(report.posted).toEqual(['c1']);
    expect(sleeps).toEqual([50, 100]); // full jitter at random()=0.5: base 100, then 200
    expect(statusOf('c1')).toMatchObject({ stored: true, applied: true, hash: builder.get('c1')!.hash });
    expect(cortex.store.get('c1')?.alertmanager_config).toContain('repeat_interval: 2h');
  });

  it('reports errors when retries run out, then recovers on the next pass', async () => {
    builder.apply([{ op: 'upsert_condition', condition: { ...model.conditions[0], repeat: '3h' } }]);
    syncer.setDesired(builder.all());
    cortex.failNext(3, 502);
    const failed = await syncer.reconcile();
    expect(failed.failed).toEqual([{ clusterId: 'c1', error: expect.stringContaining('HTTP 502') }]);
    expect(statusOf('c1')?.error).toContain('store: HTTP 502');
    const ok = await syncer.reconcile();
    expect(ok.posted).toEqual(['c1']);
    expect(statusOf('c1')?.error).toBeUndefined();
  });

  it('survives a stand-in restart that lost its store: a full resync puts every config back', async () => {
    await cortex.stop({ wipe: true });
    builder.apply([{ op: 'upsert_condition', condition: { ...model.conditions[0], repeat: '4h' } }]);
    syncer.setDesired(builder.all());
    const down = await syncer.reconcile();
    expect(down.failed.map((f) => f.clusterId)).toEqual(['c1']);
    await cortex.start();
    const full = await syncer.reconcile({ full: true });
    expect(full.failed).toEqual([]);
    expect(full.posted.sort()).toEqual(['UPSTREAM_CLUSTER_ID', 'c1']);
    expect([...cortex.store.keys()].sort()).toEqual(['UPSTREAM_CLUSTER_ID', 'c1']);
    expect(statusOf('c1')).toMatchObject({ applied: true, hash: builder.get('c1')!.hash });
    const quiet = await syncer.reconcile({ full: true });
    expect(quiet.posted).toEqual([]); // read back equal: nothing to store
  });

  it('gives a tenant seen by remote-write a default config once', async () => {
    await syncer.ensureTenant('edge-1');
    expect(cortex.store.get('edge-1')?.alertmanager_config).toBe(
      buildDefaultConfig('edge-1', model.default_hook).configYaml,
    );
    expect(statusOf('edge-1')).toMatchObject({ source: 'default', stored: true, applied: true });
    const before = cortex.calls.length;
    await syncer.ensureTenant('edge-1');
    await syncer.ensureTenant('c1');
    expect(cortex.calls.length).toBe(before);
    await expect(syncer.ensureTenant('a|b')).rejects.toMatchObject({ code: 'alerting_bad_tenant' });
    await expect(api().forTenant('edge-1').receivers()).resolves.toContainEqual(
      expect.objectContaining({ name: 'opni.default.hook' }),
    );
  });

  it('deletes clusters that are gone, and keeps default tenants', async () => {
    const m = builder.model();
    m.conditions = m.conditions.filter((c) => c.cluster !== 'c1');
    m.clusters = [];
    const delta = builder.load(m);
    expect(delta.removed).toEqual(['c1']);
    syncer.setDesired(builder.all());
    const report = await syncer.reconcile();
    expect(report.deleted).toEqual(['c1']);
    expect(cortex.store.has('c1')).toBe(false);
    expect(cortex.store.has('edge-1')).toBe(true);
    expect(statusOf('c1')).toBeUndefined();
    await expect(api().forTenant('c1').status()).rejects.toMatchObject({ code: 'alertmanager_http_404' });
  });

  it("applies Cortex's upload rules", async () => {
    const post = (tenant: string | undefined, body: string) =>
      fetch(`${cortex.url}/api/v1/alerts`, {
        method: 'POST',
        body,
        headers: tenant ? { 'X-Scope-OrgID': tenant } : {},
      });
    const good = buildDefaultConfig('v', model.default_hook);
    expect((await post(undefined, cortexBodyYaml(good))).status).toBe(401);
    const bare = await post('v', good.configYaml);
    expect(bare.status).toBe(400);
    expect(await bare.text()).toContain('error validating Alertmanager config: configuration provided is empty');
    const withFile = cortexBodyYaml({
      ...good,
      configYaml: good.configYaml.replace(
        'send_resolved: true',
        'send_resolved: true\n        http_config: { bearer_token_file: /etc/x }',
      ),
    });
    expect((await post('v', withFile)).status).toBe(400);
    const pathTemplate = cortexBodyYaml({ ...good, templateFiles: { 'dir/opni.tmpl': 'x' } });
    expect((await post('v', pathTemplate)).status).toBe(400);
    const invalid = cortexBodyYaml({
      ...good,
      configYaml: good.configYaml.replace('receiver: opni.default.hook', 'receiver: nobody'),
    });
    const r = await post('v', invalid);
    expect(r.status).toBe(400);
    expect(await r.text()).toContain('nobody');
    expect((await fetch(`${cortex.url}/api/v1/alerts`, { headers: { 'X-Scope-OrgID': 'v' } })).status).toBe(404);
    expect(
      (await fetch(`${cortex.url}/api/v1/alerts`, { method: 'DELETE', headers: { 'X-Scope-OrgID': 'v' } })).status,
    ).toBe(200);
  });

  it('the CLI `alerting sync --once` converges Cortex to the model file', async () => {
    const out: string[] = [];
    const io = { stdout: { write: (t: string) => out.push(t) }, stderr: { write: (t: string) => out.push(t) } };
    const file = new URL('../fixtures/alerting/small-model.yaml', import.meta.url).pathname;
    const code = await runAlertingCli(
      ['sync', '--model', file, '--cortex', cortex.url, '--once', '--prefix', '/api/prom/alertmanager'],
      io,
    );
    expect(code, out.join('')).toBe(0);
    const result = JSON.parse(out.join('')) as {
      report: { posted: string[] };
      status: { clusterId: string; applied: boolean }[];
    };
    expect(result.report.posted).toEqual(['c1']); // the global config was already there, unchanged
    expect(result.status.every((x) => x.applied)).toBe(true);
    expect(cortex.store.has('c1')).toBe(true);
    expect(await runAlertingCli(['sync', '--model', file], io)).toBe(2);
  });
});
