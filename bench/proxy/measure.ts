/**
 * One measured load against one running target: warm up, reset the sink, snapshot the
 * target's CPU, run wrk for a bounded time, read what the sink received during the load, wait
 * for the target to flush, then read CPU, peak RSS and everything delivered. A queue-mode
 * target answers before it delivers: its backlog and disk use are read when wrk stops, and the
 * flush is waited for until its queue is empty.
 */
import type { SinkProcess } from '../lib/sink-process.js';
import { waitForQuiet } from '../lib/sink-process.js';
import { cpuBetween, treeCpu, treePeakRss } from '../lib/proc-stats.js';
import { runWrk, type WrkResult } from '../lib/wrk.js';
import type { BodyFile } from '../payloads/bodies.js';
import { dirBytes, fsyncCount, fsyncQuantileMs, pendingRecords, scrapeMetrics } from './queue-stats.js';
import type { RunningTarget } from './targets.js';

export interface LoadShape {
  readonly peersBin: string;
  readonly warmupSec: number;
  readonly durationSec: number;
  readonly connections: number;
  readonly threads: number;
}

export interface ProxyMeasurement {
  readonly wrk: WrkResult;
  /** Samples (floats + native histograms) that reached the sink while wrk ran. */
  readonly samplesInWindow: number;
  /** ... and in total, once the target had flushed. */
  readonly samplesDelivered: number;
  /** Samples the completed requests carried (2xx only). */
  readonly samplesSent: number;
  readonly seriesDelivered: number;
  readonly histogramsDelivered: number;
  readonly exemplarsDelivered: number;
  readonly sinkRequests: number;
  readonly sinkErrors: number;
  readonly tenantsSeen: number;
  readonly cpuSec: number;
  readonly peakRssBytes: number;
  /** CPU seconds the sink spent receiving, decompressing and counting over the same span. */
  readonly sinkCpuSec: number;
  /** Queue mode only. */
  readonly queue?: QueueMeasurement;
}

export interface QueueMeasurement {
  /** Bytes the queue directory took when wrk stopped, and once everything was delivered. */
  readonly diskBytesAtEnd: number;
  readonly diskBytesDrained: number;
  /** Records still in the queue when wrk stopped. */
  readonly pendingAtEnd: number;
  /** Seconds from wrk's stop until the queue was empty and the sink quiet. */
  readonly drainSec: number;
  /** Whether it emptied before the deadline. */
  readonly drained: boolean;
  /** Group-commit fsyncs over the target's life (warm-up included), their p50/p99 in ms. */
  readonly fsyncs: number;
  readonly fsyncP50Ms: number;
  readonly fsyncP99Ms: number;
}

/** Longest the bench waits for a queue to deliver its backlog after the load. */
const DRAIN_MAX_MS = 180_000;

/** Waits until the target's queue holds nothing and the sink has been quiet for `quietMs`. */
async function waitDrained(
  target: RunningTarget,
  sink: SinkProcess,
  quietMs: number,
  maxMs: number,
): Promise<{ drained: boolean; ms: number }> {
  const started = Date.now();
  while (Date.now() - started < maxMs) {
    const pending = pendingRecords(await scrapeMetrics(target.metricsUrl));
    if (pending === 0) break;
    await new Promise((r) => setTimeout(r, 200));
  }
  await waitForQuiet(sink, quietMs, Math.max(quietMs * 3, maxMs - (Date.now() - started)));
  const pending = pendingRecords(await scrapeMetrics(target.metricsUrl));
  return { drained: pending === 0, ms: Date.now() - started };
}

export async function measureTarget(
  target: RunningTarget,
  body: BodyFile,
  sink: SinkProcess,
  load: LoadShape,
): Promise<ProxyMeasurement> {
  const wrkRun = {
    peersBin: load.peersBin,
    url: target.pushUrl,
    bodyFile: body.path,
    contentType: body.contentType,
    remoteWriteVersion: body.remoteWriteVersion,
    connections: target.spec.connections ?? load.connections,
    threads: load.threads,
    ...(target.authorization !== undefined ? { authorization: target.authorization } : {}),
  };
  // vmagent flushes once a second; tenantwire forwards before it answers, so a short quiet will do.
  const quietMs = target.spec.kind === 'vmagent' ? 1_500 : 400;
  const queued = target.queueDir !== undefined;
  if (load.warmupSec > 0) await runWrk({ ...wrkRun, durationSec: load.warmupSec });
  if (queued) await waitDrained(target, sink, quietMs, DRAIN_MAX_MS);
  else await waitForQuiet(sink, quietMs, 10_000);
  await sink.reset();
  const cpuBefore = treeCpu(target.process.pid);
  const sinkBefore = treeCpu(sink.process.pid);
  const wrk = await runWrk({ ...wrkRun, durationSec: load.durationSec });
  const inWindow = await sink.stats();
  let queue: QueueMeasurement | undefined;
  let after: Awaited<ReturnType<typeof sink.stats>>;
  if (target.queueDir !== undefined) {
    // Delivery lags the answers in queue mode: read the backlog now, then wait for it to go out.
    const diskBytesAtEnd = dirBytes(target.queueDir);
    const pendingAtEnd = pendingRecords(await scrapeMetrics(target.metricsUrl));
    const drain = await waitDrained(target, sink, quietMs, DRAIN_MAX_MS);
    after = await sink.stats();
    const metrics = await scrapeMetrics(target.metricsUrl);
    queue = {
      diskBytesAtEnd,
      diskBytesDrained: dirBytes(target.queueDir),
      pendingAtEnd,
      drainSec: drain.ms / 1000,
      drained: drain.drained,
      fsyncs: fsyncCount(metrics),
      fsyncP50Ms: fsyncQuantileMs(metrics, 0.5),
      fsyncP99Ms: fsyncQuantileMs(metrics, 0.99),
    };
  } else {
    after = await waitForQuiet(sink, quietMs, 15_000);
  }
  const cpuSec = cpuBetween(cpuBefore, treeCpu(target.process.pid));
  const sinkCpuSec = cpuBetween(sinkBefore, treeCpu(sink.process.pid));
  const peakRssBytes = treePeakRss(target.process.pid);
  const perBody = body.counts.samples + body.counts.histograms;
  return {
    wrk,
    samplesInWindow: inWindow.samples + inWindow.histograms,
    samplesDelivered: after.samples + after.histograms,
    samplesSent: (wrk.requests - wrk.non2xx) * perBody,
    seriesDelivered: after.series,
    histogramsDelivered: after.histograms,
    exemplarsDelivered: after.exemplars,
    sinkRequests: after.requests,
    sinkErrors: after.errors,
    tenantsSeen: Object.keys(after.tenants).length,
    cpuSec,
    peakRssBytes,
    sinkCpuSec,
    ...(queue ? { queue } : {}),
  };
}
