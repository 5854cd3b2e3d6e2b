/**
 * The wal suite: the write-ahead log under the durable queues, on the real disk of the temp dir.
 * Appends with fsync (each append = 10 tenants x 20 KB) from 1, 8 and 64 concurrent appenders,
 * with the fsync p50/p99 of the group commits; then the replay read rate of a backlog (open =
 * checking every frame, then reading it all back in 4 MiB reads).
 *
 * Alone: `node --import tsx bench/wal/index.ts [--quick] [--replay-mib 1024]` prints the table.
 */
import { pathToFileURL } from 'node:url';
import { performance } from 'node:perf_hooks';
import { createLogger } from '../../src/logger.js';
import { openWal } from '../../src/wal/index.js';
import type { WalMetrics } from '../../src/wal/types.js';
import { formatNumber } from '../lib/format.js';
import type { BenchOptions, BenchResult, BenchRow, BenchSuite } from '../lib/suite.js';
import { makeTempDir } from '../lib/temp-dirs.js';

const TENANTS = 10;
const RECORD_BYTES = 20 * 1024;
const logger = createLogger('error', process.stderr);

function percentile(values: number[], p: number): number {
  if (values.length === 0) return NaN;
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] as number;
}

function metricsInto(fsyncs: number[]): WalMetrics {
  return {
    fsyncSeconds: (s) => void fsyncs.push(s * 1000),
    replayed: () => undefined,
    corruptCut: () => undefined,
    refused: () => undefined,
    ioError: () => undefined,
  };
}

async function appendCase(appenders: number, seconds: number): Promise<BenchRow> {
  const tmp = makeTempDir('wal');
  const fsyncs: number[] = [];
  const wal = await openWal({
    dir: tmp.path,
    maxDiskBytes: 2 ** 50,
    maxTenantDiskBytes: 2 ** 50,
    logger,
    metrics: metricsInto(fsyncs),
  });
  const payload = new Uint8Array(RECORD_BYTES).fill(7);
  const entries = Array.from({ length: TENANTS }, (_, i) => ({ tenant: `tenant-${i}`, payload }));
  let appends = 0;
  const deadline = performance.now() + seconds * 1000;
  const started = performance.now();
  await Promise.all(
    Array.from({ length: appenders }, async () => {
      while (performance.now() < deadline) {
        await wal.append(entries);
        appends++;
      }
    }),
  );
  const elapsed = (performance.now() - started) / 1000;
  await wal.close();
  tmp.remove();
  return {
    label: `append 10 tenants x 20 KB, ${appenders} appender${appenders > 1 ? 's' : ''}`,
    figures: {
      'appends/s': appends / elapsed,
      'MB/s': (appends * TENANTS * RECORD_BYTES) / elapsed / 1e6,
      'fsync p50 ms': percentile(fsyncs, 50),
      'fsync p99 ms': percentile(fsyncs, 99),
      'fsyncs/append': fsyncs.length / appends,
    },
  };
}

async function replayCase(mib: number): Promise<BenchRow> {
  const tmp = makeTempDir('wal-replay');
  const options = { dir: tmp.path, maxDiskBytes: 2 ** 50, maxTenantDiskBytes: 2 ** 50, logger };
  const writer = await openWal(options);
  const payload = new Uint8Array(256 * 1024).fill(3);
  const total = mib * 2 ** 20;
  for (let written = 0; written < total; written += payload.length * TENANTS) {
    await writer.append(Array.from({ length: TENANTS }, (_, i) => ({ tenant: `tenant-${i}`, payload })));
  }
  await writer.close();
  const rssBefore = process.memoryUsage().rss;
  let rssPeak = rssBefore;
  const started = performance.now();
  const wal = await openWal(options);
  const opened = performance.now();
  let bytes = 0;
  for (const t of wal.tenants()) {
    const log = wal.log(t);
    while (log.pendingRecords > 0) {
      const batch = await log.read(
        undefined,
        { maxRecords: 1000, maxBytes: 4 * 2 ** 20 },
        new AbortController().signal,
      );
      for (const r of batch) bytes += r.payload.length;
      log.ack((batch[batch.length - 1] as (typeof batch)[number]).end);
      rssPeak = Math.max(rssPeak, process.memoryUsage().rss);
    }
  }
  const done = performance.now();
  await wal.close();
  tmp.remove();
  return {
    label: `replay a ${mib} MiB backlog (open + read all)`,
    figures: {
      'MB/s': bytes / ((done - started) / 1000) / 1e6,
      'open s': (opened - started) / 1000,
      'read MB/s': bytes / ((done - opened) / 1000) / 1e6,
      'RSS growth MB': (rssPeak - rssBefore) / 1e6,
    },
  };
}

async function run(options: BenchOptions, replayMib?: number): Promise<BenchResult> {
  const seconds = options.quick ? 1.5 : 5;
  const rows: BenchRow[] = [];
  for (const n of [1, 8, 64]) {
    options.log(`append, ${n} appenders`);
    rows.push(await appendCase(n, seconds));
  }
  const mib = replayMib ?? options.replayMib ?? (options.quick ? 64 : 256);
  options.log(`replay ${mib} MiB`);
  rows.push(await replayCase(mib));
  return {
    name: 'wal',
    title: 'Write-ahead log: group-committed appends with fsync, replay of a backlog',
    rows,
    ratios: [],
    notes: [
      'Every append resolves after fdatasync; appends that arrive while a commit runs share the next one (group commit).',
      'Replay reads from disk in bounded chunks (memory does not grow with the backlog); open checks every frame.',
    ],
    chartFigure: 'MB/s',
  };
}

export const suite: BenchSuite = { name: 'wal', run: (o) => run(o) };

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const quick = process.argv.includes('--quick');
  const at = process.argv.indexOf('--replay-mib');
  const replayMib = at > 0 ? Number(process.argv[at + 1]) : undefined;
  const result = await run({ quick, peersBin: '', log: (l) => process.stderr.write(`${l}\n`) }, replayMib);
  for (const r of result.rows) {
    const figures = Object.entries(r.figures).map(([k, v]) => `${k} ${formatNumber(v)}`);
    process.stdout.write(`${r.label}: ${figures.join(', ')}\n`);
  }
}
