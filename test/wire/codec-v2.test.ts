import { describe, expect, it } from 'vitest';
import { decodeRequestV2 } from '../../src/wire/decode-v2.js';
import { encodeRequestV2 } from '../../src/wire/encode-v2.js';
import { v1ToV2, v2ToV1 } from '../../src/wire/convert.js';
import { encodeWriteRequest } from '../../src/wire/encode-v1.js';
import { decodeWriteRequest } from '../../src/wire/decode-v1.js';
import { STALE_NAN_BITS, type RequestV2 } from '../../src/wire/types.js';
import { generateRequest } from '../fixtures/wire/generate.js';
import { canonical, pbDecodeV2Canonical, pbEncodeV2, PbRequestV2 } from './helpers/oracle.js';

const hex = (b: Uint8Array) => Buffer.from(b).toString('hex');

function code(f: () => unknown): string | undefined {
  try {
    f();
  } catch (e) {
    return (e as { code?: string }).code;
  }
  return undefined;
}

describe('2.0 codec against protobufjs', () => {
  const v1 = generateRequest({ seriesCount: 50, rich: true });
  const v2 = v1ToV2(v1);

  it('builds a deduplicated symbol table starting with ""', () => {
    expect(v2.symbols[0]).toBe('');
    expect(new Set(v2.symbols).size).toBe(v2.symbols.length);
  });

  it('encodes byte-identically to protobufjs and decodes its bytes', () => {
    const noStale = v1ToV2(generateRequest({ seriesCount: 50 }));
    expect(hex(encodeRequestV2(noStale))).toBe(hex(pbEncodeV2(noStale)));
    const bytes = pbEncodeV2(noStale);
    expect(canonical(decodeRequestV2(bytes))).toBe(pbDecodeV2Canonical(bytes));
  });

  it('round-trips histograms, exemplars, metadata and start timestamps', () => {
    const withStart: RequestV2 = {
      ...v2,
      timeseries: v2.timeseries.map((s, i) => ({
        ...s,
        samples: s.samples.map((x) => ({ ...x, startTimestamp: i + 1 })),
        histograms: s.histograms.map((h) => ({ ...h, startTimestamp: -5 })),
      })),
    };
    const bytes = encodeRequestV2(withStart);
    expect(canonical(decodeRequestV2(bytes))).toBe(canonical(withStart));
    expect(pbDecodeV2Canonical(bytes)).toBe(canonical(withStart));
  });

  it('keeps the stale marker through v1 -> v2 -> bytes -> v2 -> v1 -> bytes', () => {
    const v1Bytes = encodeWriteRequest(v1);
    const back = v2ToV1(decodeRequestV2(encodeRequestV2(v1ToV2(decodeWriteRequest(v1Bytes)))));
    const stale = back.timeseries.find((s) => s.samples[0]?.valueBits !== undefined);
    expect(stale?.samples[0]?.valueBits).toBe(STALE_NAN_BITS);
    expect(hex(encodeWriteRequest(back))).toBe(hex(v1Bytes));
  });

  it('skips field 6 (created_timestamp) and reserved top-level fields', () => {
    const bytes = encodeRequestV2(v2);
    const extra = Uint8Array.from([0x08, 0x01, 0x12, 0x00, ...bytes]);
    expect(canonical(decodeRequestV2(extra))).toBe(canonical(decodeRequestV2(bytes)));
    // a series with field 6 (varint) inside: 0x2a len [0x30 0x07]
    const withCreated = Uint8Array.from([0x22, 0x00, 0x2a, 0x02, 0x30, 0x07]);
    expect(decodeRequestV2(withCreated).timeseries).toHaveLength(1);
  });

  it('1.0 bytes decode as an empty 2.0 request and vice versa', () => {
    expect(decodeRequestV2(encodeWriteRequest(generateRequest({ seriesCount: 3 }))).timeseries).toHaveLength(0);
    expect(decodeWriteRequest(encodeRequestV2(v2)).timeseries).toHaveLength(0);
  });
});

describe('2.0 refs', () => {
  const enc = (o: object) => PbRequestV2.encode(PbRequestV2.fromObject(o)).finish();

  it('rejects refs out of range, odd label refs and a non-empty first symbol', () => {
    expect(code(() => decodeRequestV2(enc({ symbols: ['', 'a'], timeseries: [{ labelsRefs: [1, 2] }] })))).toBe(
      'symbol_ref_out_of_range',
    );
    expect(code(() => decodeRequestV2(enc({ symbols: ['', 'a'], timeseries: [{ labelsRefs: [1] }] })))).toBe(
      'odd_label_refs',
    );
    expect(code(() => decodeRequestV2(enc({ symbols: ['x', 'a'], timeseries: [] })))).toBe('first_symbol_not_empty');
    expect(
      code(() =>
        decodeRequestV2(
          enc({ symbols: ['', 'a'], timeseries: [{ labelsRefs: [1, 1], exemplars: [{ labelsRefs: [1, 9] }] }] }),
        ),
      ),
    ).toBe('symbol_ref_out_of_range');
    expect(
      code(() =>
        decodeRequestV2(enc({ symbols: ['', 'a'], timeseries: [{ labelsRefs: [1, 1], metadata: { helpRef: 7 } }] })),
      ),
    ).toBe('symbol_ref_out_of_range');
    expect(
      code(() =>
        decodeRequestV2(enc({ symbols: ['', 'a'], timeseries: [{ labelsRefs: [1, 1], metadata: { unitRef: 2 } }] })),
      ),
    ).toBe('symbol_ref_out_of_range');
  });

  it('the encoder and v2ToV1 refuse bad refs too', () => {
    const bad: RequestV2 = {
      symbols: [''],
      timeseries: [
        {
          labelsRefs: [0, 3],
          samples: [],
          histograms: [],
          exemplars: [],
          metadata: { type: 0, helpRef: 0, unitRef: 0 },
        },
      ],
    };
    expect(code(() => encodeRequestV2(bad))).toBe('symbol_ref_out_of_range');
    expect(code(() => v2ToV1(bad))).toBe('symbol_ref_out_of_range');
  });

  it('accepts unpacked labels_refs', () => {
    const bytes = Uint8Array.from([0x22, 0x00, 0x22, 0x01, 0x61, 0x2a, 0x04, 0x08, 0x01, 0x08, 0x01]);
    expect(decodeRequestV2(bytes).timeseries[0]!.labelsRefs).toEqual([1, 1]);
  });
});

describe('conversions', () => {
  it('attaches v1 metadata by family name and back', () => {
    const v1 = generateRequest({ seriesCount: 2, rich: true });
    const v2 = v1ToV2(v1);
    const rpc = v2.timeseries.find((s) => v2.symbols[s.labelsRefs[1]!] === 'rpc_duration_seconds')!;
    expect(rpc.metadata.type).toBe(3);
    expect(v2.symbols[rpc.metadata.unitRef]).toBe('seconds');
    const back = v2ToV1(v2);
    expect(back.metadata.find((m) => m.metricFamilyName === 'rpc_duration_seconds')).toEqual({
      type: 3,
      metricFamilyName: 'rpc_duration_seconds',
      help: 'RPC latency.',
      unit: 'seconds',
    });
    expect(canonical(back.timeseries)).toBe(canonical(v1.timeseries));
  });
});
