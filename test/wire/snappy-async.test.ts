import { describe, expect, it } from 'vitest';
import {
  activeSnappyBackend,
  selectSnappyBackend,
  SNAPPY_ASYNC_MIN_BYTES,
  snappyCompress,
  snappyCompressAsync,
  snappyDecompress,
} from '../../src/wire/snappy.js';

/** Bytes that compress somewhat, like label-heavy protobuf. */
function payload(size: number): Uint8Array {
  const out = new Uint8Array(size);
  for (let i = 0; i < size; i++) out[i] = (i * 7919) % 251 < 200 ? 0x61 + (i % 13) : (i * 31) & 0xff;
  return out;
}

describe('snappyCompressAsync', () => {
  it('gives the same block as the sync call, below and above the thread-pool threshold', async () => {
    for (const size of [0, 100, SNAPPY_ASYNC_MIN_BYTES - 1, SNAPPY_ASYNC_MIN_BYTES, 700_000]) {
      const raw = payload(size);
      const out = await snappyCompressAsync(raw);
      expect(Buffer.from(out).equals(Buffer.from(snappyCompress(raw))), `size ${size}`).toBe(true);
      expect(Buffer.from(snappyDecompress(out)).equals(Buffer.from(raw)), `size ${size}`).toBe(true);
    }
  });

  it('runs many large compressions concurrently without mixing their outputs', async () => {
    const inputs = Array.from({ length: 24 }, (_, i) => payload(SNAPPY_ASYNC_MIN_BYTES * 4 + i * 1013));
    const outs = await Promise.all(inputs.map((r) => snappyCompressAsync(r)));
    outs.forEach((o, i) => expect(Buffer.from(snappyDecompress(o)).equals(Buffer.from(inputs[i]!))).toBe(true));
  });

  it('falls back to the sync call on the portable backend', async () => {
    const before = activeSnappyBackend();
    try {
      expect(selectSnappyBackend('js')).toBe(true);
      const raw = payload(SNAPPY_ASYNC_MIN_BYTES * 2);
      expect(Buffer.from(snappyDecompress(await snappyCompressAsync(raw))).equals(Buffer.from(raw))).toBe(true);
    } finally {
      selectSnappyBackend(before);
    }
  });
});
