import { describe, expect, it } from 'vitest';
import { decodeWriteRequest } from '../../src/wire/decode-v1.js';
import { decodeRequestV2 } from '../../src/wire/decode-v2.js';
import { encodeWriteRequest } from '../../src/wire/encode-v1.js';
import { scanWriteRequest } from '../../src/wire/scan.js';
import {
  activeSnappyBackend,
  jsSnappy,
  napiSnappy,
  snappyCompress,
  snappyDecompress,
  snappyjsSnappy,
  selectSnappyBackend,
} from '../../src/wire/snappy.js';
import { peekDecodedLength } from '../../src/wire/snappy-preamble.js';
import { LimitError, WireError } from '../../src/errors.js';
import { generateRequest } from '../fixtures/wire/generate.js';

function failure(f: () => unknown): { cls: string; code: string; message: string } | null {
  try {
    f();
    return null;
  } catch (e) {
    const err = e as { code?: string; message?: string };
    return { cls: (e as Error).constructor.name, code: err.code ?? '', message: err.message ?? '' };
  }
}

const decoders: [string, (b: Uint8Array) => unknown][] = [
  ['v1', (b) => decodeWriteRequest(b)],
  ['v2', (b) => decodeRequestV2(b)],
  ['scan', (b) => scanWriteRequest(b)],
];

describe('hostile protobuf', () => {
  const cases: [string, number[], string][] = [
    ['truncated varint', [0x0a, 0x80], 'truncated'],
    ['over-long varint', [0x10, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x01], 'varint_too_long'],
    ['length past the end', [0x0a, 0x05, 0x00], 'truncated'],
    ['huge length', [0x0a, 0xff, 0xff, 0xff, 0xff, 0x0f], 'truncated'],
    ['wire type 3', [0x0b], 'bad_wire_type'],
    ['wire type 4', [0x0c], 'bad_wire_type'],
    ['wire type 6', [0x0e], 'bad_wire_type'],
    ['wire type 7', [0x0f], 'bad_wire_type'],
    ['field 0', [0x00], 'bad_wire_type'],
    ['truncated fixed64', [0x11, 1, 2, 3], 'truncated'],
  ];
  for (const [name, bytes, code] of cases) {
    it(`${name} is WireError(${code}) in every decoder`, () => {
      for (const [which, dec] of decoders) {
        const f = failure(() => dec(Uint8Array.from(bytes)));
        expect(f, which).not.toBeNull();
        expect(f!.cls, which).toBe('WireError');
        expect(f!.code, `${which}: ${f!.message}`).toBe(code);
        expect(f!.message).toMatch(/byte \d+/);
      }
    });
  }

  it('nested lengths are checked against their parent message', () => {
    // series of 3 bytes holding a label that claims 5
    const f = failure(() =>
      decodeWriteRequest(Uint8Array.from([0x0a, 0x03, 0x0a, 0x05, 0x0a, 0x00, 0x00, 0x00, 0x00])),
    );
    expect(f?.code).toBe('truncated');
    expect(
      failure(() => scanWriteRequest(Uint8Array.from([0x0a, 0x03, 0x0a, 0x05, 0x0a, 0x00, 0x00, 0x00, 0x00])))?.code,
    ).toBe('truncated');
  });

  it('invalid UTF-8 in a label is refused by the decoder and the scanner', () => {
    const body = Uint8Array.from([0x0a, 0x08, 0x0a, 0x06, 0x0a, 0x02, 0xed, 0xa0, 0x12, 0x00]); // a surrogate
    expect(failure(() => decodeWriteRequest(body))?.code).toBe('invalid_utf8');
    expect(failure(() => scanWriteRequest(body))?.code).toBe('invalid_utf8');
  });

  it('a known field with the wrong wire type is refused, an unknown one skipped', () => {
    expect(failure(() => decodeWriteRequest(Uint8Array.from([0x08, 0x01])))?.code).toBe('wrong_wire_type');
    expect(
      decodeWriteRequest(Uint8Array.from([0x10, 0x01, 0x15, 1, 2, 3, 4, 0x21, 1, 2, 3, 4, 5, 6, 7, 8])).timeseries,
    ).toEqual([]);
  });

  it('metric type and reset hint outside their enums are refused', () => {
    expect(failure(() => decodeWriteRequest(Uint8Array.from([0x1a, 0x02, 0x08, 0x09])))?.code).toBe('invalid_enum');
  });

  it('packed doubles whose length is not a multiple of 8 are refused', () => {
    const body = Uint8Array.from([0x0a, 0x06, 0x22, 0x04, 0x52, 0x02, 0x00, 0x00]);
    expect(failure(() => decodeWriteRequest(body))?.code).toBe('bad_packed_length');
  });

  it('a decoded body over the limit is a LimitError', () => {
    const f = failure(() => decodeWriteRequest(new Uint8Array(100), { maxDecodedBytes: 10 }));
    expect(f?.cls).toBe('LimitError');
  });
});

