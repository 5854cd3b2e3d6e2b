/**
 * The sync ledger against the Cortex stand-in (real Alertmanagers behind it): a cluster removed
 * from the model while the syncer was down is deleted on the next start when the ledger is on,
 * and stays in Cortex without it (the config API cannot list tenants).
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createAlertmanagerApi } from '../../src/alerting/alertmanager-api.js';
import { buildDefaultConfig } from '../../src/alerting/build-cluster.js';
import { createCortexConfigClient } from '../../src/alerting/cortex-config-client.js';
import { createIncrementalBuilder } from '../../src/alerting/incremental-builder.js';
import { parseAlertingModel, type AlertingModel } from '../../src/alerting/model.js';
import { createFileSyncLedger, type SyncLedger } from '../../src/alerting/sync-ledger.js';
import { createAlertingSyncer } from '../../src/alerting/syncer.js';
import { startCortexStandIn, type CortexStandIn } from '../helpers/cortex-stand-in.js';
import { tempDir } from '../helpers/peers.js';

const base = parseAlertingModel(
  readFileSync(new URL('../fixtures/alerting/small-model.yaml', import.meta.url), 'utf8'),
);
const withClusters = (...ids: string[]): AlertingModel => ({
  ...base,
  clusters: ids.map((id) => ({ id, name: `cluster ${id}` })),
});
const tmp = tempDir('sync-ledger');
let cortex: CortexStandIn;

beforeAll(async () => {
  cortex = await startCortexStandIn();
}, 60_000);
afterAll(async () => {
  await cortex?.close();
  tmp.remove();
});

/** One run of the syncer, as one start of the process: a fresh syncer over `model`. */
async function runOnce(model: AlertingModel, ledger?: SyncLedger) {
  const builder = createIncrementalBuilder();
  builder.load(model);
  const syncer = createAlertingSyncer({
    configClient: createCortexConfigClient({ baseUrl: cortex.url, timeoutMs: 5_000 }),
    api: createAlertmanagerApi({ mode: 'cortex', baseUrl: cortex.url }),
    defaultConfig: (t) => buildDefaultConfig(t, model.default_hook),
    sleep: async () => {},
    ...(ledger ? { ledger } : {}),
  });
  syncer.setDesired(builder.all());
  return syncer.reconcile({ full: true });
}

describe('sync ledger', () => {
  it('deletes on the next start a cluster removed from the model while the syncer was down', async () => {
    const path = join(tmp.path, 'state', 'alerting-sync.json');
    const first = await runOnce(withClusters('c1', 'c2'), createFileSyncLedger(path));
    expect(first.failed).toEqual([]);
    expect(JSON.parse(readFileSync(path, 'utf8'))).toEqual({
      version: 1,
      managed: ['UPSTREAM_CLUSTER_ID', 'c1', 'c2'],
    });
    expect([...cortex.store.keys()].sort()).toEqual(['UPSTREAM_CLUSTER_ID', 'c1', 'c2']);

    // c2 leaves the model while nothing runs; the next start deletes it.
    const second = await runOnce(withClusters('c1'), createFileSyncLedger(path));
    expect(second.deleted).toEqual(['c2']);
    expect(second.failed).toEqual([]);
    expect([...cortex.store.keys()].sort()).toEqual(['UPSTREAM_CLUSTER_ID', 'c1']);
    expect(JSON.parse(readFileSync(path, 'utf8')).managed).toEqual(['UPSTREAM_CLUSTER_ID', 'c1']);
  });

  it('without a ledger the removed cluster stays in Cortex (what the ledger is for)', async () => {
    await runOnce(withClusters('c1', 'c3'));
    const again = await runOnce(withClusters('c1'));
    expect(again.deleted).toEqual([]);
    expect(cortex.store.has('c3')).toBe(true);
  });

  it('a state file that is not a ledger is refused, naming the file', async () => {
    const path = join(tmp.path, 'bad.json');
    writeFileSync(path, '{"managed": "c1"}');
    await expect(createFileSyncLedger(path).load()).rejects.toThrow(/bad\.json: expected \{"version":1,"managed"/);
    writeFileSync(path, 'not json');
    await expect(createFileSyncLedger(path).load()).rejects.toThrow(/bad\.json: not JSON/);
    expect(await createFileSyncLedger(join(tmp.path, 'missing.json')).load()).toEqual([]);
  });
});
