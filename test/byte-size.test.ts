import { describe, expect, it } from 'vitest';
import { parseByteSize } from '../src/byte-size.js';

describe('parseByteSize', () => {
  it('reads bytes and sizes with decimal and binary units, case-insensitive', () => {
    expect(parseByteSize('33554432')).toBe(33_554_432);
    expect(parseByteSize('512KiB')).toBe(512 * 1024);
    expect(parseByteSize('32MiB')).toBe(32 * 1024 ** 2);
    expect(parseByteSize('1GiB')).toBe(1024 ** 3);
    expect(parseByteSize('64MB')).toBe(64e6);
    expect(parseByteSize('1kb')).toBe(1000);
    expect(parseByteSize(' 1.5 gib ')).toBe(1.5 * 1024 ** 3);
    expect(parseByteSize('10b')).toBe(10);
  });

  it('refuses what is not a positive whole size', () => {
    for (const bad of ['', 'lots', '0', '0MiB', '-1MiB', '1TiB', '1 MiB x', '0.1b', '1e3', `${'9'.repeat(20)}GiB`]) {
      expect(parseByteSize(bad), bad).toBeUndefined();
    }
  });
});
