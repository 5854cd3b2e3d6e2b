/** Rows, ratios and plain-language notes of the proxy suite, from medians of its runs. */
import { formatBytes, formatRatio, median } from '../lib/format.js';
import type { BenchRatio, BenchRow } from '../lib/suite.js';
import type { BodyFile } from '../payloads/bodies.js';
import type { LoadShape, ProxyMeasurement } from './measure.js';
import type { CortexTenantSource } from '../lib/cortex-tenant-path.js';
import { compare, goalRatios } from './goals.js';
import { peerNotes } from './peer-notes.js';
import { LABELS } from './target-list.js';
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

function find(rows: readonly BenchRow[], label: string): BenchRow | undefined {
  return rows.find((r) => r.label === label);
}

/** The goals first, then how tenantwire's own modes compare (at the load's 8 connections). */
export function proxyRatios(rows: readonly BenchRow[]): BenchRatio[] {
  const wire = find(rows, LABELS.wire(8));
  const twoWorkers = find(rows, LABELS.twoWorkers(8));
  const decode = find(rows, LABELS.decode);
  const pass = find(rows, LABELS.pass);
  const vm = find(rows, LABELS.vmagent(8));
  const joined = find(rows, LABELS.coalesced);
  const wire100 = find(rows, LABELS.wire100);
  const joined100 = find(rows, LABELS.coalesced100);
  const queue = find(rows, LABELS.queue);
  return [
    ...goalRatios(rows),
    ...compare('wire split vs vmagent, 8 connections', wire, vm, 'p99 ms', false),
    ...compare('queue mode vs vmagent', queue, vm, 'samples/s', true),
    ...compare('queue mode vs vmagent', queue, vm, 'CPU s per M samples', false),
    ...compare('queue mode vs vmagent', queue, vm, 'p99 ms', false),
    ...compare('queue mode vs vmagent', queue, vm, 'peak RSS MiB', false),
    ...compare('queue mode vs synchronous wire split', queue, wire, 'samples/s', true),
    ...compare('queue mode vs synchronous wire split', queue, wire, 'CPU s per M samples', false),
    ...compare(
      'with mapping, auth and limits vs plain wire split',
      find(rows, LABELS.guardrails),
      wire,
      'samples/s',
      true,
    ),
    ...compare(
      'with mapping, auth and limits vs plain wire split',
      find(rows, LABELS.guardrails),
      wire,
      'CPU s per M samples',
      false,
    ),
    ...compare('wire split vs full decode', wire, decode, 'samples/s', true),
    ...compare('wire split vs full decode', wire, decode, 'CPU s per M samples', false),
    ...compare('pass-through vs vmagent', pass, vm, 'samples/s', true),
    ...compare('pass-through vs wire split', pass, wire, 'samples/s', true),
    ...compare('pass-through (no split at all) vs full decode', pass, decode, 'samples/s', true),
    ...compare('wire split, 2 workers vs the default', twoWorkers, wire, 'samples/s', true),
    ...compare('wire split, 2 workers vs the default', twoWorkers, wire, 'peak RSS MiB', false),
    ...compare('wire split, 2.0 vs 1.0 bodies', find(rows, LABELS.v2), wire, 'samples/s', true),
    ...compare('wire split, 100 vs 10 tenants', wire100, wire, 'samples/s', true),
    ...compare('wire split, 100 vs 10 tenants', wire100, wire, 'CPU s per M samples', false),
    ...compare('coalesced wire split vs full decode', joined, decode, 'samples/s', true),
    ...compare('coalesced wire split vs full decode', joined, decode, 'CPU s per M samples', false),
    ...compare('coalesced vs plain wire split, 10 tenants', joined, wire, 'samples/s', true),
    ...compare('coalesced vs plain wire split, 10 tenants', joined, wire, 'CPU s per M samples', false),
    ...compare('coalesced vs plain wire split, 100 tenants', joined100, wire100, 'samples/s', true),
    ...compare('coalesced vs plain wire split, 100 tenants', joined100, wire100, 'CPU s per M samples', false),
  ];
}

export interface NotesInput {
  readonly split: BodyFile;
  readonly single: BodyFile;
  /** The remote-write 2.0 body, when the run had a 2.0 row. */
  readonly v2?: BodyFile;
  readonly load: LoadShape;
  /** Runs per row: the peer comparison's and the other rows'. */
  readonly repeats: { readonly comparison: number; readonly other: number };
  readonly workers: number;
  readonly results: ReadonlyMap<TargetSpec, readonly ProxyMeasurement[]>;
  readonly rows: readonly BenchRow[];
  /** The cortex-tenant binary, when its rows ran. */
  readonly cortexTenant?: { readonly path: string; readonly source: CortexTenantSource; readonly version?: string };
}

function runsText(r: NotesInput['repeats']): string {
  return r.comparison === r.other
    ? `${r.comparison} run(s) per target`
    : `${r.comparison} runs per target of the peer comparison (2 and 8 connections) and ${r.other} per other row`;
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
    `Load: wrk, ${load.threads} thread, ${load.connections} connections unless the row says 2, ${load.warmupSec} s warm-up then ` +
      `${load.durationSec} s measured, ${runsText(input.repeats)} interleaved, medians. tenantwire runs ` +
      `the default workers (one per two CPUs: ${input.workers} here) unless the row says otherwise. Everything on 127.0.0.1, sharing the machine's ` +
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
  const vmRuns = [...input.results].find(([spec]) => spec.kind === 'vmagent')?.[1];
  const last = vmRuns?.[vmRuns.length - 1];
  if (last) {
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
  notes.push(...peerNotes(input));
  const wire = find(input.rows, LABELS.wire(8));
  const vm = find(input.rows, LABELS.vmagent(8));
  const fig = (row: BenchRow | undefined, f: string): number => row?.figures[f] ?? NaN;
  if (wire && vm) {
    const sps = fig(vm, 'samples/s') / fig(wire, 'samples/s');
    const cpu = fig(wire, 'CPU s per M samples') / fig(vm, 'CPU s per M samples');
    const rss = fig(wire, 'peak RSS MiB') / fig(vm, 'peak RSS MiB');
    if (sps > 1)
      notes.push(
        `vmagent is ahead on delivered samples/s at 8 connections: ${formatRatio(sps)} tenantwire's wire split.`,
      );
    if (cpu > 1)
      notes.push(
        `vmagent is ahead on CPU per sample: tenantwire's wire split spends ${formatRatio(cpu)} vmagent's CPU ` +
          `per million samples delivered (8 connections).`,
      );
    if (rss > 1)
      notes.push(
        `vmagent is ahead on memory: tenantwire's peak RSS (${input.workers === 1 ? 'its one process' : `${input.workers} workers and their primary`}) is ` +
          `${formatRatio(rss)} vmagent's (8 connections).`,
      );
  }
  return notes;
}
