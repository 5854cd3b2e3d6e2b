/** Rows, ratios and plain-language notes of the proxy suite, from medians of its runs. */
import { formatBytes, formatRatio, median } from '../lib/format.js';
import type { BenchRatio, BenchRow } from '../lib/suite.js';
import type { BodyFile } from '../payloads/bodies.js';
import type { LoadShape, ProxyMeasurement } from './measure.js';
import type { TargetSpec } from './targets.js';

export function proxyRow(label: string, runs: readonly ProxyMeasurement[]): BenchRow {
  const med = (f: (m: ProxyMeasurement) => number): number => median(runs.map(f));
  return {
    label,
    figures: {
      'req/s': med((m) => m.wrk.requestsPerSec),
      'samples/s': med((m) => m.samplesInWindow / m.wrk.durationSec),
      'p50 ms': med((m) => m.wrk.latencyMs.p50),
      'p99 ms': med((m) => m.wrk.latencyMs.p99),
      'CPU s per M samples': med((m) => (m.samplesDelivered > 0 ? m.cpuSec / (m.samplesDelivered / 1e6) : NaN)),
      'peak RSS MiB': med((m) => m.peakRssBytes / 2 ** 20),
      'samples delivered': med((m) => m.samplesDelivered),
      'delivered %': med((m) => (m.samplesSent > 0 ? (100 * m.samplesDelivered) / m.samplesSent : NaN)),
      'upstream req per request': med((m) => (m.wrk.requests > 0 ? m.sinkRequests / m.wrk.requests : NaN)),
      ...(runs.every((m) => m.queue !== undefined) ? queueFigures(runs) : {}),
    },
  };
}

/** Queue mode's own columns: the backlog when wrk stopped, the drain, the disk, the fsyncs. */
function queueFigures(runs: readonly ProxyMeasurement[]): Record<string, number> {
  const med = (f: (q: NonNullable<ProxyMeasurement['queue']>, m: ProxyMeasurement) => number): number =>
    median(runs.map((m) => (m.queue ? f(m.queue, m) : NaN)));
  return {
    'samples acked': med((_, m) => m.samplesSent),
    'records pending at end': med((q) => q.pendingAtEnd),
    'drain s': med((q) => q.drainSec),
    'disk MiB at end': med((q) => q.diskBytesAtEnd / 2 ** 20),
    'fsync p99 ms': med((q) => q.fsyncP99Ms),
  };
}

function find(rows: readonly BenchRow[], prefix: string): BenchRow | undefined {
  return rows.find((r) => r.label.startsWith(prefix));
}

function ratio(
  label: string,
  a: BenchRow | undefined,
  b: BenchRow | undefined,
  figure: string,
  higherIsBetter: boolean,
): BenchRatio[] {
  const x = a?.figures[figure];
  const y = b?.figures[figure];
  if (x === undefined || y === undefined || !Number.isFinite(x) || !Number.isFinite(y) || y === 0) return [];
  return [{ label: `${label}, ${figure}`, value: x / y, higherIsBetter }];
}

export function proxyRatios(rows: readonly BenchRow[]): BenchRatio[] {
  const wire = find(rows, 'tenantwire, wire split (10 ');
  const oneWorker = find(rows, 'tenantwire, wire split, 1 worker');
  const decode = find(rows, 'tenantwire, full');
  const pass = find(rows, 'tenantwire, pass');
  const vm = find(rows, 'vmagent');
  const joined = find(rows, 'tenantwire, wire split, coalesced (10 ');
  const wire100 = find(rows, 'tenantwire, wire split (100');
  const joined100 = find(rows, 'tenantwire, wire split, coalesced (100');
  const queue = find(rows, 'tenantwire, queue mode, WAL (10 ');
  return [
    ...ratio('queue mode vs vmagent', queue, vm, 'samples/s', true),
    ...ratio('queue mode vs vmagent', queue, vm, 'CPU s per M samples', false),
    ...ratio('queue mode vs vmagent', queue, vm, 'p99 ms', false),
    ...ratio('queue mode vs vmagent', queue, vm, 'peak RSS MiB', false),
    ...ratio('queue mode vs synchronous wire split', queue, wire, 'samples/s', true),
    ...ratio('queue mode vs synchronous wire split', queue, wire, 'CPU s per M samples', false),
    ...ratio('wire split vs full decode', wire, decode, 'samples/s', true),
    ...ratio('wire split vs full decode', wire, decode, 'CPU s per M samples', false),
    ...ratio('wire split vs vmagent', wire, vm, 'samples/s', true),
    ...ratio('wire split vs vmagent', wire, vm, 'CPU s per M samples', false),
    ...ratio('wire split vs vmagent', wire, vm, 'p99 ms', false),
    ...ratio('wire split vs vmagent', wire, vm, 'peak RSS MiB', false),
    ...ratio('pass-through vs vmagent', pass, vm, 'samples/s', true),
    ...ratio('pass-through vs wire split', pass, wire, 'samples/s', true),
    ...ratio('pass-through (no split at all) vs full decode', pass, decode, 'samples/s', true),
    ...ratio('wire split, 1 worker vs 2', oneWorker, wire, 'samples/s', true),
    ...ratio('wire split, 1 worker vs 2', oneWorker, wire, 'peak RSS MiB', false),
    ...ratio(
      'wire split, 2.0 vs 1.0 bodies',
      find(rows, 'tenantwire, wire split, remote-write 2.0'),
      wire,
      'samples/s',
      true,
    ),
    ...ratio('wire split, 100 vs 10 tenants', find(rows, 'tenantwire, wire split (100'), wire, 'samples/s', true),
    ...ratio(
      'wire split, 100 vs 10 tenants',
      find(rows, 'tenantwire, wire split (100'),
      wire,
      'CPU s per M samples',
      false,
    ),
    ...ratio('coalesced wire split vs full decode', joined, decode, 'samples/s', true),
    ...ratio('coalesced wire split vs full decode', joined, decode, 'CPU s per M samples', false),
    ...ratio('coalesced vs plain wire split, 10 tenants', joined, wire, 'samples/s', true),
    ...ratio('coalesced vs plain wire split, 10 tenants', joined, wire, 'CPU s per M samples', false),
    ...ratio('coalesced vs plain wire split, 100 tenants', joined100, wire100, 'samples/s', true),
    ...ratio('coalesced vs plain wire split, 100 tenants', joined100, wire100, 'CPU s per M samples', false),
  ];
}

