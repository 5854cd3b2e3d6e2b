/**
 * Every rendered config against the real amtool of Alertmanager 0.25: check-config, the routing
 * of every condition's alert (`config routes test --verify.receivers`), and the templates
 * (`template render`).
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import yaml from 'js-yaml';
import { afterAll, describe, expect, it } from 'vitest';
import type { AlertmanagerConfig } from '../../src/alerting/build-cluster.js';
import { TYPE_LABELS, conditionReceiverName } from '../../src/alerting/condition-types.js';
import { integrationFor } from '../../src/alerting/receivers.js';
import { createIncrementalBuilder } from '../../src/alerting/incremental-builder.js';
import { conditionCluster, parseAlertingModel } from '../../src/alerting/model.js';
import { INLINE_TEMPLATES } from '../../src/alerting/templates.js';
import { tempDir } from '../helpers/peers.js';
import { amtool, writeCluster } from './amtool-run.js';

const model = parseAlertingModel(readFileSync(new URL('../fixtures/alerting/model.yaml', import.meta.url), 'utf8'));
const builder = createIncrementalBuilder();
builder.load(model);
const dir = tempDir('amtool');
afterAll(() => dir.remove());
const files = new Map([...builder.all()].map(([id, b]) => [id, writeCluster(dir.path, b)]));

describe('rendered configs and real amtool 0.25', () => {
  it.each([...files.keys()])('amtool check-config accepts cluster %s (templates included)', (id) => {
    const r = amtool(['check-config', files.get(id)!]);
    expect(r.out).toContain('SUCCESS');
    expect(r.out).toContain('1 templates');
    expect(r.code, r.out).toBe(0);
  });

  it.each(model.conditions.map((c) => [c.id, c] as const))(
    'an alert of %s reaches exactly its receiver and the default hook',
    (_id, c) => {
      const file = files.get(conditionCluster(model, c))!;
      const expected = `${conditionReceiverName(c.type, c.id)},opni.default.hook`;
      const labels = [
        `opni_uuid=${c.id}`,
        `opni_severity=${c.severity}`,
        `${TYPE_LABELS[c.type]}=${c.id}`,
        'alertname=x',
      ];
      const r = amtool([
        'config',
        'routes',
        'test',
        `--config.file=${file}`,
        `--verify.receivers=${expected}`,
        ...labels,
      ]);
      expect(r.out.split('\n').find((l) => l.includes('opni'))).toBe(expected);
      expect(r.code, r.out).toBe(0);
      // and the receiver holds one integration per attached endpoint, nothing else
      const cfg = yaml.load(readFileSync(file, 'utf8')) as AlertmanagerConfig;
      const receiver = cfg.receivers.find((x) => x.name === conditionReceiverName(c.type, c.id))!;
      const expectedIntegrations = c.endpoints.map((e) => integrationFor(model.endpoints.find((x) => x.id === e)!));
      const got = Object.entries(receiver)
        .filter(([k]) => k !== 'name')
        .flatMap(([k, list]) => (list as unknown[]).map((v) => [k, v]));
      expect(got).toHaveLength(expectedIntegrations.length);
      for (const integration of expectedIntegrations) expect(got).toContainEqual(integration);
    },
  );

  it('a wrong expectation makes amtool fail (the check is real)', () => {
    const c = model.conditions[0]!;
    const r = amtool([
      'config',
      'routes',
      'test',
      `--config.file=${files.get('c1')!}`,
      `--verify.receivers=${conditionReceiverName(c.type, c.id)}`,
      `${TYPE_LABELS[c.type]}=${c.id}`,
    ]);
    expect(r.code).toBe(1);
  });

  it('alerts of another cluster, plain notifications and strangers reach only the default hook', () => {
    const cases = [
      ['opni_fs=disk-full', 'opni_uuid=disk-full'], // belongs to c2, tested against c1
      ['opni_datasource=metrics', 'opni_severity=critical'],
      ['alertname=Watchdog'],
    ];
    for (const labels of cases) {
      const r = amtool([
        'config',
        'routes',
        'test',
        `--config.file=${files.get('c1')!}`,
        '--verify.receivers=opni.default.hook',
        ...labels,
      ]);
      expect(r.code, `${labels.join(' ')}: ${r.out}`).toBe(0);
    }
  });

  it.each(Object.entries(INLINE_TEMPLATES))('amtool template render renders inline template %s', (_name, text) => {
    const glob = join(dir.path, 'c1', '*.tmpl');
    const r = amtool(['template', 'render', `--template.glob=${glob}`, `--template.text=${text}`]);
    expect(r.code, r.out).toBe(0);
  });

  it('amtool template render rejects functions Alertmanager 0.25 lacks (what our lint also catches)', () => {
    const r = amtool([
      'template',
      'render',
      `--template.glob=${join(dir.path, 'c1', '*.tmpl')}`,
      '--template.text={{ humanizeTimestamp 0 }}',
    ]);
    expect(r.code).toBe(1);
    expect(r.out).toContain('not defined');
  });
});
