/**
 * A 64-bit identity for a series, as two 32-bit halves: murmur3's mixing over the bytes of the
 * series' labels, two lanes with different seeds. Only tracking uses it (max_active_series):
 * two distinct series sharing all 64 bits (about one pair in 2^64 / n^2) would count as one.
 */
export interface SeriesHasher {
  /** Starts a new series. */
  reset(): void;
  /** Feeds body[start, end). */
  update(body: Uint8Array, start: number, end: number): void;
  /** Feeds a string's UTF-16 code units (the decoded 2.0 path). */
  updateString(s: string): void;
  /** Lets go of the last body `update` read (it is kept between calls to read it faster). */
  release(): void;
  /** The halves of the hash of everything fed since `reset`. */
  hi(): number;
  lo(): number;
}

const C1 = 0xcc9e2d51;
const C2 = 0x1b873593;
/**
 * Seeds drawn per process: a sender that knew them could craft label sets that collide in a
 * tenant's table and slow its tracking; random seeds leave it only chance collisions.
 */
const PROCESS_SEEDS = crypto.getRandomValues(new Uint32Array(2));

function mixK(k: number): number {
  k = Math.imul(k, C1);
  k = (k << 15) | (k >>> 17);
  return Math.imul(k, C2);
}

function mixH(h: number, k: number): number {
  h ^= k;
  h = (h << 13) | (h >>> 19);
  return (Math.imul(h, 5) + 0xe6546b64) | 0;
}

function finish(h: number, len: number): number {
  h ^= len;
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h >>> 0;
}

/** `seeds`: fixed seeds for tests; the process's random ones otherwise. */
export function createSeriesHasher(
  seeds: readonly [number, number] = [PROCESS_SEEDS[0]!, PROCESS_SEEDS[1]!],
): SeriesHasher {
  const [SEED_HI, SEED_LO] = seeds;
  let a = SEED_HI;
  let b = SEED_LO;
  let len = 0;
  const EMPTY = new DataView(new ArrayBuffer(0));
  let view: DataView<ArrayBufferLike> = EMPTY;
  let viewOf: Uint8Array | undefined;
  return {
    reset() {
      a = SEED_HI;
      b = SEED_LO;
      len = 0;
    },
    update(body, start, end) {
      // One loop with the mixing inline: this runs for every label byte of every limited send.
      let h1 = a;
      let h2 = b;
      // A DataView reads a word in one load (1.7x the four byte loads); kept while the body is the same.
      if (body !== viewOf) {
        view = new DataView(body.buffer, body.byteOffset, body.byteLength);
        viewOf = body;
      }
      const words = view;
      let i = start;
      for (; i + 4 <= end; i += 4) {
        let k = words.getInt32(i, true);
        // murmur3's word step, inline; the second lane sees the word rotated, with the constants swapped.
        let k2 = (k << 7) | (k >>> 25);
        k = Math.imul(k, C1);
        k = (k << 15) | (k >>> 17);
        h1 ^= Math.imul(k, C2);
        h1 = (h1 << 13) | (h1 >>> 19);
        h1 = (Math.imul(h1, 5) + 0xe6546b64) | 0;
        k2 = Math.imul(k2, C2);
        k2 = (k2 << 15) | (k2 >>> 17);
        h2 ^= Math.imul(k2, C1);
        h2 = (h2 << 13) | (h2 >>> 19);
        h2 = (Math.imul(h2, 5) + 0x52dce729) | 0;
      }
      a = h1;
      b = h2;
      // The tail of each range is a word of its own, with its length, so ranges cannot shift into each other.
      let k = end - i;
      for (let s = 8; i < end; i++, s += 8) k ^= body[i]! << s;
      word(k);
      len += end - start;
    },
    updateString(s) {
      for (let i = 0; i < s.length; i += 2) word(s.charCodeAt(i) | ((s.charCodeAt(i + 1) || 0) << 16));
      word(s.length | 0x40000000);
      len += s.length;
    },
    release() {
      view = EMPTY;
      viewOf = undefined;
    },
    hi: () => finish(a, len),
    lo: () => finish(b, len),
  };

  function word(k: number): void {
    a = mixH(a, mixK(k));
    b = mixH2(b, mixK2((k << 7) | (k >>> 25)));
  }
}

function mixK2(k: number): number {
  k = Math.imul(k, C2);
  k = (k << 15) | (k >>> 17);
  return Math.imul(k, C1);
}

function mixH2(h: number, k: number): number {
  h ^= k;
  h = (h << 13) | (h >>> 19);
  return (Math.imul(h, 5) + 0x52dce729) | 0;
}
