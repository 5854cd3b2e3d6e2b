/**
 * The end-to-end proxy suite: wrk posts a fixed 2,000-series body to tenantwire (wire split,
 * full decode, pass-through) and to vmagent (receive and forward); all forward to one loopback
 * sink, and every throughput figure counts only samples that reached it.
 */
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { hasPeer } from '../lib/peers.js';
import { spawnSink } from '../lib/sink-process.js';
import { runWrk } from '../lib/wrk.js';
import type { BenchOptions, BenchResult, BenchSuite } from '../lib/suite.js';
import { createBodyDir, encodeBody, type BodyFile } from '../payloads/bodies.js';
import { measureTarget, type LoadShape, type ProxyMeasurement } from './measure.js';
import { queueNotes } from './queue-notes.js';
import { measureReplay, replayRow } from './replay.js';
import { proxyRatios, proxyRow, proxyNotes } from './report.js';
import { startTarget, tenantwireBuilt, type BodyName, type RunningTarget, type TargetSpec } from './targets.js';

const repoRoot = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
const SERIES = 2_000;
const TENANTS = 10;
const TENANT_LABEL = 'tenant';

export const TARGETS: readonly TargetSpec[] = [
  { kind: 'tenantwire-wire', label: `tenantwire, wire split (${TENANTS} tenants)`, body: 'split' },
  {
    kind: 'tenantwire-wire',
    label: `tenantwire, wire split, 1 worker (${TENANTS} tenants)`,
    body: 'split',
    workers: 1,
  },
  { kind: 'tenantwire-decode', label: `tenantwire, full decode (${TENANTS} tenants)`, body: 'split' },
  {
    kind: 'tenantwire-wire',
    label: `tenantwire, wire split, remote-write 2.0 (${TENANTS} tenants)`,
    body: 'split-v2',
    fullOnly: true,
  },
  { kind: 'tenantwire-wire', label: 'tenantwire, wire split (100 tenants)', body: 'split-100', fullOnly: true },
  {
    kind: 'tenantwire-wire',
    label: `tenantwire, wire split, coalesced (${TENANTS} tenants)`,
    body: 'split',
    coalesce: true,
  },
  {
    kind: 'tenantwire-wire',
    label: 'tenantwire, wire split, coalesced (100 tenants)',
    body: 'split-100',
    fullOnly: true,
    coalesce: true,
  },
  { kind: 'tenantwire-pass', label: 'tenantwire, pass-through (1 tenant)', body: 'single' },
  { kind: 'tenantwire-wire', label: `tenantwire, queue mode, WAL (${TENANTS} tenants)`, body: 'split', queue: {} },
  {
    kind: 'tenantwire-wire',
    label: `tenantwire, queue mode, WAL, 1 worker (${TENANTS} tenants)`,
    body: 'split',
    workers: 1,
    queue: {},
    fullOnly: true,
  },
  {
    kind: 'tenantwire-wire',
    label: `tenantwire, queue mode, WAL, max_samples_per_send 10000 (${TENANTS} tenants)`,
    body: 'split',
    queue: { maxSamplesPerSend: 10_000 },
    fullOnly: true,
  },
  {
    kind: 'tenantwire-wire',
    label: `tenantwire, queue mode, WAL, 1 worker, max_samples_per_send 10000 (${TENANTS} tenants)`,
    body: 'split',
    workers: 1,
    queue: { maxSamplesPerSend: 10_000 },
    fullOnly: true,
  },
  { kind: 'vmagent', label: 'vmagent, receive and forward', body: 'split' },
];

