/**
 * Snappy block codec for remote-write bodies. The declared length is checked against the limit
 * before anything is allocated. The napi `snappy` package is used when it loads (output copied
 * into the JS heap: its zero-copy default drove RSS to gigabytes); otherwise a strict TS
 * decompressor and snappyjs's compressor. Every failure is a WireError or LimitError.
 */
import { createRequire } from 'node:module';
import { compress as snappyjsCompress, uncompress as snappyjsUncompress } from 'snappyjs';
import type { WireLimits } from './types.js';
import { WireError } from '../errors.js';
import { checkSnappyPreamble } from './snappy-preamble.js';
import { decompressBlock } from './snappy-block.js';

export type SnappyBackendName = 'napi' | 'js' | 'snappyjs';

export interface SnappyCodec {
  readonly name: SnappyBackendName;
  decompress(buf: Uint8Array, limits?: Partial<WireLimits>): Uint8Array;
  compress(buf: Uint8Array): Uint8Array;
}

interface NapiSnappy {
  uncompressSync(buf: Uint8Array, opts: { asBuffer: true; copyOutputData: true }): Uint8Array;
  compressSync(buf: Uint8Array, opts: { copyOutputData: true }): Uint8Array;
}

function loadNapi(): { readonly mod: NapiSnappy | null; readonly error?: string } {
  try {
    const mod = createRequire(import.meta.url)('snappy') as NapiSnappy;
    const probe = mod.compressSync(new Uint8Array([1, 2, 3]), { copyOutputData: true });
    mod.uncompressSync(probe, { asBuffer: true, copyOutputData: true });
    return { mod };
  } catch (e) {
    return { mod: null, error: e instanceof Error ? (e.message.split('\n')[0] ?? '') : String(e) };
  }
}

function rethrow(e: unknown, name: string): never {
  if (e instanceof WireError) throw e;
  const why = e instanceof Error ? e.message : String(e);
  throw new WireError('snappy_corrupt', `invalid snappy block (${name}): ${why}`, { cause: e });
}

const loaded = loadNapi();
const napi = loaded.mod;
/** Why the napi `snappy` package did not load (undefined when it did): said in the fallback warning. */
export const napiSnappyLoadError: string | undefined = loaded.error;

/** The napi codec, or null when the native package is not available on this platform. */
export const napiSnappy: SnappyCodec | null = napi
  ? {
      name: 'napi',
      decompress(buf, limits) {
        const p = checkSnappyPreamble(buf, limits);
        let out: Uint8Array;
        try {
          out = napi.uncompressSync(buf, { asBuffer: true, copyOutputData: true });
        } catch (e) {
          rethrow(e, 'napi');
        }
        if (out.length !== p.length) {
          throw new WireError(
            'snappy_truncated',
            `snappy block decodes to ${out.length} bytes but declares ${p.length}`,
          );
        }
        return out;
      },
      compress(buf) {
        return napi.compressSync(buf, { copyOutputData: true });
      },
    }
  : null;

/** The portable codec: the strict TS decompressor and snappyjs's compressor. */
export const jsSnappy: SnappyCodec = {
  name: 'js',
  decompress(buf, limits) {
    const p = checkSnappyPreamble(buf, limits);
    return decompressBlock(buf, p.headerBytes, p.length);
  },
  compress(buf) {
    return snappyjsCompress(buf);
  },
};

/** snappyjs for both directions (kept for the bench; it pads truncated output with zeros). */
export const snappyjsSnappy: SnappyCodec = {
  name: 'snappyjs',
  decompress(buf, limits) {
    const p = checkSnappyPreamble(buf, limits);
    try {
      return snappyjsUncompress(buf, p.length);
    } catch (e) {
      rethrow(e, 'snappyjs');
    }
  },
  compress(buf) {
    return snappyjsCompress(buf);
  },
};

let active: SnappyCodec = napiSnappy ?? jsSnappy;

/** Which backend `snappyDecompress`/`snappyCompress` use: 'napi' when it loaded, else 'js'. */
export function activeSnappyBackend(): SnappyBackendName {
  return active.name;
}

/** Picks a backend explicitly (tests, benches); returns false when 'napi' is not available. */
export function selectSnappyBackend(name: SnappyBackendName): boolean {
  const codec = name === 'napi' ? napiSnappy : name === 'js' ? jsSnappy : snappyjsSnappy;
  if (!codec) return false;
  active = codec;
  return true;
}

/** Decompresses a snappy block body after checking its declared length against the limit. */
export function snappyDecompress(buf: Uint8Array, limits?: Partial<WireLimits>): Uint8Array {
  return active.decompress(buf, limits);
}

export function snappyCompress(buf: Uint8Array): Uint8Array {
  return active.compress(buf);
}
