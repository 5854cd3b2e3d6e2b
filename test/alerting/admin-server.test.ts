import { afterAll, describe, expect, it } from 'vitest';
import { createAlertmanagerApi } from '../../src/alerting/alertmanager-api.js';
import { buildDefaultConfig } from '../../src/alerting/build-cluster.js';
import { createCortexConfigClient } from '../../src/alerting/cortex-config-client.js';
import { createAlertingSyncer } from '../../src/alerting/syncer.js';
import { buildAlertingAdminServer } from '../../src/server/alerting-admin/app.js';
import { createClusterConfigurationStore } from '../../src/server/alerting-admin/cluster-configuration-store.js';
import { createFakeCortex } from './fake-cortex-fetch.js';

const cortex = createFakeCortex();
const base = 'http://cortex.test';
const syncer = createAlertingSyncer({
  configClient: createCortexConfigClient({ baseUrl: base, fetch: cortex.fetch }),
  api: createAlertmanagerApi({ mode: 'cortex', baseUrl: base, fetch: cortex.fetch }),
  defaultConfig: (t) => buildDefaultConfig(t, 'http://127.0.0.1:9/hook'),
  sleep: async () => undefined,
});
syncer.setDesired(new Map([['c1', buildDefaultConfig('c1', 'http://127.0.0.1:9/hook')]]));
const app = buildAlertingAdminServer({
  store: createClusterConfigurationStore(),
  syncer,
  api: createAlertmanagerApi({ mode: 'cortex', baseUrl: base, prefix: '/api/prom/alertmanager', fetch: cortex.fetch }),
});
afterAll(() => app.close());

const good = {
  external_url: 'http://cortex.example/alertmanager',
  storage: { backend: 's3', s3: { bucket_name: 'b', endpoint: 'e' } },
};

describe('AlertingAdmin v2', () => {
  it('404 before a cluster configuration exists', async () => {
    expect((await app.inject({ url: '/alerting/cluster-configuration' })).statusCode).toBe(404);
    expect((await app.inject({ url: '/alerting/cluster-configuration/cortex-config' })).statusCode).toBe(404);
  });

  it('PUT validates: 400 naming the key, 200 with the stored value', async () => {
    const bad = await app.inject({
      method: 'PUT',
      url: '/alerting/cluster-configuration',
      payload: { ...good, sharding: { enabled: true, replicas: 2 } },
    });
    expect(bad.statusCode).toBe(400);
    expect(bad.json()).toMatchObject({
      error: 'cluster_configuration_invalid',
      message: expect.stringContaining('sharding: unknown key(s) "replicas"'),
    });
    const noUrl = await app.inject({
      method: 'PUT',
      url: '/alerting/cluster-configuration',
      payload: { storage: good.storage },
    });
    expect(noUrl.json().message).toContain('external_url');
    const ok = await app.inject({ method: 'PUT', url: '/alerting/cluster-configuration', payload: good });
    expect(ok.statusCode).toBe(200);
    expect(ok.json()).toMatchObject({ external_url: good.external_url, poll_interval: '15s' });
    expect((await app.inject({ url: '/alerting/cluster-configuration' })).json()).toEqual(ok.json());
    const notJson = await app.inject({
      method: 'PUT',
      url: '/alerting/cluster-configuration',
      payload: '{',
      headers: { 'content-type': 'application/json' },
    });
    expect(notJson.statusCode).toBe(400);
  });

  it('renders the Cortex config as YAML', async () => {
    const r = await app.inject({ url: '/alerting/cluster-configuration/cortex-config' });
    expect(r.statusCode).toBe(200);
    expect(r.headers['content-type']).toContain('application/yaml');
    expect(r.body).toContain('alertmanager_storage:');
    expect(r.body).toContain('external_url: http://cortex.example/alertmanager');
  });

  it('resyncs on demand and reports per-cluster status', async () => {
    const r = await app.inject({ method: 'POST', url: '/alerting/resync' });
    expect(r.statusCode).toBe(200);
    expect(r.json()).toMatchObject({ full: true, posted: ['c1'], applied: ['c1'], failed: [] });
    const s = await app.inject({ url: '/alerting/sync-status' });
    expect(s.json().clusters).toEqual([
      expect.objectContaining({
        clusterId: 'c1',
        stored: true,
        applied: true,
        hash: expect.stringMatching(/^[0-9a-f]{64}$/),
      }),
    ]);
  });

  it('proxies /alerting/<cluster>/api/v2/* to that tenant through the API option', async () => {
    const r = await app.inject({ method: 'POST', url: '/alerting/c1/api/v2/silences?x=1', payload: { comment: 'c' } });
    expect(r.statusCode).toBe(200);
    expect(r.json()).toEqual({
      path: '/api/prom/alertmanager/api/v2/silences',
      query: '?x=1',
      tenant: 'c1',
      method: 'POST',
      body: '{"comment":"c"}',
    });
    expect((await app.inject({ url: '/alerting/nobody/api/v2/status' })).statusCode).toBe(404);
    const bad = await app.inject({ url: '/alerting/a%7Cb/api/v2/status' });
    expect(bad.statusCode).toBe(400);
    expect(bad.json().message).toContain('clusterId');
  });
});
