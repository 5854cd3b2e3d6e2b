/**
 * Latency below saturation: after a target's saturating run, wrk posts the same body on the
 * same connections paced to a fraction of the req/s that run reached (half, for the issue's
 * p99 goal), and the row reports the rate aimed at, the rate achieved and the latency there.
 */
import { formatNumber, median } from '../lib/format.js';
import { fractionOfRate, pacedIntervalMs } from '../lib/pacing.js';
import type { SinkProcess } from '../lib/sink-process.js';
import { waitForQuiet } from '../lib/sink-process.js';
import type { BenchRow } from '../lib/suite.js';
import { runWrk, type WrkResult } from '../lib/wrk.js';
import type { BodyFile } from '../payloads/bodies.js';
import type { LoadShape } from './measure.js';
import { halfLoadLabel } from './target-list.js';
import type { RunningTarget } from './targets.js';

export const HALF_LOAD = 0.5;

export interface PacedMeasurement {
  readonly targetRate: number;
  readonly wrk: WrkResult;
  /** Samples that reached the sink while wrk ran. */
  readonly samplesInWindow: number;
}

export async function measurePaced(
  target: RunningTarget,
  body: BodyFile,
  sink: SinkProcess,
  load: LoadShape,
  saturatingRate: number,
): Promise<PacedMeasurement> {
  const connections = target.spec.connections ?? load.connections;
  const targetRate = fractionOfRate(saturatingRate, HALF_LOAD);
  await waitForQuiet(sink, 400, 10_000);
  await sink.reset();
  const wrk = await runWrk({
    peersBin: load.peersBin,
    url: target.pushUrl,
    bodyFile: body.path,
    contentType: body.contentType,
    remoteWriteVersion: body.remoteWriteVersion,
    connections,
    threads: load.threads,
    durationSec: load.durationSec,
    intervalMs: pacedIntervalMs(targetRate, load.threads),
    ...(target.authorization !== undefined ? { authorization: target.authorization } : {}),
  });
  const s = await sink.stats();
  return { targetRate, wrk, samplesInWindow: s.samples + s.histograms };
}

export function pacedRow(label: string, runs: readonly PacedMeasurement[]): BenchRow {
  const med = (f: (m: PacedMeasurement) => number): number => median(runs.map(f));
  const rate = med((m) => m.targetRate);
  return {
    label: halfLoadLabel(label, rate),
    figures: {
      'req/s': med((m) => m.wrk.requestsPerSec),
      'samples/s': med((m) => m.samplesInWindow / m.wrk.durationSec),
      'p50 ms': med((m) => m.wrk.latencyMs.p50),
      'p99 ms': med((m) => m.wrk.latencyMs.p99),
      'target req/s': rate,
      'achieved %': med((m) => (100 * m.wrk.requestsPerSec) / m.targetRate),
    },
  };
}

/** One line for the progress log. */
export function describePaced(m: PacedMeasurement): string {
  return (
    `  half load: ${formatNumber(m.wrk.requestsPerSec)} of ${formatNumber(m.targetRate)} req/s, ` +
    `p50 ${m.wrk.latencyMs.p50} ms, p99 ${m.wrk.latencyMs.p99} ms`
  );
}
