import { afterEach, describe, expect, it } from 'vitest';
import { decodeRecord, encodeRecord, QueueRecordError, RECORD_HEADER_BYTES } from '../../src/queue/record.js';
import { v1ToV2 } from '../../src/wire/convert.js';
import { encodeRequestV2 } from '../../src/wire/encode-v2.js';
import { snappyCompress, snappyDecompress } from '../../src/wire/snappy.js';
import { STALE_NAN_BITS, type WriteRequest } from '../../src/wire/types.js';
import { generateRequest, sampleHistogram } from '../fixtures/wire/generate.js';
import { eventually } from '../helpers/eventually.js';
import { pieceOf, startHarness, type Harness } from './queue-harness.js';

const rich: WriteRequest = {
  timeseries: [
    ...generateRequest({ seriesCount: 4, rich: true }).timeseries,
    {
      labels: [{ name: '__name__', value: 'up' }],
      samples: [{ value: Number.NaN, valueBits: STALE_NAN_BITS, timestamp: 5 }],
      exemplars: [
        { labels: [{ name: 'trace_id', value: 'abc' }], value: Number.NaN, valueBits: STALE_NAN_BITS, timestamp: 5 },
      ],
      histograms: [{ ...sampleHistogram(5), sum: Number.NaN, sumBits: STALE_NAN_BITS }],
    },
  ],
  metadata: [{ type: 1, metricFamilyName: 'up', help: 'Is it up.', unit: '' }],
};

describe('queue record format', () => {
  it('round-trips the header and stores 1.0 bodies compressed', () => {
    const piece = pieceOf('a', rich);
    const payload = encodeRecord(piece, 1_700_000_000_123);
    const r = decodeRecord(payload);
    expect(r).toMatchObject({
      version: '1.0',
      compressed: true,
      series: piece.series,
      samples: piece.samples,
      histograms: piece.histograms,
      exemplars: piece.exemplars,
      appendedAtMs: 1_700_000_000_123,
    });
    expect(Buffer.from(snappyDecompress(r.body)).equals(Buffer.from(piece.raw!))).toBe(true);
  });

  it('keeps a given snappy body as it is', () => {
    const body = snappyCompress(encodeRequestV2(v1ToV2(rich)));
    const r = decodeRecord(
      encodeRecord({ tenant: 'a', version: '2.0', body, series: 5, samples: 1, histograms: 1, exemplars: 1 }, 1),
    );
    expect(r.version).toBe('2.0');
    expect(Buffer.from(r.body).equals(Buffer.from(body))).toBe(true);
  });

  it.each([
    ['short', (p: Uint8Array) => p.subarray(0, 10)],
    ['unknown format', (p: Uint8Array) => Object.assign(p.slice(), { 0: 9 })],
    ['unknown protocol', (p: Uint8Array) => Object.assign(p.slice(), { 1: 3 })],
    ['unknown flags', (p: Uint8Array) => Object.assign(p.slice(), { 2: 0x81 })],
    ['truncated body', (p: Uint8Array) => p.subarray(0, p.length - 1)],
    ['trailing bytes', (p: Uint8Array) => Uint8Array.from([...p, 0])],
  ])('refuses a record that is %s', (_name, spoil) => {
    const payload = encodeRecord(pieceOf('a', rich), 1);
    expect(() => decodeRecord(spoil(payload))).toThrow(QueueRecordError);
  });

  it('refuses a piece with no body', () => {
    expect(() =>
      encodeRecord({ tenant: 'a', version: '1.0', series: 0, samples: 0, histograms: 0, exemplars: 0 }, 1),
    ).toThrow(/neither raw nor body/);
  });
});

describe('records delivered through the queue', () => {
  let h: Harness | undefined;
  afterEach(async () => {
    await h?.close();
    h = undefined;
  });

  it('sends a 1.0 piece byte-exactly (metadata, exemplars, histograms, stale NaN bits)', async () => {
    h = await startHarness();
    const piece = pieceOf('team-a', rich);
    await h.queue.enqueue([piece]);
    h.queue.start();
    const up = h.upstream!;
    await eventually(() => up.received.length === 1, { message: 'the 1.0 request' });
    const got = up.received[0]!;
    expect(got.tenant).toBe('team-a');
    expect(got.headers['content-encoding']).toBe('snappy');
    expect(got.headers['x-prometheus-remote-write-version']).toBe('0.1.0');
    expect(Buffer.from(snappyDecompress(got.body)).equals(Buffer.from(piece.raw!))).toBe(true);
  });

  it('sends a 2.0 body as it is, one request per record', async () => {
    h = await startHarness();
    const bodies: Uint8Array[] = [
      snappyCompress(encodeRequestV2(v1ToV2(rich))),
      snappyCompress(encodeRequestV2(v1ToV2(generateRequest({ seriesCount: 3 })))),
    ];
    await h.queue.enqueue(
      bodies.map((body) => ({
        tenant: 'b',
        version: '2.0' as const,
        body,
        series: 1,
        samples: 1,
        histograms: 0,
        exemplars: 0,
      })),
    );
    h.queue.start();
    const up = h.upstream!;
    await eventually(() => up.received.length === 2, { message: 'two 2.0 requests' });
    expect(up.received.map((r) => Buffer.from(r.body).toString('hex'))).toEqual(
      bodies.map((b) => Buffer.from(b).toString('hex')),
    );
    expect(up.received[0]!.headers['content-type']).toContain('io.prometheus.write.v2.Request');
  });

  it('drops a corrupt record, counts it, and delivers the next one', async () => {
    h = await startHarness();
    const good = pieceOf('c', rich);
    await h.wal.append([{ tenant: 'c', payload: new Uint8Array(RECORD_HEADER_BYTES + 3).fill(7) }]);
    const bad1 = encodeRecord(good, 1);
    bad1.set([0xff, 0xff, 0xff], RECORD_HEADER_BYTES); // a broken snappy body under a good header
    await h.wal.append([{ tenant: 'c', payload: bad1 }]);
    await h.queue.enqueue([good]);
    h.queue.start();
    const up = h.upstream!;
    await eventually(() => up.received.length === 1, { message: 'the good record' });
    expect(await h.metric('tenantwire_queue_records_dropped_total', { tenant: 'c', reason: 'corrupt_record' })).toBe(2);
    expect(await h.metric('tenantwire_queue_samples_dropped_total', { tenant: 'c', reason: 'corrupt_record' })).toBe(
      good.samples + good.histograms + good.exemplars,
    );
    await eventually(() => h!.wal.log('c').pendingRecords === 0, { message: 'all three acked' });
  });
});
