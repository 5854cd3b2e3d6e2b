import { readFileSync, utimesSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it, vi } from 'vitest';
import { createAlertingCortexSync } from '../../../src/component/alertmanager-sync/component.js';
import { alertingCortexSyncDefinition } from '../../../src/component/alertmanager-sync/definition.js';
import { createSilentLogger } from '../../../src/logger.js';
import { createFakeCortex } from '../../alerting/fake-cortex-fetch.js';
import { tempDir } from '../../helpers/peers.js';

const dir = tempDir('am-sync-component');
afterAll(() => dir.remove());
const modelFile = join(dir.path, 'model.yaml');
const fixture = readFileSync(new URL('../../fixtures/alerting/small-model.yaml', import.meta.url), 'utf8');
const options = (onStateChange = () => undefined) => ({
  id: 'alerting.cortex_sync.default',
  logger: createSilentLogger(),
  onStateChange,
});
const args = {
  model_file: modelFile,
  cortex_url: 'http://cortex.test',
  sync_interval: '20ms',
  resync_interval: '1h',
  watch_interval: 20,
  retry: { attempts: 2, base_delay: 1, max_delay: 2 },
};

describe('alerting.cortex_sync component', () => {
  it('rejects unknown and invalid arguments, naming the key', async () => {
    writeFileSync(modelFile, fixture);
    expect(alertingCortexSyncDefinition.kind).toBe('alerting.cortex_sync');
    const c = createAlertingCortexSync(options());
    await expect(c.update({ ...args, concurrency: 0 } as never)).rejects.toThrow(/concurrency/);
    await expect(c.update({ ...args, extra: true } as never)).rejects.toThrow(/unknown key\(s\) "extra"/);
    await expect(c.update({ ...args, sync_interval: 'soon' } as never)).rejects.toThrow(/sync_interval/);
    await expect(c.update({ ...args, model_file: join(dir.path, 'missing.yaml') } as never)).rejects.toThrow(/ENOENT/);
  });

  it(
    'syncs the model, follows file changes, keeps the last good model on a bad edit, ' + 'and ensures tenants',
    async () => {
      writeFileSync(modelFile, fixture);
      const cortex = createFakeCortex();
      const states: unknown[] = [];
      const c = createAlertingCortexSync(
        options(() => void states.push(1)),
        { fetch: cortex.fetch },
      );
      await c.update(alertingCortexSyncDefinition.args.parse(args));
      expect(states).toHaveLength(1);
      const exportsBefore = c.exports;
      const stop = new AbortController();
      const running = c.run(stop.signal);
      try {
        await vi.waitFor(() => expect([...cortex.store.keys()].sort()).toEqual(['UPSTREAM_CLUSTER_ID', 'c1']), {
          timeout: 5_000,
          interval: 20,
        });
        await vi.waitFor(() => expect(c.exports.status().every((s) => s.applied)).toBe(true), {
          timeout: 5_000,
          interval: 20,
        });

        writeFileSync(modelFile, fixture.replace('initial_delay: 1h', 'initial_delay: 2h'));
        utimesSync(modelFile, new Date(), new Date(Date.now() + 5_000));
        await vi.waitFor(() => expect(cortex.store.get('c1')?.alertmanager_config).toContain('group_wait: 2h'), {
          timeout: 5_000,
          interval: 20,
        });

        writeFileSync(modelFile, 'clusters: [');
        utimesSync(modelFile, new Date(), new Date(Date.now() + 10_000));
        await vi.waitFor(() => expect(c.health?.().state).toBe('unhealthy'), { timeout: 5_000, interval: 20 });
        expect(cortex.store.get('c1')?.alertmanager_config).toContain('group_wait: 2h');

        await c.exports.ensureTenant('edge-7');
        expect(cortex.store.has('edge-7')).toBe(true);
        expect(c.exports).toBe(exportsBefore);
      } finally {
        stop.abort();
        await running;
      }
    },
  );
});
