/**
 * The drop-in's `queue:` block: off unless `queue.dir` is set, Prometheus' queue_config defaults
 * from the one place they are defined, every key from the file and from its TENANTWIRE_QUEUE_*
 * variable, refusals naming the key, and a relative `dir` under `data_dir`.
 */
import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  type CortexTenantConfig,
  embeddedDefaultConfig,
  parseCortexTenantConfig,
} from '../../src/config/cortex-tenant.js';
import { ConfigError } from '../../src/errors.js';
import { DEFAULT_MAX_DISK_BYTES, DEFAULT_QUEUE_CONFIG } from '../../src/queue/config-defaults.js';

const GIB = 1024 ** 3;
const MIB = 1024 ** 2;

const load = (text: string, env: Record<string, string> = {}): CortexTenantConfig =>
  parseCortexTenantConfig(text, 'test.yml', { env, defaultWorkers: 1 });

function refusal(text: string, env: Record<string, string> = {}): ConfigError {
  try {
    load(text, env);
  } catch (e) {
    expect(e).toBeInstanceOf(ConfigError);
    return e as ConfigError;
  }
  throw new Error('expected a ConfigError, the config was accepted');
}

const EVERY_KEY = `
queue:
  dir: /var/lib/tenantwire/queue
  max_disk_bytes: 4GiB
  max_tenant_disk_bytes: 512MiB
  max_samples_per_send: 500
  batch_send_deadline: 2s
  min_backoff: 100ms
  max_backoff: 1m30s
  min_shards: 2
  max_shards: 8
  retry_on_http_429: false
  capacity: 2500
`;

const EVERY_KEY_NORMALIZED = {
  dir: '/var/lib/tenantwire/queue',
  maxDiskBytes: 4 * GIB,
  maxTenantDiskBytes: 512 * MIB,
  config: {
    maxSamplesPerSend: 500,
    batchSendDeadlineMs: 2_000,
    minBackoffMs: 100,
    maxBackoffMs: 90_000,
    minShards: 2,
    maxShards: 8,
    retryOnHttp429: false,
    capacity: 2500,
  },
};

const EVERY_VARIABLE = {
  TENANTWIRE_QUEUE_DIR: '/var/lib/tenantwire/queue',
  TENANTWIRE_QUEUE_MAX_DISK_BYTES: '4GiB',
  TENANTWIRE_QUEUE_MAX_TENANT_DISK_BYTES: String(512 * MIB),
  TENANTWIRE_QUEUE_MAX_SAMPLES_PER_SEND: '500',
  TENANTWIRE_QUEUE_BATCH_SEND_DEADLINE: '2s',
  TENANTWIRE_QUEUE_MIN_BACKOFF: '100ms',
  TENANTWIRE_QUEUE_MAX_BACKOFF: '1m30s',
  TENANTWIRE_QUEUE_MIN_SHARDS: '2',
  TENANTWIRE_QUEUE_MAX_SHARDS: '8',
  TENANTWIRE_QUEUE_RETRY_ON_HTTP_429: 'false',
  TENANTWIRE_QUEUE_CAPACITY: '2500',
};

describe('queue mode settings', () => {
  it('are off without a queue block, and with an empty one', () => {
    expect(load('listen: :8081').queue).toBeUndefined();
    expect(load('queue:\n').queue).toBeUndefined();
    expect(embeddedDefaultConfig({ env: {} }).queue).toBeUndefined();
  });

  it("take Prometheus' defaults, 1GiB on disk and half of it per tenant", () => {
    expect(load('queue: { dir: /q }').queue).toEqual({
      dir: '/q',
      maxDiskBytes: GIB,
      maxTenantDiskBytes: GIB / 2,
      config: {
        capacity: 10_000,
        minShards: 1,
        maxShards: 50,
        maxSamplesPerSend: 2_000,
        batchSendDeadlineMs: 5_000,
        minBackoffMs: 30,
        maxBackoffMs: 5_000,
        retryOnHttp429: true,
      },
    });
    expect(load('queue: { dir: /q }').queue?.config).toEqual(DEFAULT_QUEUE_CONFIG);
    expect(DEFAULT_MAX_DISK_BYTES).toBe(GIB);
  });

  it('give one tenant half of a max_disk_bytes that is set', () => {
    expect(load('queue: { dir: /q, max_disk_bytes: 3GiB }').queue).toMatchObject({
      maxDiskBytes: 3 * GIB,
      maxTenantDiskBytes: 1.5 * GIB,
    });
    expect(load('queue: { dir: /q, max_disk_bytes: 3 }').queue?.maxTenantDiskBytes).toBe(1);
  });

  it('read every key from the file', () => {
    expect(load(EVERY_KEY).queue).toEqual(EVERY_KEY_NORMALIZED);
  });

  it('read every key from its variable, with no file block', () => {
    expect(load('listen: :8081', EVERY_VARIABLE).queue).toEqual(EVERY_KEY_NORMALIZED);
  });

  it('let a variable override the file, key by key', () => {
    const q = load(EVERY_KEY, { TENANTWIRE_QUEUE_MAX_SHARDS: '20', TENANTWIRE_QUEUE_MIN_BACKOFF: '1s' }).queue;
    expect(q?.config).toEqual({ ...EVERY_KEY_NORMALIZED.config, maxShards: 20, minBackoffMs: 1_000 });
  });

  it('accept the YAML booleans the rest of the file accepts', () => {
    expect(load('queue: { dir: /q, retry_on_http_429: "off" }').queue?.config.retryOnHttp429).toBe(false);
  });
});