async function run(options: BenchOptions): Promise<BenchResult> {
  const load: LoadShape = options.quick
    ? { peersBin: options.peersBin, warmupSec: 2, durationSec: 4, connections: 8, threads: 1 }
    : { peersBin: options.peersBin, warmupSec: 3, durationSec: 15, connections: 8, threads: 1 };
  const repeats = options.quick ? 1 : 3;
  const notes: string[] = [];
  if (!hasPeer(options.peersBin, 'wrk')) throw new Error('wrk is not installed: run `npm run peers`');

  const rowFilter = options.rows;
  const wanted = (label: string): boolean => rowFilter === undefined || rowFilter.some((r) => label.includes(r));
  const replayMib = options.replayMib ?? (options.quick ? 64 : 256);
  const replayLabel = `tenantwire, queue mode, replay of a ${replayMib} MiB backlog after SIGKILL (${TENANTS} tenants)`;
  let targets = TARGETS.filter((t) => {
    if (!wanted(t.label)) return false;
    if (t.fullOnly === true && options.quick) return false;
    if (t.kind === 'vmagent' && !hasPeer(options.peersBin, 'vmagent')) {
      notes.push('vmagent is not installed (`npm run peers`); its row is missing.');
      return false;
    }
    return true;
  });
  if (!tenantwireBuilt(repoRoot)) {
    notes.push('dist/main.js is not built (`npm run build`); the tenantwire rows are missing.');
    targets = targets.filter((t) => t.kind === 'vmagent');
  }

  const bodies = createBodyDir();
  const sink = await spawnSink();
  try {
    const split = bodies.write(encodeBody('split', { series: SERIES, tenants: TENANTS, tenantLabel: TENANT_LABEL }));
    const single = bodies.write(encodeBody('single', { series: SERIES, tenants: 1, tenantLabel: TENANT_LABEL }));
    const byName: Record<BodyName, BodyFile> = {
      split,
      single,
      'split-v2': bodies.write(
        encodeBody('split-v2', { series: SERIES, tenants: TENANTS, tenantLabel: TENANT_LABEL }, '2.0'),
      ),
      'split-100': bodies.write(encodeBody('split-100', { series: SERIES, tenants: 100, tenantLabel: TENANT_LABEL })),
    };
    // Warm the sink (its JIT and sockets) so that the first target is not measured against a cold one.
    await runWrk({
      peersBin: options.peersBin,
      url: sink.pushUrl,
      bodyFile: split.path,
      contentType: split.contentType,
      remoteWriteVersion: split.remoteWriteVersion,
      durationSec: load.warmupSec + 1,
      connections: load.connections,
      threads: 1,
    });
    await sink.reset();
    const workers = 2;
    const ctx = { repoRoot, peersBin: options.peersBin, sinkPushUrl: sink.pushUrl, tenantLabel: TENANT_LABEL, workers };
    const results = new Map<TargetSpec, ProxyMeasurement[]>();
    const failed = new Set<TargetSpec>();
    for (let rep = 0; rep < repeats; rep++) {
      for (const spec of targets) {
        if (failed.has(spec)) continue;
        options.log(`${spec.label}: run ${rep + 1}/${repeats}, ${load.durationSec} s`);
        let target: RunningTarget;
        try {
          target = await startTarget(spec, ctx);
        } catch (e) {
          failed.add(spec);
          notes.push(`${spec.label} did not start: ${String(e).split('\n')[0] ?? ''}`);
          continue;
        }
        try {
          const m = await measureTarget(target, byName[spec.body], sink, load);
          options.log(
            `  ${m.wrk.requestsPerSec.toFixed(0)} req/s, ${Math.round(m.samplesInWindow / m.wrk.durationSec)} ` +
              `samples/s at the sink, p99 ${m.wrk.latencyMs.p99} ms`,
          );
          results.set(spec, [...(results.get(spec) ?? []), m]);
        } finally {
          await target.stop();
        }
      }
    }
    const measured = targets.filter((t) => results.has(t));
    const rows = measured.map((t) => proxyRow(t.label, results.get(t) ?? []));
    const replaySpec = TARGETS.find((t) => t.label.startsWith('tenantwire, queue mode, WAL (10 '));
    let replayed = false;
    if (replaySpec && wanted(replayLabel) && tenantwireBuilt(repoRoot)) {
      options.log(`${replayLabel}`);
      try {
        const m = await measureReplay(replaySpec, ctx, sink, split, replayMib);
        options.log(`  ${(m.backlogBytes / 1e6 / m.seconds).toFixed(0)} MB/s, ${m.seconds.toFixed(1)} s`);
        rows.push(replayRow(replayLabel, m));
        replayed = true;
      } catch (e) {
        notes.push(`The replay measurement failed: ${String(e).split('\n')[0] ?? ''}`);
      }
    }
    return {
      name: 'proxy',
      title:
        `End-to-end proxy: ${SERIES.toLocaleString('en-US')}-series remote-write bodies, delivered at a ` +
        `loopback sink`,
      rows,
      ratios: proxyRatios(rows),
      notes: [
        ...proxyNotes({
          split,
          single,
          v2: options.quick ? undefined : byName['split-v2'],
          load,
          repeats,
          workers,
          results,
          rows,
        }),
        ...queueNotes(rows, replayed ? replayMib : undefined),
        ...notes,
      ],
      chartFigure: 'samples/s',
    };
  } finally {
    await sink.stop();
    bodies.remove();
  }
}

export const suite: BenchSuite = { name: 'proxy', run };
