/**
 * Bounded decompression of OTLP/HTTP bodies: gzip and deflate (zlib) inflate; a bomb stops at
 * the bound with LimitError('decoded_too_large') without inflating past it; a corrupt,
 * truncated or empty stream is a WireError('bad_gzip').
 */
import { deflateRawSync, deflateSync, gzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { LimitError, WireError } from '../../src/errors.js';
import { decodeOtlpMetrics, inflateOtlpBody } from '../../src/otlp/decode.js';
import { encodeWithProtobufjs } from '../helpers/otlp-oracle.js';
import { createRandom, randomRequest } from '../helpers/otlp-random.js';

function thrown(fn: () => unknown): unknown {
  try {
    fn();
  } catch (e) {
    return e;
  }
  throw new Error('expected an error');
}

describe('inflateOtlpBody', () => {
  const req = randomRequest(createRandom(7));
  const body = encodeWithProtobufjs(req);

  it('inflates gzip and deflate bodies that decode to the original request', () => {
    for (const [encoding, packed] of [
      ['gzip', gzipSync(body)],
      ['deflate', deflateSync(body)],
    ] as const) {
      const raw = inflateOtlpBody(packed, encoding, 1 << 20);
      expect(decodeOtlpMetrics(raw, 'protobuf', { maxElements: 100_000 })).toEqual(req);
    }
    expect(inflateOtlpBody(body, 'identity', body.length)).toBe(body);
  });

  it('stops a gzip bomb at the bound', () => {
    const bomb = gzipSync(new Uint8Array(64 * 1024 * 1024)); // about 64 KB inflating to 64 MB
    expect(bomb.length).toBeLessThan(100_000);
    const before = process.memoryUsage().arrayBuffers;
    const e = thrown(() => inflateOtlpBody(bomb, 'gzip', 1024 * 1024));
    expect(e).toBeInstanceOf(LimitError);
    expect((e as LimitError).code).toBe('decoded_too_large');
    expect((e as LimitError).message).toContain('1048576 bytes');
    expect(process.memoryUsage().arrayBuffers - before).toBeLessThan(32 * 1024 * 1024);
    expect(
      (thrown(() => inflateOtlpBody(deflateSync(new Uint8Array(10_000)), 'deflate', 9_999)) as LimitError).code,
    ).toBe('decoded_too_large');
    expect(inflateOtlpBody(gzipSync(new Uint8Array(10_000)), 'gzip', 10_000)).toHaveLength(10_000);
  });

  it('refuses an identity body past the bound', () => {
    expect((thrown(() => inflateOtlpBody(body, 'identity', body.length - 1)) as LimitError).code).toBe(
      'decoded_too_large',
    );
  });

  it.each([
    ['not gzip', 'gzip', Buffer.from('hello, world')],
    ['empty', 'gzip', new Uint8Array(0)],
    ['truncated', 'gzip', gzipSync(Buffer.from('x'.repeat(1000))).subarray(0, 20)],
    ['raw deflate without the zlib header', 'deflate', deflateRawSync(Buffer.from('x'))],
    ['gzip sent as deflate', 'deflate', gzipSync(Buffer.from('x'))],
  ] as const)('refuses a %s stream with bad_gzip', (_what, encoding, packed) => {
    const e = thrown(() => inflateOtlpBody(packed, encoding, 1 << 20));
    expect(e).toBeInstanceOf(WireError);
    expect((e as WireError).code).toBe('bad_gzip');
    expect((e as WireError).message).toContain(`${encoding} OTLP body does not inflate`);
  });
});
