import { describe, expect, it } from 'vitest';
import { LimitError, WireError } from '../../src/errors.js';
import { decodePushRequest } from '../../src/loki/decode-push.js';
import { encodePushRequest } from '../../src/loki/encode-push.js';
import { readLokiBody } from '../../src/loki/read-body.js';
import { timestampFromNanos, timestampToNanos } from '../../src/loki/types.js';
import { snappyCompress } from '../../src/wire/snappy.js';
import { entry, oracleEncode, push, PushRequestType, stream } from './fixtures.js';

const hex = (b: Uint8Array) => Buffer.from(b).toString('hex');
/** Byte equality without printing megabytes of hex on failure: the first differing offset. */
const firstDiff = (a: Uint8Array, b: Uint8Array): number => {
  let i = 0;
  while (i < a.length && i < b.length && a[i] === b[i]) i++;
  return i === a.length && i === b.length ? -1 : i;
};

describe('Loki PushRequest protobuf', () => {
  const full = {
    streams: [
      {
        labels: '{app="api", env="prod"}',
        entries: [entry('hello', 1_700_000_000, 5, { trace_id: 'abc', user: 'ü' }), entry('', 0, 0)],
        hash: 1234n,
      },
      {
        labels: '{app="db"}',
        entries: [{ ...entry('x'.repeat(300), -5, 999_999_999), parsed: [{ name: 'level', value: 'info' }] }],
        hash: 0xffff_ffff_ffff_ffffn,
      },
      { labels: '', entries: [], hash: 0n },
    ],
    format: 'loki',
  };

  it('encodes exactly what protobufjs encodes, and decodes back to the same model', () => {
    const bytes = encodePushRequest(full);
    expect(hex(bytes)).toBe(hex(oracleEncode(full)));
    expect(decodePushRequest(bytes)).toEqual(full);
  });

  it('reads protobufjs bytes field by field (field numbers cross-checked)', () => {
    const decoded = PushRequestType.toObject(PushRequestType.decode(encodePushRequest(full)), {
      longs: String,
      defaults: false,
    });
    expect(decoded.format).toBe('loki');
    expect(decoded.streams[0].labels).toBe('{app="api", env="prod"}');
    expect(decoded.streams[0].hash).toBe('1234');
    expect(decoded.streams[0].entries[0].structuredMetadata).toEqual([
      { name: 'trace_id', value: 'abc' },
      { name: 'user', value: 'ü' },
    ]);
    expect(decoded.streams[1].entries[0].timestamp).toEqual({ seconds: '-5', nanos: 999_999_999 });
    expect(decoded.streams[1].entries[0].parsed).toEqual([{ name: 'level', value: 'info' }]);
  });

  it('an empty request is zero bytes and decodes back', () => {
    expect(encodePushRequest(push()).length).toBe(0);
    expect(decodePushRequest(new Uint8Array(0))).toEqual(push());
  });

  it('skips unknown fields at every level', () => {
    const base = encodePushRequest(push(stream('{a="b"}', 'line')));
    // top-level field 9 (varint) and field 10 (bytes) appended
    const withUnknown = new Uint8Array([...base, 0x48, 0x01, 0x52, 0x02, 0x61, 0x62]);
    expect(decodePushRequest(withUnknown)).toEqual(push(stream('{a="b"}', 'line')));
  });

  it('re-encodes a large request byte for byte (multi-byte lengths)', () => {
    const streams = Array.from({ length: 50 }, (_, i) =>
      stream(
        `{app="a${i}", __tenant__="t${i % 3}"}`,
        ...Array.from({ length: 40 }, (_, j) => `line ${i} ${j} ${'z'.repeat(j * 7)}`),
      ),
    );
    const req = push(...streams);
    const bytes = encodePushRequest(req);
    expect(bytes.length).toBeGreaterThan(100_000);
    expect(firstDiff(bytes, oracleEncode(req))).toBe(-1);
    expect(firstDiff(encodePushRequest(decodePushRequest(bytes)), bytes)).toBe(-1);
  });

  it('converts timestamps to and from unix nanoseconds', () => {
    expect(timestampToNanos({ seconds: 1_700_000_000, nanos: 5 })).toBe('1700000000000000005');
    expect(timestampFromNanos(1_700_000_000_000_000_005n)).toEqual({ seconds: 1_700_000_000, nanos: 5 });
    expect(timestampFromNanos(-1n)).toEqual({ seconds: -1, nanos: 999_999_999 });
    expect(timestampFromNanos(0n)).toEqual({ seconds: 0, nanos: 0 });
  });
});

describe('Loki protobuf: hostile input', () => {
  const good = encodePushRequest(push(stream('{a="b"}', 'hello')));
  const failWith = (bytes: Uint8Array, code: string) => {
    let caught: unknown;
    try {
      decodePushRequest(bytes);
    } catch (e) {
      caught = e;
    }
    expect(caught, hex(bytes)).toBeInstanceOf(WireError);
    expect((caught as WireError).code).toBe(code);
  };

  it('every truncation of a valid body is a WireError or a shorter valid request, never a crash', () => {
    for (let n = 0; n < good.length; n++) {
      try {
        decodePushRequest(good.subarray(0, n));
      } catch (e) {
        expect(e).toBeInstanceOf(WireError);
      }
    }
  });

  it('refuses lengths past the parent message, bad wire types, bad UTF-8, overlong varints', () => {
    failWith(new Uint8Array([0x0a, 0x05, 0x0a, 0x10, 0x61]), 'truncated'); // stream of 5 whose labels claim 16
    failWith(new Uint8Array([0x08, 0x01]), 'wrong_wire_type'); // streams as a varint
    failWith(new Uint8Array([0x0a, 0x02, 0x1a, 0x00]), 'wrong_wire_type'); // stream hash as bytes
    failWith(new Uint8Array([0x0a, 0x03, 0x0a, 0x01, 0xff]), 'invalid_utf8');
    failWith(new Uint8Array([0x0b]), 'bad_wire_type'); // start-group
    failWith(
      new Uint8Array([0x48, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x01]),
      'varint_too_long',
    );
    // entry timestamp seconds past 2^53
    failWith(
      new Uint8Array([0x0a, 0x0d, 0x12, 0x0b, 0x0a, 0x09, 0x08, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x7f]),
      'int64_out_of_range',
    );
  });

  it('random bytes never crash the decoder', () => {
    let seed = 42;
    const rnd = () => (seed = (seed * 1103515245 + 12345) & 0x7fffffff) / 0x7fffffff;
    for (let i = 0; i < 2000; i++) {
      const bytes = new Uint8Array(Math.floor(rnd() * 64)).map(() => Math.floor(rnd() * 256));
      try {
        decodePushRequest(bytes);
      } catch (e) {
        expect(e).toBeInstanceOf(WireError);
      }
    }
  });

  it('checks the snappy length preamble before decompressing (a 5-byte body asking for 4 GiB)', () => {
    const bomb = new Uint8Array([0xff, 0xff, 0xff, 0xff, 0x0f]);
    expect(() => readLokiBody(bomb, { format: 'protobuf', encoding: 'snappy' }, { maxDecodedBytes: 1024 })).toThrow(
      LimitError,
    );
    const ok = snappyCompress(good);
    expect(readLokiBody(ok, { format: 'protobuf', encoding: 'snappy' }, { maxDecodedBytes: 1024 })).toEqual(
      push(stream('{a="b"}', 'hello')),
    );
    expect(() => readLokiBody(good, { format: 'protobuf', encoding: 'snappy' }, { maxDecodedBytes: 1024 })).toThrow(
      WireError,
    );
  });
});
