/**
 * The components are defined one way: each folder's definition.ts exports the registry entry,
 * and the default registry is made of exactly those.
 */
import { readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { Registry as MetricsRegistry } from 'prom-client';
import { describe, expect, it } from 'vitest';
import { createDefaultRegistry } from '../../src/component/default-registry.js';
import { alertingCortexSyncDefinition } from '../../src/component/alertmanager-sync/definition.js';
import { createOtlpReceiveHttpDefinition } from '../../src/component/otlp-receive-http/definition.js';
import { createReceiveHttpDefinition } from '../../src/component/receive-http/definition.js';
import { remoteWriteDefinitionWith } from '../../src/component/remote-write/definition.js';
import { repoRoot } from '../helpers/peers.js';

describe('component definitions', () => {
  it('every component folder has a definition.ts', () => {
    const dir = join(repoRoot, 'src', 'component');
    const folders = readdirSync(dir).filter((n) => statSync(join(dir, n)).isDirectory() && n !== 'pipeline');
    expect(folders.sort()).toEqual(['alertmanager-sync', 'otlp-receive-http', 'receive-http', 'remote-write']);
    for (const f of folders) expect(statSync(join(dir, f, 'definition.ts')).isFile(), f).toBe(true);
  });

  it('the default registry holds exactly the kinds those files define', () => {
    const defs = [
      createReceiveHttpDefinition({ metrics: new MetricsRegistry() }),
      createOtlpReceiveHttpDefinition({ metrics: new MetricsRegistry() }),
      remoteWriteDefinitionWith(),
      alertingCortexSyncDefinition,
    ];
    expect(defs.map((d) => d.kind)).toEqual([
      'prometheus.receive_http',
      'otlp.receive_http',
      'prometheus.remote_write',
      'alerting.cortex_sync',
    ]);
    const registry = createDefaultRegistry();
    expect(registry.kinds()).toEqual(defs.map((d) => d.kind).sort());
  });
});