describe('queue.dir', () => {
  it('is resolved under data_dir when relative', () => {
    expect(load('data_dir: /var/lib/tw\nqueue: { dir: queue }').queue?.dir).toBe('/var/lib/tw/queue');
    expect(load('data_dir: /var/lib/tw\nqueue: { dir: ./a/../b }').queue?.dir).toBe('/var/lib/tw/b');
    expect(load('queue: { dir: q }', { TENANTWIRE_DATA_DIR: '/srv' }).queue?.dir).toBe('/srv/q');
  });

  it("is resolved under the embedded default's ./data, else the working directory", () => {
    const embedded = embeddedDefaultConfig({ env: { TENANTWIRE_QUEUE_DIR: 'q' }, defaultWorkers: 1 });
    expect(embedded.queue?.dir).toBe(resolve('data', 'q'));
    expect(load('queue: { dir: q }').queue?.dir).toBe(resolve('q'));
    expect(load('data_dir: rel\nqueue: { dir: q }').queue?.dir).toBe(resolve('rel', 'q'));
  });

  it('stays as it is when absolute', () => {
    expect(load('data_dir: /var/lib/tw\nqueue: { dir: /elsewhere/q }').queue?.dir).toBe('/elsewhere/q');
  });

  it('is required by a queue block and by any TENANTWIRE_QUEUE_* variable', () => {
    for (const e of [
      refusal('queue: { max_shards: 10 }'),
      refusal('queue: { dir: "" }'),
      refusal('listen: :8081', { TENANTWIRE_QUEUE_MAX_SHARDS: '10' }),
    ]) {
      expect(e.message).toContain('queue.dir');
      expect(e.message).toContain('TENANTWIRE_QUEUE_DIR');
    }
  });
});

describe('queue refusals name the key', () => {
  it('an unknown key, with its line', () => {
    const e = refusal('queue:\n  dir: /q\n  max_shard: 10\n');
    expect(e.code).toBe('unknown_key');
    expect(e.message).toContain('test.yml:3: queue.max_shard: unknown key');
  });

  it.each([
    ['max_disk_bytes', 'lots'],
    ['max_disk_bytes', 0],
    ['max_tenant_disk_bytes', '-1MiB'],
    ['max_samples_per_send', 0],
    ['max_samples_per_send', 1.5],
    ['batch_send_deadline', '0s'],
    ['batch_send_deadline', 5],
    ['min_backoff', 'soon'],
    ['max_backoff', '0s'],
    ['min_shards', 0],
    ['max_shards', 'many'],
    ['retry_on_http_429', 'maybe'],
    ['capacity', -1],
    ['dir', ['a', 'b']],
  ])('%s: %j', (key, value) => {
    const dir = key === 'dir' ? '' : '  dir: /q\n';
    const e = refusal(`queue:\n${dir}  ${key}: ${JSON.stringify(value)}\n`);
    expect(e.code).toBe('invalid_value');
    expect(e.message).toMatch(new RegExp(`test\\.yml:\\d: queue\\.${key}: `));
  });

  it('an invalid variable, naming it', () => {
    for (const [env, raw] of [
      ['TENANTWIRE_QUEUE_MAX_DISK_BYTES', 'lots'],
      ['TENANTWIRE_QUEUE_CAPACITY', '1e3'],
      ['TENANTWIRE_QUEUE_MIN_BACKOFF', '30'],
      ['TENANTWIRE_QUEUE_RETRY_ON_HTTP_429', 'maybe'],
    ] as const) {
      expect(refusal('queue: { dir: /q }', { [env]: raw }).message).toContain(env);
    }
  });

  it('min_shards above max_shards, set or default', () => {
    expect(refusal('queue: { dir: /q, min_shards: 9, max_shards: 8 }').message).toMatch(
      /queue\.min_shards: .*queue\.min_shards \(9\) must not exceed queue\.max_shards \(8\)/,
    );
    expect(refusal('queue: { dir: /q, min_shards: 51 }').message).toContain('queue.max_shards (50, the default)');
    expect(refusal('queue: { dir: /q, max_shards: 0 }').message).toContain('queue.max_shards');
    expect(load('queue: { dir: /q, min_shards: 8, max_shards: 8 }').queue?.config.minShards).toBe(8);
  });

  it('min_backoff above max_backoff, set or default', () => {
    expect(refusal('queue: { dir: /q, min_backoff: 2s, max_backoff: 1s }').message).toContain(
      'queue.min_backoff (2s) must not exceed queue.max_backoff (1s)',
    );
    const e = refusal('queue: { dir: /q, max_backoff: 10ms }');
    expect(e.message).toContain('queue.max_backoff: queue.min_backoff (30ms, the default) must not exceed');
  });

  it('max_tenant_disk_bytes above max_disk_bytes, set or default', () => {
    expect(refusal('queue: { dir: /q, max_disk_bytes: 1MiB, max_tenant_disk_bytes: 2MiB }').message).toMatch(
      /queue\.max_tenant_disk_bytes: .*must not exceed queue\.max_disk_bytes \(1048576\)/,
    );
    expect(refusal('queue: { dir: /q, max_tenant_disk_bytes: 2GiB }').message).toContain(
      `queue.max_disk_bytes (${GIB}, the default)`,
    );
    expect(load('queue: { dir: /q, max_tenant_disk_bytes: 1GiB }').queue?.maxTenantDiskBytes).toBe(GIB);
  });
});
