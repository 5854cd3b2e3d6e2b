/**
 * Snappy block-format helpers for the bench harness itself (the sink and the body writer):
 * the napi `snappy` package when it loads (with `copyOutputData`: its zero-copy default drove
 * RSS to gigabytes, see src/wire/snappy.ts), else snappyjs. The declared length is checked
 * before anything is allocated.
 */
import { createRequire } from 'node:module';
import * as snappyjs from 'snappyjs';

interface NapiSnappy {
  compressSync(input: Uint8Array, options?: { copyOutputData?: boolean }): Buffer;
  uncompressSync(input: Uint8Array, options?: { asBuffer?: boolean; copyOutputData?: boolean }): string | Buffer;
}

function loadNapi(): NapiSnappy | undefined {
  try {
    return createRequire(import.meta.url)('snappy') as NapiSnappy;
  } catch {
    return undefined;
  }
}

const napi = loadNapi();

/** Which implementation is in use, for the results' notes. */
export const snappyImplementation = napi ? 'snappy (napi)' : 'snappyjs';

/** The decoded length a snappy block declares (its leading varint). */
export function declaredLength(input: Uint8Array): number {
  let result = 0;
  for (let i = 0; i < 5; i++) {
    const b = input[i];
    if (b === undefined) throw new Error('truncated snappy preamble');
    result += (b & 0x7f) * 2 ** (7 * i);
    if ((b & 0x80) === 0) return result;
  }
  throw new Error('snappy preamble longer than 5 bytes');
}

export function uncompressBlock(input: Uint8Array, maxLength = 64 * 1024 * 1024): Uint8Array {
  const declared = declaredLength(input);
  if (declared > maxLength) throw new Error(`snappy block declares ${declared} bytes, over ${maxLength}`);
  if (napi) return napi.uncompressSync(input, { asBuffer: true, copyOutputData: true }) as Buffer;
  return snappyjs.uncompress(input, maxLength);
}

export function compressBlock(input: Uint8Array): Uint8Array {
  if (napi) return napi.compressSync(input, { copyOutputData: true });
  return snappyjs.compress(input);
}
