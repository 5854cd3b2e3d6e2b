/**
 * End-to-end replay of a queue backlog: tenantwire in queue mode acknowledges the 10-tenant
 * body while its upstream is unreachable until the queue holds the backlog size, is killed
 * (SIGKILL, nothing flushed), and is started again on the same directory with the sink up; the
 * figure is the time from that start until the sink has every acknowledged sample, as MB/s of
 * the WAL bytes left on disk.
 */
import { freePort } from '../lib/peers.js';
import { existsSync, readFileSync } from 'node:fs';
import { cpuBetween, processTree, treeCpu, treePeakRss } from '../lib/proc-stats.js';
import type { SinkProcess } from '../lib/sink-process.js';
import type { BenchRow } from '../lib/suite.js';
import { makeTempDir } from '../lib/temp-dirs.js';
import type { BodyFile } from '../payloads/bodies.js';
import { dirBytes, pendingRecords, scrapeMetrics } from './queue-stats.js';
import { startTarget, type TargetContext, type TargetSpec } from './targets.js';

export interface ReplayMeasurement {
  readonly backlogBytes: number;
  readonly samplesAcked: number;
  readonly samplesDelivered: number;
  /** From the second start until the sink had every acknowledged sample. */
  readonly seconds: number;
  /** From the second start until it answered /ready. */
  readonly readySec: number;
  readonly cpuSec: number;
  readonly peakRssBytes: number;
}

const FILL_CONCURRENCY = 8;
const FILL_MAX_MS = 600_000;
const REPLAY_MAX_MS = 600_000;

function alive(pid: number): boolean {
  if (!existsSync(`/proc/${pid}`)) return false;
  try {
    return !/^State:\s+Z/m.test(readFileSync(`/proc/${pid}/status`, 'utf8'));
  } catch {
    return false;
  }
}

/**
 * SIGKILL to the whole group, then wait until every process of it is gone: a worker stuck in
 * an fsync dies only once that returns, and until then it still holds its queue directory.
 */
async function killTree(pid: number): Promise<void> {
  const tree = processTree(pid);
  process.kill(-pid, 'SIGKILL');
  const deadline = Date.now() + 30_000;
  while (tree.some(alive)) {
    if (Date.now() > deadline) throw new Error(`processes ${tree.filter(alive).join(', ')} outlived SIGKILL`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

async function post(url: string, body: BodyFile): Promise<boolean> {
  const r = await fetch(url, {
    method: 'POST',
    body: body.compressed,
    headers: {
      'content-type': body.contentType,
      'content-encoding': 'snappy',
      'x-prometheus-remote-write-version': body.remoteWriteVersion,
    },
    signal: AbortSignal.timeout(30_000),
  });
  await r.arrayBuffer();
  return r.status >= 200 && r.status < 300;
}

/** Posts `body` until the queue directory holds `bytes`; returns the requests acknowledged. */
async function fill(pushUrl: string, queueDir: string, body: BodyFile, bytes: number): Promise<number> {
  let acked = 0;
  let full = false;
  const deadline = Date.now() + FILL_MAX_MS;
  await Promise.all(
    Array.from({ length: FILL_CONCURRENCY }, async (_, i) => {
      let n = 0;
      while (!full && Date.now() < deadline) {
        if (await post(pushUrl, body)) acked++;
        // One of the posters checks the disk now and then (a directory walk per request is too slow).
        if (i === 0 && ++n % 8 === 0 && dirBytes(queueDir, true) >= bytes) full = true;
      }
    }),
  );
  if (!full) throw new Error(`the queue did not reach ${bytes} bytes in ${FILL_MAX_MS} ms`);
  return acked;
}

export async function measureReplay(
  spec: TargetSpec,
  ctx: TargetContext,
  sink: SinkProcess,
  body: BodyFile,
  backlogMib: number,
): Promise<ReplayMeasurement> {
  const home = makeTempDir('replay');
  try {
    // Nothing listens on a port just freed: every upstream request fails, the queue only grows.
    const down = `http://127.0.0.1:${await freePort()}/push`;
    const filling = await startTarget(spec, { ...ctx, sinkPushUrl: down }, home.path);
    const queueDir = filling.queueDir as string;
    let acked: number;
    try {
      acked = await fill(filling.pushUrl, queueDir, body, backlogMib * 2 ** 20);
    } finally {
      await killTree(filling.process.pid);
      await filling.stop();
    }
    const backlogBytes = dirBytes(queueDir, true);
    const samplesAcked = acked * (body.counts.samples + body.counts.histograms);
    await sink.reset();
    const started = Date.now();
    const replaying = await startTarget(spec, ctx, home.path);
    const readySec = (Date.now() - started) / 1000;
    try {
      let delivered = 0;
      while (Date.now() - started < REPLAY_MAX_MS) {
        const s = await sink.stats();
        delivered = s.samples + s.histograms;
        if (delivered >= samplesAcked) break;
        await new Promise((r) => setTimeout(r, 50));
      }
      const seconds = (Date.now() - started) / 1000;
      if (delivered < samplesAcked) throw new Error(`replay delivered ${delivered} of ${samplesAcked} samples`);
      // From its start: opening the queue (checking every frame) is part of the replay.
      const cpuSec = cpuBetween(new Map(), treeCpu(replaying.process.pid));
      const peakRssBytes = treePeakRss(replaying.process.pid);
      // Count what else arrives (records appended but not acknowledged before the kill).
      while (pendingRecords(await scrapeMetrics(replaying.metricsUrl)) > 0 && Date.now() - started < REPLAY_MAX_MS)
        await new Promise((r) => setTimeout(r, 200));
      const s = await sink.stats();
      return {
        backlogBytes,
        samplesAcked,
        samplesDelivered: s.samples + s.histograms,
        seconds,
        readySec,
        cpuSec,
        peakRssBytes,
      };
    } finally {
      await replaying.stop();
    }
  } finally {
    home.remove();
  }
}

export function replayRow(label: string, m: ReplayMeasurement): BenchRow {
  return {
    label,
    figures: {
      'samples/s': m.samplesAcked / m.seconds,
      'CPU s per M samples': m.cpuSec / (m.samplesAcked / 1e6),
      'peak RSS MiB': m.peakRssBytes / 2 ** 20,
      'samples delivered': m.samplesDelivered,
      'delivered %': (100 * m.samplesDelivered) / m.samplesAcked,
      'samples acked': m.samplesAcked,
      'backlog MiB': m.backlogBytes / 2 ** 20,
      'replay MB/s': m.backlogBytes / 1e6 / m.seconds,
      'ready s': m.readySec,
    },
  };
}
