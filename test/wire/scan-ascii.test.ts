import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { scanWriteRequest } from '../../src/wire/scan.js';

/**
 * The scanner's ASCII shortcut reads long labels a 32-bit word at a time: whatever the body's
 * offset in its buffer and wherever a non-ASCII byte sits, the outcome is the exact UTF-8
 * check's (here: TextDecoder with `fatal`), with and without picks.
 */

const fatal = new TextDecoder('utf-8', { fatal: true });

function validUtf8(bytes: Uint8Array): boolean {
  try {
    fatal.decode(bytes);
    return true;
  } catch {
    return false;
  }
}

function field(tag: number, content: Uint8Array): number[] {
  if (content.length >= 0x80 * 0x80) throw new Error('test fields stay short');
  const len = content.length < 0x80 ? [content.length] : [(content.length & 0x7f) | 0x80, content.length >>> 7];
  return [tag, ...len, ...content];
}

/** One series holding the given labels, then one sample. */
function body(labels: readonly [Uint8Array, Uint8Array][]): Uint8Array {
  const sample = [0x09, 0, 0, 0, 0, 0, 0, 0xf0, 0x3f, 0x10, 0x01];
  const msg = labels.flatMap(([n, v]) => field(0x0a, new Uint8Array([...field(0x0a, n), ...field(0x12, v)])));
  return new Uint8Array(field(0x0a, new Uint8Array([...msg, ...field(0x12, new Uint8Array(sample))])));
}

/** Mostly ASCII bytes with the odd high byte, so that long runs end in a stray one. */
const text = fc
  .array(
    fc.oneof(
      { weight: 12, arbitrary: fc.integer({ min: 0x20, max: 0x7e }) },
      { weight: 1, arbitrary: fc.integer({ min: 0x80, max: 0xff }) },
    ),
    { maxLength: 200 },
  )
  .map((a) => new Uint8Array(a));
const utf8 = new TextEncoder();

describe('scan: word-at-a-time ASCII check', () => {
  it('accepts and rejects exactly as the exact UTF-8 check, at every buffer offset', () => {
    fc.assert(
      fc.property(
        fc.array(fc.tuple(text, text), { minLength: 1, maxLength: 5 }),
        fc.integer({ min: 0, max: 7 }),
        fc.boolean(),
        (labels, offset, pick) => {
          const b = body(labels);
          const host = new Uint8Array(b.length + offset + 5);
          host.set(b, offset);
          const placed = host.subarray(offset, offset + b.length);
          const expected = labels.every(([n, v]) => validUtf8(n) && validUtf8(v));
          const request = pick ? { names: [utf8.encode('tenant')], wantName: true } : undefined;
          const scan = () => scanWriteRequest(placed, {}, request);
          if (expected) expect(scan().seriesCount).toBe(1);
          else expect(scan).toThrow(/not valid UTF-8/);
        },
      ),
      { numRuns: 1000 },
    );
  });

  it('bodies too short for a word and at the very end of their buffer', () => {
    const b = body([[utf8.encode('a'), utf8.encode('b')]]);
    for (let offset = 0; offset < 4; offset++) {
      const host = new Uint8Array(b.length + offset);
      host.set(b, offset);
      expect(scanWriteRequest(host.subarray(offset)).seriesCount).toBe(1);
      expect(scanWriteRequest(host.subarray(host.length)).seriesCount).toBe(0);
    }
  });
});
