/**
 * `prometheus.remote_write`'s `wal` argument: parsed to an absolute directory and two byte
 * bounds (sizes as numbers or strings), strict, refusals naming the argument's path.
 */
import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  durableQueueConfigOf,
  type RemoteWriteArgsInput,
  remoteWriteArgsSchema,
} from '../../../src/component/remote-write/arguments.js';
import { DEFAULT_MAX_DISK_BYTES, DEFAULT_QUEUE_CONFIG } from '../../../src/queue/config-defaults.js';
import { configErrorFromZod } from '../../../src/zod-errors.js';

const GIB = 1024 ** 3;
const endpoint = [{ url: 'http://127.0.0.1:9/api/v1/push' }];

const parse = (wal: unknown) => remoteWriteArgsSchema.parse({ endpoint, wal } as RemoteWriteArgsInput).wal;

/** The message the pipeline host shows for these arguments. */
function refusal(wal: unknown): string {
  const r = remoteWriteArgsSchema.safeParse({ endpoint, wal });
  if (r.success) throw new Error(`expected a refusal of ${JSON.stringify(wal)}`);
  return configErrorFromZod(r.error, 'prometheus.remote_write.cortex').message;
}

describe('prometheus.remote_write wal', () => {
  it('is unset by default: the queues stay in memory', () => {
    expect(remoteWriteArgsSchema.parse({ endpoint }).wal).toBeUndefined();
  });

  it('defaults to 1GiB on disk and half of it per tenant', () => {
    expect(parse({ dir: '/var/lib/tw-wal' })).toEqual({
      dir: '/var/lib/tw-wal',
      max_disk_bytes: GIB,
      max_tenant_disk_bytes: GIB / 2,
    });
    expect(DEFAULT_MAX_DISK_BYTES).toBe(GIB);
    expect(parse({ dir: '/w', max_disk_bytes: '6GiB' })?.max_tenant_disk_bytes).toBe(3 * GIB);
  });

  it('takes sizes as bytes or as size strings, read as the drop-in reads them', () => {
    expect(parse({ dir: '/w', max_disk_bytes: 1_000_000, max_tenant_disk_bytes: '100KB' })).toMatchObject({
      max_disk_bytes: 1_000_000,
      max_tenant_disk_bytes: 100_000,
    });
    expect(parse({ dir: '/w', max_disk_bytes: '2GiB', max_tenant_disk_bytes: '512MiB' })).toMatchObject({
      max_disk_bytes: 2 * GIB,
      max_tenant_disk_bytes: 512 * 1024 ** 2,
    });
  });

  it('resolves a relative dir against the working directory', () => {
    expect(parse({ dir: 'wal' })?.dir).toBe(resolve('wal'));
    expect(parse({ dir: './a/../b' })?.dir).toBe(resolve('b'));
  });

  it.each([
    [{ dir: '/w', max_disk_bytes: 'lots' }, 'wal.max_disk_bytes'],
    [{ dir: '/w', max_disk_bytes: 0 }, 'wal.max_disk_bytes'],
    [{ dir: '/w', max_disk_bytes: 1.5 }, 'wal.max_disk_bytes'],
    [{ dir: '/w', max_tenant_disk_bytes: '1TB' }, 'wal.max_tenant_disk_bytes'],
    [{ dir: '' }, 'wal.dir'],
    [{ dir: 7 }, 'wal.dir'],
    [{ max_disk_bytes: '1GiB' }, 'wal.dir'],
  ])('refuses %j naming %s', (wal, key) => {
    expect(refusal(wal)).toContain(`prometheus.remote_write.cortex.${key}: `);
  });

  it('refuses an unknown key, naming it', () => {
    expect(refusal({ dir: '/w', max_disk: '1GiB' })).toContain(
      'prometheus.remote_write.cortex.wal: unknown key "max_disk"',
    );
  });

  it('refuses a tenant share above the whole, set or default', () => {
    const share = 'prometheus.remote_write.cortex.wal.max_tenant_disk_bytes: ';
    expect(refusal({ dir: '/w', max_disk_bytes: '1MiB', max_tenant_disk_bytes: '2MiB' })).toContain(share);
    expect(refusal({ dir: '/w', max_tenant_disk_bytes: '2GiB' })).toContain(share);
    expect(parse({ dir: '/w', max_tenant_disk_bytes: '1GiB' })?.max_tenant_disk_bytes).toBe(GIB);
  });
});

describe('queue_config', () => {
  it("defaults to Prometheus' values, from the one place the drop-in's queue block takes them", () => {
    const q = remoteWriteArgsSchema.parse({ endpoint }).queue_config;
    expect(durableQueueConfigOf(q)).toEqual(DEFAULT_QUEUE_CONFIG);
    expect(DEFAULT_QUEUE_CONFIG).toEqual({
      capacity: 10_000,
      minShards: 1,
      maxShards: 50,
      maxSamplesPerSend: 2_000,
      batchSendDeadlineMs: 5_000,
      minBackoffMs: 30,
      maxBackoffMs: 5_000,
      retryOnHttp429: true,
    });
  });

  it('is what the durable queue takes, key for key', () => {
    const q = remoteWriteArgsSchema.parse({
      endpoint,
      queue_config: {
        capacity: 7,
        min_shards: 2,
        max_shards: 3,
        max_samples_per_send: 11,
        batch_send_deadline: '2s',
        min_backoff: '50ms',
        max_backoff: '1m',
        retry_on_http_429: false,
      },
    }).queue_config;
    expect(durableQueueConfigOf(q)).toEqual({
      capacity: 7,
      minShards: 2,
      maxShards: 3,
      maxSamplesPerSend: 11,
      batchSendDeadlineMs: 2_000,
      minBackoffMs: 50,
      maxBackoffMs: 60_000,
      retryOnHttp429: false,
    });
  });
});
