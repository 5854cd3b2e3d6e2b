import { afterEach, describe, expect, it } from 'vitest';
import { QueueFullError, QueueIoError, toQueueError } from '../../src/queue/queue-errors.js';
import { splitForShards } from '../../src/queue/shard-split.js';
import { encodeWriteRequest } from '../../src/wire/encode-v1.js';
import { TenantwireError } from '../../src/errors.js';
import { decodeWriteRequest } from '../../src/wire/decode-v1.js';
import { sample, series } from '../helpers/series.js';
import { createMemoryWalStore, openMemoryWal } from '../helpers/memory-wal.js';
import { pieceOf, startHarness, type Harness } from './queue-harness.js';

const piece = (tenant: string, n = 1) =>
  pieceOf(
    tenant,
    Array.from({ length: n }, (_, i) => series({ __name__: 'm', id: String(i) })),
  );

describe('enqueue errors', () => {
  let h: Harness | undefined;
  afterEach(async () => {
    await h?.close();
    h = undefined;
  });

  it('refuses past the tenant bound with queue_full and writes nothing of the call', async () => {
    const store = createMemoryWalStore();
    h = await startHarness({ store, wal: openMemoryWal(store, { maxTenantDiskBytes: 200 }) });
    await h.queue.enqueue([piece('a')]);
    const err = await h.queue.enqueue([piece('b'), piece('a', 200)]).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(QueueFullError);
    expect(err).toMatchObject({ code: 'queue_full', scope: 'tenant', tenant: 'a', retryAfterMs: 1_000 });
    expect(h.wal.log('a').pendingRecords).toBe(1);
    expect(h.wal.log('b').pendingRecords).toBe(0);
  });

  it('maps a disk error to queue_io and keeps working after it', async () => {
    const store = createMemoryWalStore();
    let fail = true;
    const wal = openMemoryWal(store, {
      beforeSync: () => {
        if (fail) throw new TenantwireError('wal_io', 'ENOSPC: no space left on device');
      },
    });
    h = await startHarness({ store, wal, config: { batchSendDeadlineMs: 0 } });
    await expect(h.queue.enqueue([piece('a')])).rejects.toBeInstanceOf(QueueIoError);
    fail = false;
    await h.queue.enqueue([piece('a')]);
    expect(h.wal.log('a').pendingRecords).toBe(1);
  });

  it('maps unknown errors to queue_io and wal_full without a hint to a default Retry-After', () => {
    expect(toQueueError(new Error('boom')).code).toBe('queue_io');
    const full = toQueueError(Object.assign(new Error('full'), { code: 'wal_full', scope: 'total' }));
    expect(full).toMatchObject({ code: 'queue_full', scope: 'total' });
    expect((full as QueueFullError).retryAfterMs).toBeGreaterThan(0);
    expect(toQueueError(Object.assign(new Error('closed'), { code: 'wal_closed' })).code).toBe('queue_closed');
  });
});

describe('splitting a record for shards', () => {
  const req = {
    timeseries: Array.from({ length: 40 }, (_, i) =>
      series({ __name__: 'm', id: String(i) }, [sample(i, 1), sample(i, 2)]),
    ),
    metadata: [{ type: 1 as const, metricFamilyName: 'm', help: 'h', unit: '' }],
  };
  const body = encodeWriteRequest(req);

  it('puts a series on the same shard every time, and metadata on shard 0', () => {
    const a = splitForShards(body, 4, 1_000);
    const b = splitForShards(encodeWriteRequest({ ...req, timeseries: [...req.timeseries].reverse() }), 4, 1_000);
    const shardOf = (chunks: typeof a) => {
      const m = new Map<string, number>();
      for (const c of chunks)
        for (const s of decodeWriteRequest(c.bytes).timeseries) m.set(s.labels[1]!.value, c.shard);
      return m;
    };
    expect(shardOf(a)).toEqual(shardOf(b));
    expect(new Set(shardOf(a).values()).size).toBeGreaterThan(1);
    expect(a.filter((c) => decodeWriteRequest(c.bytes).metadata.length > 0).map((c) => c.shard)).toEqual([0]);
    expect(a.reduce((n, c) => n + c.samples, 0)).toBe(80);
  });

  it('keeps the body as it is for one shard under the batch size', () => {
    const [only, ...rest] = splitForShards(body, 1, 1_000);
    expect(rest).toHaveLength(0);
    expect(only!.bytes).toBe(body);
    expect(only!.samples).toBe(80);
  });
});
