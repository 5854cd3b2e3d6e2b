/**
 * The active series of one tenant (max_active_series): the distinct series seen within the last
 * `windowMs`, each as its 64-bit hash (series-hash.ts) with the second it was last seen, in an
 * open-addressing table (linear probing) of typed arrays. Bounded: it never holds more than
 * `maxSeries` entries, so its table never exceeds the next power of two of maxSeries * 4/3
 * slots of 12 bytes (16 to 32 bytes per tracked series); it starts small and grows by doubling.
 *
 * Expired entries stay in the table until a sweep rebuilds it without them: every window/8 (at
 * least a second apart), and when a series would be refused for lack of room (at most once a
 * second), so the count is exact to within that lag. A series seen again before it is swept
 * just takes its slot back. Pure: the caller passes the time (ms).
 */
export interface SeriesTracker {
  /**
   * For series i of `hi`/`lo` (n of them): may it be written? Known series always may; new ones
   * while the tracker has room. Marks `accepted[i]` 1 or 0 and answers how many were refused.
   * Nothing is recorded: call `record` for what is really forwarded.
   */
  admit(hi: Uint32Array, lo: Uint32Array, n: number, nowMs: number, accepted: Uint8Array): number;
  /** Records the accepted series as seen at `nowMs`. */
  record(hi: Uint32Array, lo: Uint32Array, n: number, nowMs: number, accepted: Uint8Array): void;
  /** Entries held (active ones plus expired ones not yet swept). */
  size(): number;
  /** Bytes of the table. */
  bytes(): number;
  /** Drops expired entries now. */
  sweep(nowMs: number): void;
}

const MIN_SLOTS = 1024;
const SLOT_BYTES = 12;
const MIN_SWEEP_GAP_MS = 1000;

export function createSeriesTracker(maxSeries: number, windowMs: number, nowMs: number): SeriesTracker {
  if (!(maxSeries > 0) || !(windowMs > 0)) throw new RangeError('a series tracker needs maxSeries and windowMs > 0');
  const epoch = nowMs;
  const windowSec = Math.max(1, Math.ceil(windowMs / 1000));
  const maxSlots = nextPow2(Math.ceil((maxSeries * 4) / 3));
  const sweepEveryMs = Math.max(MIN_SWEEP_GAP_MS, windowMs / 8);
  let slots = Math.min(MIN_SLOTS, maxSlots);
  let keyHi = new Uint32Array(slots);
  let keyLo = new Uint32Array(slots);
  // Seconds since `epoch`, plus one; 0 marks an empty slot.
  let seen = new Uint32Array(slots);
  let used = 0;
  let lastSweep = nowMs;
  // New series of the request being admitted (a small table per call), to count a repeat once.
  const pending = createPendingSet();

  const second = (now: number): number => Math.max(1, Math.floor((now - epoch) / 1000) + 1);
  const find = (h: number, l: number): number => {
    const mask = slots - 1;
    let i = (h ^ Math.imul(l, 0x9e3779b1)) & mask;
    while (seen[i] !== 0 && (keyHi[i] !== h || keyLo[i] !== l)) i = (i + 1) & mask;
    return i;
  };
  const rebuild = (size: number, oldest: number): void => {
    const [oh, ol, os] = [keyHi, keyLo, seen];
    slots = size;
    keyHi = new Uint32Array(size);
    keyLo = new Uint32Array(size);
    seen = new Uint32Array(size);
    used = 0;
    for (let i = 0; i < os.length; i++) {
      const t = os[i]!;
      if (t === 0 || t < oldest) continue;
      const j = find(oh[i]!, ol[i]!);
      keyHi[j] = oh[i]!;
      keyLo[j] = ol[i]!;
      seen[j] = t;
      used++;
    }
  };
  const sweep = (now: number): void => {
    lastSweep = now;
    const oldest = second(now) - windowSec;
    let live = 0;
    for (let i = 0; i < slots; i++) if (seen[i]! >= oldest && seen[i] !== 0) live++;
    if (live === used) return;
    // Shrink with the live count (down to MIN_SLOTS), so a tenant that went quiet gives memory back.
    let size = Math.min(MIN_SLOTS, maxSlots);
    while (size < maxSlots && live * 4 > size * 3) size *= 2;
    rebuild(size, oldest);
  };

  return {
    admit(hi, lo, n, now, accepted) {
      if (now - lastSweep >= sweepEveryMs) sweep(now);
      pending.reset(n);
      let refused = 0;
      let swept = false;
      for (let i = 0; i < n; i++) {
        const h = hi[i]!;
        const l = lo[i]!;
        if (seen[find(h, l)] !== 0) {
          accepted[i] = 1;
          continue;
        }
        if (pending.has(h, l)) {
          accepted[i] = 1;
          continue;
        }
        if (used + pending.size >= maxSeries && !swept && now - lastSweep >= MIN_SWEEP_GAP_MS) {
          sweep(now);
          swept = true;
        }
        if (used + pending.size < maxSeries) {
          pending.add(h, l);
          accepted[i] = 1;
        } else {
          accepted[i] = 0;
          refused++;
        }
      }
      return refused;
    },
    record(hi, lo, n, now, accepted) {
      const t = second(now);
      for (let i = 0; i < n; i++) {
        if (accepted[i] !== 1) continue;
        let j = find(hi[i]!, lo[i]!);
        if (seen[j] === 0) {
          // Admitted against the bound already; this guards a caller that records unadmitted series.
          if (used >= maxSeries) continue;
          if ((used + 1) * 4 > slots * 3 && slots < maxSlots) {
            rebuild(slots * 2, 1);
            j = find(hi[i]!, lo[i]!);
          }
          keyHi[j] = hi[i]!;
          keyLo[j] = lo[i]!;
          used++;
        }
        seen[j] = t;
      }
    },
    size: () => used,
    bytes: () => slots * SLOT_BYTES,
    sweep,
  };
}

/** A set of hash pairs for one admit call, cleared by `reset`; grows with the request. */
function createPendingSet() {
  let hi = new Uint32Array(64);
  let lo = new Uint32Array(64);
  let used = new Uint8Array(64);
  let size = 0;
  const slot = (h: number, l: number): number => {
    const mask = used.length - 1;
    let i = (l ^ Math.imul(h, 0x85ebca6b)) & mask;
    while (used[i] === 1 && (hi[i] !== h || lo[i] !== l)) i = (i + 1) & mask;
    return i;
  };
  return {
    get size() {
      return size;
    },
    reset(n: number): void {
      const want = nextPow2(Math.max(64, n * 2));
      if (want > used.length || want * 8 < used.length) {
        hi = new Uint32Array(want);
        lo = new Uint32Array(want);
        used = new Uint8Array(want);
      } else {
        used.fill(0);
      }
      size = 0;
    },
    has: (h: number, l: number): boolean => used[slot(h, l)] === 1,
    add(h: number, l: number): void {
      const i = slot(h, l);
      if (used[i] === 1) return;
      used[i] = 1;
      hi[i] = h;
      lo[i] = l;
      size++;
    },
  };
}

function nextPow2(n: number): number {
  let p = 1;
  while (p < n) p *= 2;
  return p;
}
