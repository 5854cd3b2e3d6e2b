import { readFileSync } from 'node:fs';
import yaml from 'js-yaml';
import { describe, expect, it } from 'vitest';
import { buildDefaultConfig, cortexBody, cortexBodyYaml } from '../../src/alerting/build-cluster.js';
import type { AlertmanagerConfig } from '../../src/alerting/build-cluster.js';
import { createIncrementalBuilder } from '../../src/alerting/incremental-builder.js';
import { parseAlertingModel } from '../../src/alerting/model.js';
import type { AlertingModel } from '../../src/alerting/model.js';

const model = (): AlertingModel =>
  parseAlertingModel(readFileSync(new URL('../fixtures/alerting/model.yaml', import.meta.url), 'utf8'));

describe('per-cluster builder', () => {
  it('builds one config per cluster id, the global id included', () => {
    const b = createIncrementalBuilder();
    const delta = b.load(model());
    expect(delta.changed.map((c) => c.clusterId).sort()).toEqual(['UPSTREAM_CLUSTER_ID', 'c1', 'c2']);
    const global = b.get('UPSTREAM_CLUSTER_ID')!.config;
    expect(global.receivers.map((r) => r.name)).toEqual([
      'opni.default.hook',
      'opni__opni_monitoring_backend__backend-down',
      'opni__opni_logging_backend__logs-down',
      expect.stringMatching(/^tenantwire\.marker\.[0-9a-f]{64}$/),
    ]);
    const c1 = b.get('c1')!.config;
    expect(c1.receivers.some((r) => r.name.includes('disk-full'))).toBe(false);
  });

  it('is deterministic: same model, same bytes and hash; key order of the input does not matter', () => {
    const a = createIncrementalBuilder();
    a.load(model());
    const m = model();
    m.conditions.reverse();
    m.clusters.reverse();
    const b = createIncrementalBuilder();
    b.load(m);
    for (const id of ['UPSTREAM_CLUSTER_ID', 'c1', 'c2']) {
      expect(b.get(id)!.configYaml).toBe(a.get(id)!.configYaml);
      expect(b.get(id)!.hash).toBe(a.get(id)!.hash);
    }
  });

  it('renders pagerduty keys as Events v2 routing_key, timings from the condition, marker named after the hash', () => {
    const b = createIncrementalBuilder();
    b.load(model());
    const built = b.get('c1')!;
    const c = yaml.load(built.configYaml) as AlertmanagerConfig;
    const cpu = c.receivers.find((r) => r.name === 'opni__opni_cpu__cpu-high')!;
    expect(cpu.pagerduty_configs).toEqual([expect.objectContaining({ routing_key: '0123456789abcdef' })]);
    expect(JSON.stringify(c)).not.toContain('service_key');
    const leaf = c.route
      .routes![0]!.routes!.flatMap((r) => r.routes ?? [])
      .find((r) => r.receiver === 'opni__opni_cpu__cpu-high')!;
    expect(leaf).toMatchObject({
      group_wait: '30s',
      group_interval: '5m',
      repeat_interval: '1h',
      continue: true,
      matchers: ['opni_cpu="cpu-high"'],
    });
    expect(c.receivers.at(-1)?.name).toBe(`tenantwire.marker.${built.hash}`);
  });

  it("produces Cortex's body: template_files plus the config as one string", () => {
    const b = createIncrementalBuilder();
    b.load(model());
    const built = b.get('c2')!;
    expect(cortexBody(built)).toEqual({
      template_files: { 'opni.tmpl': expect.any(String) },
      alertmanager_config: built.configYaml,
    });
    expect(yaml.load(cortexBodyYaml(built))).toEqual(cortexBody(built));
  });

  it('rebuilds only the cluster a condition change touches', () => {
    const b = createIncrementalBuilder();
    b.load(model());
    const before = new Map([...b.all()].map(([k, v]) => [k, v.hash]));
    const m = model();
    const cpu = m.conditions.find((c) => c.id === 'cpu-high')!;
    cpu.repeat = '2h';
    const delta = b.load(m);
    expect(delta.rebuilt).toBe(1);
    expect(delta.changed.map((c) => c.clusterId)).toEqual(['c1']);
    expect(b.get('c2')!.hash).toBe(before.get('c2'));
    expect(b.get('c1')!.hash).not.toBe(before.get('c1'));
  });

  it('an endpoint change rebuilds exactly the clusters whose conditions use it', () => {
    const b = createIncrementalBuilder();
    b.load(model());
    expect(b.clustersOfEndpoint('ops-mail').sort()).toEqual(['UPSTREAM_CLUSTER_ID', 'c2']);
    const delta = b.apply([
      {
        op: 'upsert_endpoint',
        endpoint: {
          id: 'ops-mail',
          email: { to: 'b@example.com', from: 'am@example.com', smarthost: 'smtp.example.com:25' },
        },
      },
    ]);
    expect(delta.changed.map((c) => c.clusterId).sort()).toEqual(['UPSTREAM_CLUSTER_ID', 'c2']);
  });

  it('moving a condition between clusters rebuilds both; removing a cluster reports it gone', () => {
    const b = createIncrementalBuilder();
    b.load(model());
    const moved = b.apply([
      {
        op: 'upsert_condition',
        condition: {
          id: 'mem-high',
          name: 'Memory',
          type: 'memory',
          cluster: 'c2',
          severity: 'warning',
          endpoints: ['audit'],
        },
      },
    ]);
    expect(moved.changed.map((c) => c.clusterId).sort()).toEqual(['c1', 'c2']);
    const m = b.model();
    m.conditions = m.conditions.filter((c) => c.cluster !== 'c2');
    m.clusters = m.clusters.filter((c) => c.id !== 'c2');
    const delta = b.load(m);
    expect(delta.removed).toEqual(['c2']);
    expect(delta.rebuilt).toBe(0);
    expect(b.clusterIds().sort()).toEqual(['UPSTREAM_CLUSTER_ID', 'c1']);
  });

  it('rejects bad changes with a stable code and keeps built configs in step', () => {
    const b = createIncrementalBuilder();
    b.load(model());
    expect(() =>
      b.apply([
        { op: 'upsert_condition', condition: { id: 'x', name: 'X', type: 'cpu', cluster: 'ghost', severity: 'info' } },
      ]),
    ).toThrow(expect.objectContaining({ code: 'alerting_bad_change' }));
    expect(() => b.apply([{ op: 'delete_endpoint', id: 'oncall' }])).toThrow(/still used/);
    expect(() => b.apply([{ op: 'delete_cluster', id: 'c1' }])).toThrow(/still has conditions/);
  });

  it('the default config sends everything to the default hook', () => {
    const d = buildDefaultConfig('tenant-x', 'http://127.0.0.1:3000/hook');
    expect(d.config.receivers.map((r) => r.name)).toEqual(['opni.default.hook', `tenantwire.marker.${d.hash}`]);
  });
});
