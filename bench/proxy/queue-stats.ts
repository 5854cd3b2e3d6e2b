/**
 * What the proxy suite reads of a queue-mode target besides the sink: its /metrics (pending
 * records, the fsync histogram of the group commits) and the bytes its queue directory holds.
 */
import { readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';

const PENDING = 'tenantwire_queue_pending_records';
const FSYNC = 'tenantwire_queue_fsync_duration_seconds';

export async function scrapeMetrics(url: string): Promise<string> {
  const r = await fetch(url, { signal: AbortSignal.timeout(10_000) });
  if (!r.ok) throw new Error(`${url} answered ${r.status}`);
  return r.text();
}

/** The sum of every sample of a metric (all label sets), NaN when it is absent. */
export function metricSum(text: string, name: string): number {
  let total = NaN;
  const re = new RegExp(`^${name}(?:\\{[^}]*\\})?\\s+(\\S+)`, 'gm');
  for (const m of text.matchAll(re)) total = (Number.isNaN(total) ? 0 : total) + Number(m[1]);
  return total;
}

/** Records in the queue not yet delivered, summed over tenants and workers. */
export function pendingRecords(text: string): number {
  return metricSum(text, PENDING);
}

/** Cumulative `le` buckets of a histogram, summed over label sets, sorted by bound. */
export function histogramBuckets(text: string, name: string): { le: number; count: number }[] {
  const byLe = new Map<number, number>();
  const re = new RegExp(`^${name}_bucket\\{([^}]*)\\}\\s+(\\S+)`, 'gm');
  for (const m of text.matchAll(re)) {
    const le = /le="([^"]+)"/.exec(m[1] ?? '')?.[1];
    if (le === undefined) continue;
    const bound = le === '+Inf' ? Infinity : Number(le);
    byLe.set(bound, (byLe.get(bound) ?? 0) + Number(m[2]));
  }
  return [...byLe].map(([le, count]) => ({ le, count })).sort((a, b) => a.le - b.le);
}

/**
 * A quantile of a cumulative histogram as Prometheus' histogram_quantile computes it (linear
 * within the bucket; the highest finite bound when it falls in +Inf); NaN without observations.
 */
export function histogramQuantile(q: number, buckets: readonly { le: number; count: number }[]): number {
  const total = buckets[buckets.length - 1]?.count ?? 0;
  if (total === 0) return NaN;
  const rank = q * total;
  let prevLe = 0;
  let prevCount = 0;
  for (const b of buckets) {
    if (b.count >= rank) {
      if (b.le === Infinity) return prevLe;
      return prevLe + ((b.le - prevLe) * (rank - prevCount)) / Math.max(1e-12, b.count - prevCount);
    }
    prevLe = b.le;
    prevCount = b.count;
  }
  return prevLe;
}

/** The fsync p-quantile of the queue's group commits since the target started, in ms. */
export function fsyncQuantileMs(text: string, q: number): number {
  return histogramQuantile(q, histogramBuckets(text, FSYNC)) * 1000;
}

/** How many fsyncs the queue did since it started. */
export function fsyncCount(text: string): number {
  return metricSum(text, `${FSYNC}_count`);
}

/**
 * Bytes allocated to the files under `dir` (what the queue takes on disk), or with `sizes` the
 * sum of their lengths (what a replay reads); 0 when it is gone.
 */
export function dirBytes(dir: string, sizes = false): number {
  let total = 0;
  let entries: string[];
  try {
    entries = readdirSync(dir);
  } catch {
    return 0;
  }
  for (const name of entries) {
    const path = join(dir, name);
    try {
      const st = statSync(path);
      total += st.isDirectory() ? dirBytes(path, sizes) : sizes ? st.size : st.blocks * 512;
    } catch {
      // removed while we looked (a segment deleted once delivered)
    }
  }
  return total;
}