export interface NotesInput {
  readonly split: BodyFile;
  readonly single: BodyFile;
  /** The remote-write 2.0 body, when the run had a 2.0 row. */
  readonly v2?: BodyFile;
  readonly load: LoadShape;
  readonly repeats: number;
  readonly workers: number;
  readonly results: ReadonlyMap<TargetSpec, readonly ProxyMeasurement[]>;
  readonly rows: readonly BenchRow[];
}

export function proxyNotes(input: NotesInput): string[] {
  const { split, load } = input;
  const c = split.counts;
  const v2 = input.v2;
  const notes = [
    `Body: ${c.series.toLocaleString('en-US')} series (node-exporter, kube-state-metrics and application ` +
      `shapes, 8 to 12 labels), ${c.samples} float samples, ${c.histograms} native histograms, ${c.exemplars} ` +
      `exemplars; ${formatBytes(split.raw.length)} protobuf, ${formatBytes(split.compressed.length)} snappy; ` +
      `${input.split.options.tenants} tenants for the split rows (100 where the row says so), 1 for ` +
      `pass-through.${
        v2
          ? ` The same request as remote-write 2.0 is ${formatBytes(v2.raw.length)} protobuf, ` +
            `${formatBytes(v2.compressed.length)} snappy (one symbol table instead of repeated label strings); ` +
            'vmagent 1.79 cannot take 2.0.'
          : ''
      }`,
    `Load: wrk, ${load.threads} thread, ${load.connections} connections, ${load.warmupSec} s warm-up then ` +
      `${load.durationSec} s measured, ${input.repeats} run(s) per target interleaved, medians. tenantwire runs ` +
      `${input.workers} workers unless the row says otherwise. Everything on 127.0.0.1, sharing the machine's ` +
      `cores with wrk and the sink.`,
    'samples/s counts float samples plus native histograms that reached the sink during the measured window; ' +
      "CPU s per M samples is the server process tree's utime+stime (including its workers) over the window and " +
      'its flush, per million samples delivered. delivered % compares what reached the sink with what the ' +
      'requests wrk saw completed carried; it can pass 100 by the requests still in flight when wrk stopped.',
  ];
  const sinkCost = [...input.results].map(([spec, runs]) => {
    const perM = median(runs.map((m) => m.sinkCpuSec / Math.max(1e-9, m.samplesDelivered / 1e6)));
    return `${spec.label.replace(/^tenantwire, /, '')} ${perM.toFixed(2)}`;
  });
  if (sinkCost.length > 0)
    notes.push(
      `The sink's own CPU s per M samples it received: ${sinkCost.join(', ')}. It runs on the same cores, so ` +
        `the faster a target delivers, the more the sink takes from it.`,
    );
  for (const [spec, runs] of input.results) {
    if (spec.kind !== 'vmagent') continue;
    const last = runs[runs.length - 1];
    if (!last) continue;
    const sentHist = (last.wrk.requests - last.wrk.non2xx) * split.counts.histograms;
    if (last.histogramsDelivered < sentHist * 0.5) {
      notes.push(
        `vmagent 1.79 does not forward native histograms (it predates them) and delivered ` +
          `${last.exemplarsDelivered > 0 ? 'some' : 'no'} exemplars: it did less work per body than tenantwire, ` +
          `which forwards all of them.`,
      );
    }
    notes.push(
      'vmagent does not split by tenant: it parses, re-batches (blocks of up to 10,000 samples) and ' +
        're-compresses, and answers the sender before forwarding, so its latency is that of an ingest buffer ' +
        "while tenantwire's includes the forward to the sink; compare samples/s and CPU, not requests.",
    );
  }
  const wire = find(input.rows, 'tenantwire, wire split (10 ');
  const vm = find(input.rows, 'vmagent');
  const fig = (row: BenchRow | undefined, f: string): number => row?.figures[f] ?? NaN;
  if (wire && vm) {
    const sps = fig(vm, 'samples/s') / fig(wire, 'samples/s');
    const cpu = fig(wire, 'CPU s per M samples') / fig(vm, 'CPU s per M samples');
    const rss = fig(wire, 'peak RSS MiB') / fig(vm, 'peak RSS MiB');
    if (sps > 1) notes.push(`vmagent is ahead on delivered samples/s: ${formatRatio(sps)} tenantwire's wire split.`);
    if (cpu > 1)
      notes.push(
        `vmagent is ahead on CPU per sample: tenantwire's wire split spends ${formatRatio(cpu)} vmagent's CPU ` +
          `per million samples delivered.`,
      );
    if (rss > 1)
      notes.push(
        `vmagent is ahead on memory: tenantwire's peak RSS (${input.workers} workers and their primary) is ` +
          `${formatRatio(rss)} vmagent's.`,
      );
  }
  return notes;
}
