/**
 * compareUtf8 is the order remote-write labels must be sorted in (byte order of their UTF-8
 * encoding, as Go sorts strings): checked against Buffer.compare on strings that mix ASCII,
 * the BMP above and below the surrogate range, and code points above U+FFFF.
 */
import { describe, expect, it } from 'vitest';
import { compareUtf8 } from '../../src/otlp/translate-values.js';

const ALPHABET = ['a', 'b', '_', '.', 'é', '中', '\ud7ff', '\ue000', '\uffff', '😀', '𐍈', ''];

function prng(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    return s / 4294967296;
  };
}

describe('compareUtf8', () => {
  it('orders like the UTF-8 bytes, on 20,000 random pairs', () => {
    const rnd = prng(5);
    const word = () =>
      Array.from({ length: Math.floor(rnd() * 5) }, () => ALPHABET[Math.floor(rnd() * ALPHABET.length)]).join('');
    for (let i = 0; i < 20_000; i++) {
      const a = word();
      const b = word();
      const want = Math.sign(Buffer.compare(Buffer.from(a), Buffer.from(b)));
      expect(Math.sign(compareUtf8(a, b)), `${JSON.stringify(a)} vs ${JSON.stringify(b)}`).toBe(want);
    }
  });

  it('puts a code point above U+FFFF after U+E000..U+FFFF, unlike UTF-16 order', () => {
    expect('😀' < '\uffff').toBe(true);
    expect(compareUtf8('😀', '\uffff')).toBe(1);
    expect(compareUtf8('\ue000', '\ud7ff')).toBe(1);
  });
});
