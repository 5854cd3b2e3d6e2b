import type { Exemplar, Histogram, Label, Sample, TimeSeries } from '../../../wire/types.js';

/**
 * One shard's pending data, pure: series chunks in arrival order, counted in "samples" the way
 * Prometheus counts a batch (samples + histograms + exemplars). No timers: the time of the
 * first pending entry is recorded from the caller's clock.
 */
export interface QueuedSeries extends TimeSeries {
  /** samples + histograms + exemplars */
  readonly count: number;
  readonly shardKey: number;
}

export interface ShardBuffer {
  /** Items waiting (samples + histograms + exemplars). */
  readonly pending: number;
  /** Clock time the oldest waiting entry arrived, undefined when empty. */
  readonly oldestAt: number | undefined;
  push(entry: QueuedSeries, now: number): void;
  /** Up to `max` items, whole entries, oldest first (at least one entry when not empty). */
  take(max: number): QueuedSeries[];
  /** Everything, oldest first. */
  drain(): QueuedSeries[];
}

export function createShardBuffer(): ShardBuffer {
  let items: QueuedSeries[] = [];
  let times: number[] = [];
  let head = 0;
  let pending = 0;

  function compact(): void {
    if (head > 1024 && head * 2 > items.length) {
      items = items.slice(head);
      times = times.slice(head);
      head = 0;
    }
  }

  return {
    get pending() {
      return pending;
    },
    get oldestAt() {
      return head < items.length ? times[head] : undefined;
    },
    push(entry, now) {
      items.push(entry);
      times.push(now);
      pending += entry.count;
    },
    take(max) {
      const out: QueuedSeries[] = [];
      let total = 0;
      while (head < items.length) {
        const e = items[head]!;
        if (out.length > 0 && total + e.count > max) break;
        out.push(e);
        total += e.count;
        head++;
      }
      pending -= total;
      compact();
      return out;
    },
    drain() {
      const out = items.slice(head);
      items = [];
      times = [];
      head = 0;
      pending = 0;
      return out;
    },
  };
}

/**
 * Cuts a series into chunks of at most `max` items, in time order within each kind, so that
 * one huge series never makes a batch larger than max_samples_per_send.
 */
export function chunkSeries(
  labels: readonly Label[],
  series: TimeSeries,
  max: number,
  shardKey: number,
): QueuedSeries[] {
  const { samples, histograms, exemplars } = series;
  const count = samples.length + histograms.length + exemplars.length;
  if (count <= max) return [{ labels, samples, histograms, exemplars, count, shardKey }];
  const out: QueuedSeries[] = [];
  const push = (s: readonly Sample[], h: readonly Histogram[], e: readonly Exemplar[]) =>
    out.push({ labels, samples: s, histograms: h, exemplars: e, count: s.length + h.length + e.length, shardKey });
  for (let i = 0; i < samples.length; i += max) push(samples.slice(i, i + max), [], []);
  for (let i = 0; i < histograms.length; i += max) push([], histograms.slice(i, i + max), []);
  for (let i = 0; i < exemplars.length; i += max) push([], [], exemplars.slice(i, i + max));
  return out;
}
