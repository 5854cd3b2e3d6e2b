/**
 * One measured load against one running target: warm up, reset the sink, snapshot the
 * target's CPU, run wrk for a bounded time, read what the sink received during the load, wait
 * for the target to flush, then read CPU, peak RSS and everything delivered.
 */
import type { SinkProcess } from '../lib/sink-process.js';
import { waitForQuiet } from '../lib/sink-process.js';
import { cpuBetween, treeCpu, treePeakRss } from '../lib/proc-stats.js';
import { runWrk, type WrkResult } from '../lib/wrk.js';
import type { BodyFile } from '../payloads/bodies.js';
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
    connections: load.connections,
    threads: load.threads,
  };
  // vmagent flushes once a second; tenantwire forwards before it answers, so a short quiet will do.
  const quietMs = target.spec.kind === 'vmagent' ? 1_500 : 400;
  if (load.warmupSec > 0) await runWrk({ ...wrkRun, durationSec: load.warmupSec });
  await waitForQuiet(sink, quietMs, 10_000);
  await sink.reset();
  const cpuBefore = treeCpu(target.process.pid);
  const sinkBefore = treeCpu(sink.process.pid);
  const wrk = await runWrk({ ...wrkRun, durationSec: load.durationSec });
  const inWindow = await sink.stats();
  const after = await waitForQuiet(sink, quietMs, 15_000);
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
  };
}