describe('hostile snappy', () => {
  const body = encodeWriteRequest(generateRequest({ seriesCount: 20 }));
  const codecs = [jsSnappy, snappyjsSnappy, ...(napiSnappy ? [napiSnappy] : [])];

  it('reports the active backend', () => {
    expect(['napi', 'js']).toContain(activeSnappyBackend());
    expect(Buffer.from(snappyDecompress(snappyCompress(body))).equals(Buffer.from(body))).toBe(true);
    const before = activeSnappyBackend();
    expect(selectSnappyBackend('js')).toBe(true);
    expect(activeSnappyBackend()).toBe('js');
    expect(Buffer.from(snappyDecompress(snappyCompress(body))).equals(Buffer.from(body))).toBe(true);
    selectSnappyBackend(before);
    expect(activeSnappyBackend()).toBe(before);
  });

  for (const c of codecs) {
    it(`${c.name}: round trip, declared length over the limit, framed, truncated`, () => {
      const z = c.compress(body);
      expect(Buffer.from(c.decompress(z)).equals(Buffer.from(body))).toBe(true);
      expect(peekDecodedLength(z)).toBe(body.length);
      // a 5-byte body declaring 4 GiB - 1: refused before allocating
      const huge = Uint8Array.from([0xff, 0xff, 0xff, 0xff, 0x0f]);
      const f = failure(() => c.decompress(huge));
      expect(f?.cls).toBe('LimitError');
      expect(f?.code).toBe('decoded_too_large');
      expect(failure(() => c.decompress(z, { maxDecodedBytes: body.length - 1 }))?.code).toBe('decoded_too_large');
      const framed = Uint8Array.from([0xff, 0x06, 0x00, 0x00, 0x73, 0x4e, 0x61, 0x50, 0x70, 0x59, 0x00]);
      const ff = failure(() => c.decompress(framed));
      expect(ff?.code).toBe('snappy_framed');
      expect(ff?.message).toMatch(/framing format/);
      expect(failure(() => c.decompress(new Uint8Array(0)))?.code).toBe('snappy_truncated');
      expect(failure(() => c.decompress(Uint8Array.from([0x80, 0x80, 0x80, 0x80, 0x80, 0x01])))?.cls).toBe('WireError');
      if (c.name !== 'snappyjs') {
        // snappyjs pads a truncated block with zeros; the strict and native decoders refuse it
        const cut = failure(() => c.decompress(z.subarray(0, z.length - 3)));
        expect(cut?.cls).toBe('WireError');
      }
    });
  }

  it('the strict decoder refuses copies before the output start', () => {
    const f = failure(() => jsSnappy.decompress(Uint8Array.from([0x08, 0x01, 0x05])));
    expect(f?.code).toBe('snappy_corrupt');
    expect(failure(() => decodeWriteRequest(new Uint8Array(0)))).toBeNull();
    expect(new WireError('truncated', 'y')).toBeInstanceOf(Error);
    expect(new LimitError('too_many_elements', 'y')).toBeInstanceOf(Error);
  });
});
