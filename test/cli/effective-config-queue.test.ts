/**
 * The startup log shows queue mode's block in the file's own keys, and what it shows reads back
 * as the same settings (it can be pasted into a config file).
 */
import yaml from 'js-yaml';
import { describe, expect, it } from 'vitest';
import { effectiveConfigDocument } from '../../src/cli/effective-config.js';
import { parseCortexTenantConfig } from '../../src/config/cortex-tenant.js';

const load = (text: string) => parseCortexTenantConfig(text, 'test.yml', { env: {}, defaultWorkers: 1 });

describe('the effective configuration, queue mode', () => {
  it('has no queue block when queue mode is off', () => {
    expect(effectiveConfigDocument(load('listen: :8081'))).not.toHaveProperty('queue');
  });

  it("names every queue key by the file's own name, with the defaults filled in", () => {
    const doc = effectiveConfigDocument(load('data_dir: /var/lib/tw\nqueue: { dir: q, min_backoff: 100ms }'));
    expect(doc.queue).toEqual({
      dir: '/var/lib/tw/q',
      max_disk_bytes: 1024 ** 3,
      max_tenant_disk_bytes: 1024 ** 3 / 2,
      max_samples_per_send: 2000,
      batch_send_deadline: '5s',
      min_backoff: '100ms',
      max_backoff: '5s',
      min_shards: 1,
      max_shards: 50,
      retry_on_http_429: true,
      capacity: 10000,
    });
  });

  it('reads back as the same settings', () => {
    const config = load(
      'queue: { dir: /q, max_disk_bytes: 3GiB, max_backoff: 1m30s, max_shards: 4, retry_on_http_429: false }',
    );
    const again = load(yaml.dump({ queue: effectiveConfigDocument(config).queue }));
    expect(again.queue).toEqual(config.queue);
  });
});
