import { afterEach, describe, expect, it, vi } from 'vitest';
import type { Transport, TransportRequest, TransportResult } from '../../src/transport/types.js';
import { decodeBody, sample, series } from '../helpers/series.js';
import { eventually } from '../helpers/eventually.js';
import { pieceOf, startHarness, type Harness } from './queue-harness.js';

const fourSamples = (id: string, t: number) =>
  series(
    { __name__: 'm', id },
    [0, 1, 2, 3].map((i) => sample(i, t + i)),
  );
const samplesIn = (body: Uint8Array) => decodeBody(body).timeseries.reduce((n, s) => n + s.samples.length, 0);

/** A transport that answers from a script and keeps every request; no sockets, for fake timers. */
function scriptedTransport(answer: (n: number) => TransportResult) {
  const sent: TransportRequest[] = [];
  const transport: Transport = {
    async send(req) {
      sent.push(req);
      return answer(sent.length);
    },
    async close() {},
  };
  return { transport, sent };
}

const reply = (status: number, retryAfterMs?: number): TransportResult => ({
  kind: 'response',
  status,
  headers: {},
  body: new Uint8Array(),
  ...(retryAfterMs === undefined ? {} : { retryAfterMs }),
});

describe('batching across enqueues', () => {
  let h: Harness | undefined;
  afterEach(async () => {
    vi.useRealTimers();
    await h?.close();
    h = undefined;
  });

  it('concatenates pieces up to maxSamplesPerSend, and the deadline flushes the rest', async () => {
    h = await startHarness({ config: { maxSamplesPerSend: 10, batchSendDeadlineMs: 50 } });
    for (let i = 0; i < 5; i++) await h.queue.enqueue([pieceOf('a', [fourSamples(`s${i}`, i * 10)])]);
    h.queue.start();
    const up = h.upstream!;
    await eventually(() => up.received.length === 3, { message: 'three batches' });
    expect(up.received.map((r) => samplesIn(r.body))).toEqual([8, 8, 4]);
    expect(
      decodeBody(up.received[0]!.body).timeseries.map((s) => s.labels.find((l) => l.name === 'id')?.value),
    ).toEqual(['s0', 's1']);
  });

  it('sends a full batch at once, before the deadline, when enqueues fill it', async () => {
    h = await startHarness({ config: { maxSamplesPerSend: 8, batchSendDeadlineMs: 600_000 } });
    h.queue.start();
    await h.queue.enqueue([pieceOf('a', [fourSamples('x', 0)])]);
    await h.queue.enqueue([pieceOf('a', [fourSamples('y', 0)])]);
    const up = h.upstream!;
    await eventually(() => up.received.length === 1, { message: 'the full batch' });
    expect(samplesIn(up.received[0]!.body)).toBe(8);
  });

  it('cuts one large piece into batches of at most maxSamplesPerSend (whole series)', async () => {
    h = await startHarness({ config: { maxSamplesPerSend: 8 } });
    await h.queue.enqueue([
      pieceOf(
        'a',
        [0, 1, 2, 3, 4].map((i) => fourSamples(`s${i}`, 0)),
      ),
    ]);
    h.queue.start();
    const up = h.upstream!;
    await eventually(() => up.received.reduce((n, r) => n + samplesIn(r.body), 0) === 20, {
      message: 'all 20 samples',
    });
    expect(up.received.map((r) => samplesIn(r.body))).toEqual([8, 8, 4]);
    await eventually(() => h!.wal.log('a').pendingRecords === 0, { message: 'the record acked' });
  });

  it('waits batchSendDeadlineMs for a partial batch (fake timers)', async () => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'Date'] });
    const s = scriptedTransport(() => reply(204));
    h = await startHarness({ transport: s.transport, config: { maxSamplesPerSend: 100, batchSendDeadlineMs: 5_000 } });
    h.queue.start();
    await h.queue.enqueue([pieceOf('a', [fourSamples('x', 0)])]);
    await vi.advanceTimersByTimeAsync(4_900);
    expect(s.sent).toHaveLength(0);
    await vi.advanceTimersByTimeAsync(200);
    expect(s.sent).toHaveLength(1);
  });
});

describe('retries and drops', () => {
  let h: Harness | undefined;
  afterEach(async () => {
    vi.useRealTimers();
    await h?.close();
    h = undefined;
  });

  it('honours Retry-After on a 503, capped at five minutes', async () => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'Date'] });
    const s = scriptedTransport((n) => (n === 1 ? reply(503, 30_000) : n === 2 ? reply(429, 3_600_000) : reply(204)));
    h = await startHarness({ transport: s.transport, config: { batchSendDeadlineMs: 0 } });
    h.queue.start();
    await h.queue.enqueue([pieceOf('a', [fourSamples('x', 0)])]);
    await vi.advanceTimersByTimeAsync(10);
    expect(s.sent).toHaveLength(1);
    await vi.advanceTimersByTimeAsync(29_900);
    expect(s.sent).toHaveLength(1);
    await vi.advanceTimersByTimeAsync(200);
    expect(s.sent).toHaveLength(2);
    await vi.advanceTimersByTimeAsync(5 * 60_000 - 300);
    expect(s.sent).toHaveLength(2);
    await vi.advanceTimersByTimeAsync(400);
    expect(s.sent).toHaveLength(3);
    expect(h.wal.log('a').pendingRecords).toBe(0);
    expect(await h.metric('prometheus_remote_storage_samples_retried_total', { tenant: 'a' })).toBe(8);
  });

  it('drops a batch the upstream refuses with 400, counts and logs it, acks it, and goes on', async () => {
    h = await startHarness({ config: { batchSendDeadlineMs: 0 } });
    const up = h.upstream!;
    up.validate = (body) =>
      samplesIn(body) === 4 && decodeBody(body).timeseries[0]!.labels.some((l) => l.value === 'bad')
        ? { status: 400, body: 'out of order' }
        : undefined;
    h.queue.start();
    await h.queue.enqueue([pieceOf('a', [fourSamples('bad', 0)])]);
    await eventually(() => up.received.length === 1, { message: 'the refused batch' });
    await h.queue.enqueue([pieceOf('a', [series({ __name__: 'm', id: 'good' })])]);
    await eventually(() => up.received.length === 2, { message: 'the next batch' });
    await eventually(
      async () =>
        (await h!.metric('tenantwire_queue_samples_dropped_total', { tenant: 'a', reason: 'upstream_rejected' })) === 4,
    );
    expect(await h.metric('prometheus_remote_storage_samples_failed_total', { tenant: 'a' })).toBe(4);
    await eventually(() => h!.wal.log('a').pendingRecords === 0, { message: 'both acked' });
    expect(h.logLines.some((l) => l.includes('out of order') && l.includes('"tenant":"a"'))).toBe(true);
  });

  it('does not retry a 429 when retryOnHttp429 is off', async () => {
    h = await startHarness({ config: { batchSendDeadlineMs: 0, retryOnHttp429: false } });
    const up = h.upstream!;
    up.replies = { a: { status: 429 } };
    h.queue.start();
    await h.queue.enqueue([pieceOf('a', [fourSamples('x', 0)])]);
    await eventually(() => h!.wal.log('a').pendingRecords === 0, { message: 'the batch dropped and acked' });
    expect(up.received).toHaveLength(1);
  });
});
