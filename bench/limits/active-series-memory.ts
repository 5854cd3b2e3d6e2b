/**
 * What max_active_series costs: the memory of one tenant's tracker holding 1 M distinct series,
 * and the time to hash a 2,000-series request's series (walk + hash, what the proxy adds per
 * send when the tenant has the limit). A standalone script, not a suite (no results file):
 *
 *   node --expose-gc --import tsx bench/limits/active-series-memory.ts
 */
import { createSeriesTracker } from '../../src/limits/series-tracker.js';
import { createSeriesHasher } from '../../src/limits/series-hash.js';
import { seriesOf } from '../../src/proxy/tenant-limits-series.js';
import { encodeBody } from '../payloads/bodies.js';

const SERIES = 1_000_000;
const BATCH = 2_000;
const gc = (globalThis as { gc?: () => void }).gc;
if (gc === undefined) throw new Error('run with node --expose-gc');

const used = (): number => {
  gc();
  gc();
  const m = process.memoryUsage();
  return m.heapUsed + m.arrayBuffers;
};

// Hashes of label-like byte strings, as the proxy makes them, made before measuring.
const hasher = createSeriesHasher();
const hi = new Uint32Array(SERIES);
const lo = new Uint32Array(SERIES);
const enc = new TextEncoder();
for (let i = 0; i < SERIES; i++) {
  const b = enc.encode(`__name__http_requests_totalinstance10.0.${i >> 8}.${i & 255}:9100jobnode`);
  hasher.reset();
  hasher.update(b, 0, b.length);
  hi[i] = hasher.hi();
  lo[i] = hasher.lo();
}

const before = used();
const tracker = createSeriesTracker(SERIES, 20 * 60_000, 0);
const keep = new Uint8Array(BATCH);
let refused = 0;
const t0 = performance.now();
for (let from = 0; from < SERIES; from += BATCH) {
  const h = hi.subarray(from, from + BATCH);
  const l = lo.subarray(from, from + BATCH);
  refused += tracker.admit(h, l, BATCH, 1000, keep);
  tracker.record(h, l, BATCH, 1000, keep);
}
const trackMs = performance.now() - t0;
const after = used();
const delta = after - before;
console.log(
  `tracked ${tracker.size()} series (refused ${refused}): table ${tracker.bytes()} B, ` +
    `heap+arrayBuffers +${delta} B = ${(delta / tracker.size()).toFixed(1)} B/series; ` +
    `admit+record ${((trackMs * 1e6) / SERIES).toFixed(0)} ns/series`,
);

// Per-request cost: framing walk + hash of a 2,000-series 1.0 body (median of 50).
const raw = encodeBody('limits-hash', { series: BATCH, tenants: 1, tenantLabel: 'tenant' }).raw;
const send = {
  tenant: 't',
  version: '1.0' as const,
  raw,
  series: BATCH,
  sent: { samples: BATCH, histograms: 0, exemplars: 0 },
};
const times: number[] = [];
for (let i = 0; i < 60; i++) {
  const s = performance.now();
  seriesOf(send);
  if (i >= 10) times.push(performance.now() - s);
}
times.sort((a, b) => a - b);
const med = times[times.length >> 1]!;
console.log(`seriesOf (walk + hash) of ${BATCH} series, ${raw.length} B: median ${(med * 1000).toFixed(0)} us`);
