import { afterEach, describe, expect, it } from 'vitest';
import { decodeBody, sample, series } from '../helpers/series.js';
import { eventually } from '../helpers/eventually.js';
import { createMemoryWalStore, openMemoryWal } from '../helpers/memory-wal.js';
import { startRecordingUpstream, type RecordingUpstream } from '../helpers/recording-upstream.js';
import { pieceOf, startHarness, type Harness } from './queue-harness.js';

const ids = (up: RecordingUpstream, tenant: string) =>
  up.received
    .filter((r) => r.tenant === tenant)
    .flatMap((r) => decodeBody(r.body).timeseries.map((s) => s.labels.find((l) => l.name === 'id')!.value));
const piece = (tenant: string, id: string) => pieceOf(tenant, [series({ __name__: 'm', id }, [sample(1, 1_000)])]);

describe('restart over the same log', () => {
  const open: Harness[] = [];
  let up: RecordingUpstream | undefined;
  afterEach(async () => {
    for (const h of open.splice(0)) await h.close();
    await up?.close();
    up = undefined;
  });

  it('delivers what a stopped queue left, and never sends an acked record again', async () => {
    up = await startRecordingUpstream();
    const store = createMemoryWalStore();
    const first = await startHarness({ store, upstream: up });
    open.push(first);
    await first.queue.enqueue([piece('a', 'a1'), piece('b', 'b1')]);
    await first.queue.enqueue([piece('a', 'a2')]);
    await first.queue.stop(1_000); // never started: nothing delivered
    await expect(first.queue.enqueue([piece('a', 'late')])).rejects.toMatchObject({ code: 'queue_closed' });
    expect(up.received).toHaveLength(0);

    const second = await startHarness({ store, upstream: up, config: { batchSendDeadlineMs: 0 } });
    open.push(second);
    second.queue.start();
    await eventually(() => ids(up!, 'a').length === 2 && ids(up!, 'b').length === 1, {
      message: 'the replayed records',
    });
    expect(ids(up, 'a')).toEqual(['a1', 'a2']);
    await second.queue.enqueue([piece('a', 'a3')]);
    await eventually(() => ids(up!, 'a').length === 3, { message: 'a3' });
    await eventually(() => second.wal.log('a').pendingRecords === 0 && second.wal.log('b').pendingRecords === 0);
    expect(await second.metric('prometheus_remote_storage_samples_pending', { tenant: 'a' })).toBe(0);
    await second.queue.stop(1_000);

    const third = await startHarness({ store, upstream: up, config: { batchSendDeadlineMs: 0 } });
    open.push(third);
    third.queue.start();
    await third.queue.enqueue([piece('a', 'a4'), piece('b', 'b2')]);
    await eventually(() => ids(up!, 'a').length >= 4 && ids(up!, 'b').length >= 2, { message: 'the new records' });
    expect(ids(up, 'a')).toEqual(['a1', 'a2', 'a3', 'a4']);
    expect(ids(up, 'b')).toEqual(['b1', 'b2']);
  });

  it('counts replayed records in the pending gauge until they are delivered', async () => {
    const store = createMemoryWalStore();
    const first = await startHarness({ store });
    open.push(first);
    await first.queue.enqueue([piece('a', 'a1'), piece('a', 'a2')]);
    await first.queue.stop(0);
    const second = await startHarness({ store, config: { batchSendDeadlineMs: 0 } });
    open.push(second);
    second.upstream!.replies = { a: { status: 503 } };
    second.queue.start();
    await eventually(
      async () => (await second.metric('prometheus_remote_storage_samples_pending', { tenant: 'a' })) === 2,
    );
    expect(await second.metric('tenantwire_queue_pending_records', { tenant: 'a' })).toBe(2);
    second.upstream!.replies = {};
    await eventually(
      async () => (await second.metric('prometheus_remote_storage_samples_pending', { tenant: 'a' })) === 0,
    );
  });
});

describe('stop with a deadline', () => {
  const open: Harness[] = [];
  afterEach(async () => {
    for (const h of open.splice(0)) await h.close();
  });

  it('flushes partial batches, delivers what it can, returns in time and leaves the rest for the next start', async () => {
    const store = createMemoryWalStore();
    const h = await startHarness({ store, config: { batchSendDeadlineMs: 600_000 } });
    open.push(h);
    const up = h.upstream!;
    let release: () => void = () => {};
    up.replies = { slow: { status: 204, until: new Promise<void>((r) => (release = r)) } };
    h.queue.start();
    await h.queue.enqueue([piece('fast', 'f1'), piece('slow', 's1')]);
    const t0 = Date.now();
    await h.queue.stop(300);
    const took = Date.now() - t0;
    release();
    expect(took).toBeGreaterThanOrEqual(250);
    expect(took).toBeLessThan(5_000);
    expect(ids(up, 'fast')).toEqual(['f1']);
    expect(store.logs.get('fast')!.delivered).toBeDefined();
    expect(openMemoryWal(store).log('slow').pendingRecords).toBe(1);
    expect((h.wal as { closed?: boolean }).closed).toBe(true);

    const next = await startHarness({ store, upstream: up, config: { batchSendDeadlineMs: 0 } });
    open.push(next);
    up.replies = {};
    next.queue.start();
    await eventually(() => next.wal.log('slow').pendingRecords === 0, { message: 'the slow record on the next start' });
    expect(ids(up, 'fast')).toEqual(['f1']);
  });

  it('returns as soon as everything is delivered, well before the deadline', async () => {
    const h = await startHarness({ config: { batchSendDeadlineMs: 600_000 } });
    open.push(h);
    h.queue.start();
    await h.queue.enqueue([piece('a', 'a1')]);
    await h.queue.stop(60_000);
    expect(ids(h.upstream!, 'a')).toEqual(['a1']);
  });
});
