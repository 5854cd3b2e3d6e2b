import yaml from 'js-yaml';
import { afterAll, describe, expect, it } from 'vitest';
import { validateClusterConfiguration } from '../../src/alerting/cluster-config/model.js';
import {
  cortexAlertmanagerPrefixes,
  renderCortexBlocks,
  renderCortexConfigYaml,
} from '../../src/alerting/cluster-config/render-cortex.js';
import { renderVanillaArgs } from '../../src/alerting/cluster-config/render-vanilla.js';
import { buildDefaultConfig } from '../../src/alerting/build-cluster.js';
import { startAlertmanagerProcess } from '../helpers/cortex-stand-in-am.js';
import { freePort, tempDir, waitForHttp } from '../helpers/peers.js';
import type { RunningPeer } from '../helpers/peers.js';
import { writeCluster } from './amtool-run.js';

const s3 = { backend: 's3', s3: { bucket_name: 'alerts', endpoint: 's3.example.com' } };
const messageOf = (v: unknown): string => {
  try {
    validateClusterConfiguration(v);
  } catch (e) {
    expect((e as { code: string }).code).toBe('cluster_configuration_invalid');
    return (e as Error).message;
  }
  throw new Error('expected a rejection');
};

describe('ClusterConfiguration', () => {
  it('renders the alertmanager, alertmanager_storage, api and limits blocks of a Cortex config', () => {
    const c = validateClusterConfiguration({
      external_url: 'http://cortex.example/alertmanager',
      sharding: { enabled: true, kvstore: 'memberlist', replication_factor: 3 },
      persist_interval: '15m',
      storage: s3,
      enabled_tenants: ['c1', 'c2'],
      limits: { max_config_size_bytes: 1_000_000, receivers_firewall_block_private_addresses: true },
    });
    const blocks = renderCortexBlocks(c);
    expect(blocks.alertmanager).toMatchObject({
      external_url: 'http://cortex.example/alertmanager',
      enable_api: true,
      sharding_enabled: true,
      sharding_ring: { kvstore: { store: 'memberlist' }, replication_factor: 3 },
      persist_interval: '15m',
      poll_interval: '15s',
      enabled_tenants: 'c1,c2',
      cluster: { listen_address: '', gossip_interval: '200ms', push_pull_interval: '1m' },
    });
    expect(blocks.alertmanager_storage).toEqual({
      backend: 's3',
      s3: { bucket_name: 'alerts', endpoint: 's3.example.com' },
    });
    expect(blocks.api).toEqual({ alertmanager_http_prefix: '/alertmanager', http_prefix: '/api/prom' });
    expect(blocks.limits).toMatchObject({
      alertmanager_max_config_size_bytes: 1_000_000,
      alertmanager_receivers_firewall_block_private_addresses: true,
    });
    expect(yaml.load(renderCortexConfigYaml(c))).toEqual(blocks);
    expect(cortexAlertmanagerPrefixes(c)).toEqual(['/alertmanager', '/api/prom/alertmanager']);
  });

  it('applies the cross-field checks, naming the key', () => {
    expect(messageOf({ storage: s3 })).toContain('external_url: external_url is required');
    expect(
      messageOf({
        external_url: 'http://x',
        sharding: { enabled: true },
        storage: { backend: 'filesystem', filesystem: { dir: '/d' } },
      }),
    ).toContain('sharding.enabled: sharding needs a storage backend that keeps full state');
    expect(messageOf({ external_url: 'http://x' })).toContain('enable_api: the local storage backend is read only');
    expect(messageOf({ external_url: 'http://x', storage: { backend: 'gcs' } })).toContain(
      'storage.gcs: storage backend gcs needs its gcs block',
    );
    expect(
      messageOf({ external_url: 'http://x', storage: s3, sharding: { enabled: true, kvstore: 'inmemory' } }),
    ).toContain('sharding.replication_factor');
    expect(
      messageOf({ external_url: 'http://x', storage: s3, enabled_tenants: ['a'], disabled_tenants: ['a'] }),
    ).toContain('enabled_tenants.0: tenant a is both');
    expect(messageOf({ external_url: 'http://x', storage: s3, bogus: 1 })).toContain('unknown key(s) "bogus"');
    expect(messageOf({ mode: 'vanilla', external_url: 'http://x', sharding: { enabled: true } })).toContain(
      'sharding.enabled: a vanilla Alertmanager has no sharding',
    );
  });

  it('a local read-only store is fine without the API', () => {
    expect(validateClusterConfiguration({ external_url: 'http://x', enable_api: false }).storage.backend).toBe('local');
  });
});

describe('vanilla rendering against the real Alertmanager 0.25', () => {
  const dir = tempDir('vanilla');
  let peer: RunningPeer | undefined;
  afterAll(async () => {
    await peer?.stop();
    dir.remove();
  });

  it('renders flags the daemon accepts and starts with', async () => {
    const port = await freePort();
    const c = validateClusterConfiguration({
      mode: 'vanilla',
      external_url: `http://127.0.0.1:${port}/`,
      data_dir: `${dir.path}/data`,
      cluster: { listen_address: '' },
      enable_api: false,
    });
    const file = writeCluster(dir.path, buildDefaultConfig('vanilla', 'http://127.0.0.1:9/hook'));
    const args = renderVanillaArgs(c, { configFile: file, listenAddress: `127.0.0.1:${port}` });
    expect(args).toContain('--cluster.gossip-interval=200ms');
    peer = startAlertmanagerProcess(args); // Debian's daemon, its /usr/share overlaid when missing
    await waitForHttp(`http://127.0.0.1:${port}/-/ready`, peer);
    const status = (await (await fetch(`http://127.0.0.1:${port}/api/v2/status`)).json()) as {
      cluster: { status: string };
    };
    expect(status.cluster.status).toBe('disabled'); // --cluster.listen-address= turned gossip off
  });
});
