/**
 * In-process timing with Node's own clock: run a function in batches for a fixed time after a
 * warm-up, and report the median rate over several samples (robust to a noisy machine).
 */
import { performance } from 'node:perf_hooks';
import { median } from './format.js';

export interface TimingShape {
  readonly warmupMs: number;
  /** Length of one sample. */
  readonly sampleMs: number;
  /** Number of samples; the median is reported. */
  readonly samples: number;
}

export interface Timing {
  /** Median operations per second over the samples. */
  readonly opsPerSec: number;
  readonly samples: readonly number[];
  readonly operations: number;
}

export const QUICK_TIMING: TimingShape = { warmupMs: 150, sampleMs: 60, samples: 7 };
export const FULL_TIMING: TimingShape = { warmupMs: 500, sampleMs: 250, samples: 15 };

/** Keeps results observable so that the engine cannot drop the work. */
let blackhole = 0;
export function consume(x: number): void {
  blackhole = (blackhole + x) | 0;
}
export function blackholeValue(): number {
  return blackhole;
}

function runFor(fn: () => number, ms: number): [ops: number, elapsedMs: number] {
  const start = performance.now();
  let ops = 0;
  let now = start;
  do {
    consume(fn());
    ops++;
    now = performance.now();
  } while (now - start < ms);
  return [ops, now - start];
}

/**
 * Times several functions side by side: every sample round runs each of them once for
 * `sampleMs`, so that noise from other processes falls on all of them alike.
 */
export function timeInterleaved(fns: ReadonlyArray<() => number>, shape: TimingShape): Timing[] {
  for (const fn of fns) runFor(fn, shape.warmupMs);
  const rates = fns.map((): number[] => []);
  const operations = fns.map(() => 0);
  for (let i = 0; i < shape.samples; i++) {
    fns.forEach((fn, j) => {
      const [ops, ms] = runFor(fn, shape.sampleMs);
      operations[j] = (operations[j] ?? 0) + ops;
      rates[j]?.push((ops * 1000) / ms);
    });
  }
  return fns.map((_, j) => ({
    opsPerSec: median(rates[j] ?? []),
    samples: rates[j] ?? [],
    operations: operations[j] ?? 0,
  }));
}

/** Times `fn` (which returns any number derived from its work). */
export function timeOps(fn: () => number, shape: TimingShape): Timing {
  runFor(fn, shape.warmupMs);
  const rates: number[] = [];
  let operations = 0;
  for (let i = 0; i < shape.samples; i++) {
    const [ops, ms] = runFor(fn, shape.sampleMs);
    operations += ops;
    rates.push((ops * 1000) / ms);
  }
  return { opsPerSec: median(rates), samples: rates, operations };
}
