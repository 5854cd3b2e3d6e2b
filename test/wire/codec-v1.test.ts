import { describe, expect, it } from 'vitest';
import { decodeWriteRequest } from '../../src/wire/decode-v1.js';
import { encodeWriteRequest } from '../../src/wire/encode-v1.js';
import { STALE_NAN_BITS, type WriteRequest } from '../../src/wire/types.js';
import { generateRequest, sampleHistogram } from '../fixtures/wire/generate.js';
import { canonical, pbDecodeV1Canonical, pbEncodeV1, PbWriteRequest } from './helpers/oracle.js';

const hex = (b: Uint8Array) => Buffer.from(b).toString('hex');

function f64Bits(bytes: Uint8Array, at: number): bigint {
  return new DataView(bytes.buffer, bytes.byteOffset).getBigUint64(at, true);
}

describe('1.0 codec against protobufjs', () => {
  const req = generateRequest({ seriesCount: 300 });

  it('encodes byte-identically to protobufjs', () => {
    expect(hex(encodeWriteRequest(req))).toBe(hex(pbEncodeV1(req)));
  });

  it('decodes protobufjs bytes to the same message', () => {
    const bytes = pbEncodeV1(req);
    expect(canonical(decodeWriteRequest(bytes))).toBe(pbDecodeV1Canonical(bytes));
    expect(canonical(decodeWriteRequest(bytes))).toBe(canonical(req));
  });

  it('round-trips histograms, exemplars and metadata', () => {
    const rich = generateRequest({ seriesCount: 5, rich: true });
    const ours = encodeWriteRequest(rich);
    expect(canonical(decodeWriteRequest(ours))).toBe(canonical(rich));
    expect(pbDecodeV1Canonical(ours)).toBe(canonical(rich));
  });
});

describe('exactness', () => {
  it('keeps the stale marker bits through decode and encode', () => {
    const req: WriteRequest = {
      timeseries: [
        {
          labels: [{ name: '__name__', value: 'up' }],
          samples: [{ value: Number.NaN, valueBits: STALE_NAN_BITS, timestamp: 5 }],
          exemplars: [{ labels: [], value: Number.NaN, valueBits: STALE_NAN_BITS, timestamp: 5 }],
          histograms: [{ ...sampleHistogram(5), sum: Number.NaN, sumBits: STALE_NAN_BITS }],
        },
      ],
      metadata: [],
    };
    const bytes = encodeWriteRequest(req);
    const i = Buffer.from(bytes).indexOf(Buffer.from('09020000000000f07f', 'hex'));
    expect(i).toBeGreaterThan(0);
    const back = decodeWriteRequest(bytes);
    const s = back.timeseries[0]!;
    expect(s.samples[0]!.valueBits).toBe(STALE_NAN_BITS);
    expect(s.exemplars[0]!.valueBits).toBe(STALE_NAN_BITS);
    expect(s.histograms[0]!.sumBits).toBe(STALE_NAN_BITS);
    expect(hex(encodeWriteRequest(back))).toBe(hex(bytes));
    expect(f64Bits(bytes, i + 1)).toBe(STALE_NAN_BITS);
  });

  it('keeps 64-bit histogram integers past 2^53 and negative timestamps', () => {
    const big = 2n ** 63n + 12345n;
    const req: WriteRequest = {
      timeseries: [
        {
          labels: [{ name: '__name__', value: 'h' }],
          samples: [
            { value: 1, timestamp: -1 },
            { value: 2, timestamp: -(2 ** 53 - 1) },
            { value: 3, timestamp: 2 ** 53 - 1 },
          ],
          exemplars: [],
          histograms: [
            {
              ...sampleHistogram(-1_000),
              countInt: 2n ** 64n - 1n,
              zeroCountInt: big,
              positiveDeltas: [-(2n ** 63n), 2n ** 63n - 1n, 2n ** 53n + 1n, -(2n ** 53n) - 1n],
            },
          ],
        },
      ],
      metadata: [],
    };
    const bytes = encodeWriteRequest(req);
    expect(hex(bytes)).toBe(hex(pbEncodeV1(req)));
    const back = decodeWriteRequest(bytes);
    expect(canonical(back)).toBe(canonical(req));
    expect(back.timeseries[0]!.samples.map((s) => s.timestamp)).toEqual([-1, -(2 ** 53 - 1), 2 ** 53 - 1]);
    expect(back.timeseries[0]!.histograms[0]!.zeroCountInt).toBe(big);
    // a negative int64 is a 10-byte varint
    expect(hex(bytes)).toContain('10ffffffffffffffffff01');
  });

  it('refuses timestamps outside ±(2^53-1) instead of rounding them', () => {
    const m = PbWriteRequest.fromObject({ timeseries: [{ samples: [{ value: 1, timestamp: '9007199254740993' }] }] });
    const bytes = PbWriteRequest.encode(m).finish();
    expect(() => decodeWriteRequest(bytes)).toThrowError(expect.objectContaining({ code: 'int64_out_of_range' }));
  });
});

describe('packed and unpacked repeated scalars, unknown fields', () => {
  it('accepts unpacked deltas and counts, mixed with packed runs', () => {
    // Histogram: positive_deltas unpacked (field 12, wt 0) 3 times: zigzag 2 -> 1, 3 -> -2, 4 -> 2
    // then a packed run [1] (zigzag 2); positive_counts unpacked (field 13, wt 1) then packed.
    const one = [0, 0, 0, 0, 0, 0, 0xf0, 0x3f]; // 1.0
    const hist = [0x60, 0x02, 0x60, 0x03, 0x60, 0x04, 0x62, 0x01, 0x02, 0x69, ...one, 0x6a, 0x08, ...one];
    const series = [0x22, hist.length, ...hist];
    const body = Uint8Array.from([0x0a, series.length, ...series]);
    const h = decodeWriteRequest(body).timeseries[0]!.histograms[0]!;
    expect(h.positiveDeltas).toEqual([1n, -2n, 2n, 1n]);
    expect(Array.from(h.positiveCounts)).toEqual([1, 1]);
    expect(pbDecodeV1Canonical(body)).toBe(canonical(decodeWriteRequest(body)));
  });

  it('skips unknown fields of every wire type at every level', () => {
    const req = generateRequest({ seriesCount: 2, rich: true });
    const bytes = encodeWriteRequest(req);
    const unknown = [
      0xa0, 0x06, 0x01, 0xa9, 0x06, 1, 2, 3, 4, 5, 6, 7, 8, 0xa2, 0x06, 0x02, 0x00, 0x00, 0xad, 0x06, 1, 2, 3, 4,
    ];
    // unknown fields at top level, before and after the series
    const withUnknown = Uint8Array.from([...unknown, ...bytes, ...unknown]);
    expect(canonical(decodeWriteRequest(withUnknown))).toBe(canonical(req));
    // and inside a label and a sample
    const label = [0x0a, 0x01, 0x61, ...unknown, 0x12, 0x01, 0x62];
    const sample = [0x09, 0, 0, 0, 0, 0, 0, 0xf0, 0x3f, ...unknown, 0x10, 0x05];
    const s = [0x0a, label.length, ...label, 0x12, sample.length, ...sample, ...unknown];
    const decoded = decodeWriteRequest(Uint8Array.from([0x0a, s.length, ...s]));
    expect(decoded.timeseries[0]).toEqual({
      labels: [{ name: 'a', value: 'b' }],
      samples: [{ value: 1, timestamp: 5 }],
      exemplars: [],
      histograms: [],
    });
  });
});
