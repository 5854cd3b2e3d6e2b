import { randomBytes } from 'node:crypto';
import * as zlib from 'node:zlib';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { crc32, crc32Table } from '../../src/wal/crc32.js';
import { decodePosition, encodePosition, isPositionError } from '../../src/wal/position-file.js';
import {
  checkSegmentHeader,
  encodeFrame,
  FRAME_HEADER_BYTES,
  SEGMENT_HEADER_BYTES,
  scanFrames,
  segmentHeader,
} from '../../src/wal/record-codec.js';

function segment(payloads: Uint8Array[]): Uint8Array {
  return Buffer.concat([segmentHeader(), ...payloads.flatMap((p) => encodeFrame(p))]);
}

function assertSound(bytes: Uint8Array, start: number): void {
  const scan = scanFrames(bytes, start);
  let pos = Math.min(start, bytes.length);
  expect(scan.goodEnd).toBeGreaterThanOrEqual(pos);
  expect(scan.goodEnd).toBeLessThanOrEqual(bytes.length);
  for (const r of scan.records) {
    expect(r.start).toBe(pos);
    expect(r.end).toBeLessThanOrEqual(bytes.length);
    // every record handed out carries its own checksum
    expect(crc32Table(r.payload)).toBe(new DataView(bytes.buffer, bytes.byteOffset).getUint32(r.start + 4, true));
    expect(r.payload.buffer).toBe(bytes.buffer); // a view: nothing allocated from a declared length
    pos = r.end;
  }
  expect(scan.goodEnd).toBe(pos);
}

describe('crc32', () => {
  it('gives the standard check value', () => {
    expect(crc32Table(new TextEncoder().encode('123456789'))).toBe(0xcbf43926);
    expect(crc32(new TextEncoder().encode('123456789'))).toBe(0xcbf43926);
  });

  it('agrees with the native zlib.crc32 and on subranges', () => {
    for (let i = 0; i < 200; i++) {
      const b = randomBytes(i * 37);
      const a = Math.floor(b.length / 3);
      expect(crc32Table(b)).toBe(crc32(b));
      expect(crc32Table(b, a, Math.max(a, b.length - 1))).toBe(crc32(b.subarray(a, Math.max(a, b.length - 1))));
      if (typeof zlib.crc32 === 'function') expect(crc32Table(b)).toBe(zlib.crc32(b) >>> 0);
    }
  });
});

describe('record codec', () => {
  it('round-trips frames', () => {
    const payloads = [new Uint8Array(0), randomBytes(1), randomBytes(1000)];
    const bytes = segment(payloads);
    expect(checkSegmentHeader(bytes).kind).toBe('ok');
    const scan = scanFrames(bytes, SEGMENT_HEADER_BYTES);
    expect(scan.stop).toBe('end');
    expect(scan.records.map((r) => Buffer.from(r.payload))).toEqual(payloads.map((p) => Buffer.from(p)));
  });

  it('reports torn, corrupt and oversized frames with the good prefix', () => {
    const bytes = segment([randomBytes(10), randomBytes(10)]);
    const firstEnd = SEGMENT_HEADER_BYTES + FRAME_HEADER_BYTES + 10;
    expect(scanFrames(bytes.subarray(0, bytes.length - 1), 8)).toMatchObject({ stop: 'torn', goodEnd: firstEnd });
    expect(scanFrames(bytes.subarray(0, firstEnd + 3), 8)).toMatchObject({ stop: 'torn', goodEnd: firstEnd });
    const flipped = Uint8Array.from(bytes);
    flipped[bytes.length - 1] = (flipped[bytes.length - 1] as number) ^ 1;
    expect(scanFrames(flipped, 8)).toMatchObject({ stop: 'corrupt', goodEnd: firstEnd });
    const huge = Uint8Array.from(bytes);
    new DataView(huge.buffer).setUint32(firstEnd, 0xfffffff0, true);
    expect(scanFrames(huge, 8)).toMatchObject({ stop: 'corrupt', goodEnd: firstEnd });
    expect(scanFrames(bytes, 8, bytes.length, { maxRecords: 1 })).toMatchObject({ stop: 'limit', goodEnd: firstEnd });
  });

  it('refuses a foreign header and recognises a torn one', () => {
    expect(checkSegmentHeader(new TextEncoder().encode('hello world')).kind).toBe('foreign');
    expect(checkSegmentHeader(segmentHeader().subarray(0, 5)).kind).toBe('torn');
    const v2 = segmentHeader();
    v2[4] = 2;
    expect(checkSegmentHeader(v2)).toMatchObject({ kind: 'foreign', reason: expect.stringMatching(/version 2/) });
  });

  it('never throws and never returns a bad record on random bytes', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 4096 }), fc.nat(64), (bytes, start) => {
        assertSound(bytes, Math.min(start, bytes.length));
      }),
      { numRuns: 2000 },
    );
  });

  it('never throws and never returns a bad record on mutated segments', () => {
    fc.assert(
      fc.property(
        fc.array(fc.uint8Array({ maxLength: 300 }), { maxLength: 12 }),
        fc.array(fc.tuple(fc.nat(), fc.integer({ min: 0, max: 255 })), { minLength: 1, maxLength: 8 }),
        fc.nat(),
        (payloads, mutations, cut) => {
          const bytes = Uint8Array.from(segment(payloads));
          for (const [at, value] of mutations) bytes[at % bytes.length] = value;
          assertSound(bytes.subarray(0, bytes.length - (cut % 16)), SEGMENT_HEADER_BYTES);
        },
      ),
      { numRuns: 2000 },
    );
  });
});

describe('position file', () => {
  it('round-trips and detects any damage', () => {
    const bytes = encodePosition({ segment: 12345678901, offset: 987654 });
    expect(decodePosition(bytes)).toEqual({ segment: 12345678901, offset: 987654 });
    for (let i = 0; i < bytes.length; i++) {
      const bad = Uint8Array.from(bytes);
      bad[i] = (bad[i] as number) ^ 0x10;
      expect(isPositionError(decodePosition(bad))).toBe(true);
    }
    expect(isPositionError(decodePosition(bytes.subarray(0, 23)))).toBe(true);
  });
});
