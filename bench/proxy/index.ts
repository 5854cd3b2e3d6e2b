/**
 * The end-to-end proxy suite: wrk posts a fixed 2,000-series body to tenantwire (wire split,
 * full decode, pass-through), to cortex-tenant (split) and to vmagent (receive and forward); all
 * forward to one loopback sink, and every throughput figure counts only samples that reached it.
 */
import { hostWorkerDefault } from '../../src/config/cpu-quota.js';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { locateCortexTenant } from '../lib/cortex-tenant-path.js';
import { hasPeer } from '../lib/peers.js';
import { spawnSink } from '../lib/sink-process.js';
import { runWrk } from '../lib/wrk.js';
import type { BenchOptions, BenchResult, BenchRow, BenchSuite } from '../lib/suite.js';
import { createBodyDir, encodeBody, type BodyFile } from '../payloads/bodies.js';
import { cortexTenantVersion } from './cortex-tenant-config.js';
import { measureTarget, type LoadShape, type ProxyMeasurement } from './measure.js';
import { describePaced, measurePaced, pacedRow, type PacedMeasurement } from './paced.js';
import { queueNotes } from './queue-notes.js';
import { measureReplay, replayRow } from './replay.js';
import { proxyRatios, proxyRow, proxyNotes } from './report.js';
import { LABELS, repeatCounts, repeatsFor, selected, TARGETS, TENANTS } from './target-list.js';
import { startTarget, tenantwireBuilt, type BodyName, type RunningTarget, type TargetSpec } from './targets.js';

export { TARGETS };

const repoRoot = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
const SERIES = 2_000;
const TENANT_LABEL = 'tenant';

async function run(options: BenchOptions): Promise<BenchResult> {
  const load: LoadShape = options.quick
    ? { peersBin: options.peersBin, warmupSec: 2, durationSec: 4, connections: 8, threads: 1 }
    : { peersBin: options.peersBin, warmupSec: 2, durationSec: 8, connections: 8, threads: 1 };
  const notes: string[] = [];
  if (!hasPeer(options.peersBin, 'wrk')) throw new Error('wrk is not installed: run `npm run peers`');

  const rowFilter = options.rows;
  const wanted = (label: string): boolean => rowFilter === undefined || rowFilter.some((r) => label.includes(r));
  const replayMib = options.replayMib ?? (options.quick ? 64 : 256);
  const replayLabel = `tenantwire, queue mode, replay of a ${replayMib} MiB backlog after SIGKILL (${TENANTS} tenants)`;
  const cortexTenant = locateCortexTenant({
    repoRoot,
    ...(options.cortexTenant !== undefined ? { flag: options.cortexTenant } : {}),
  });
  const skipped = new Set<string>();
  let targets = TARGETS.filter((t) => {
    if (!selected(t, { quick: options.quick, ...(rowFilter ? { rows: rowFilter } : {}) })) return false;
    if (t.kind === 'vmagent' && !hasPeer(options.peersBin, 'vmagent')) {
      skipped.add('vmagent is not installed (`npm run peers`); its rows are missing.');
      return false;
    }
    if (t.kind === 'cortex-tenant' && !cortexTenant.found) {
      skipped.add(cortexTenant.note);
      return false;
    }
    return true;
  });
  notes.push(...skipped);
  const optedOut = TARGETS.filter((t) => t.optIn === true && !targets.includes(t));
  if (optedOut.length > 0 && rowFilter === undefined)
    notes.push(
      `Not run by default (to keep the run in its time budget; \`--rows\` selects them): ` +
        `${optedOut.map((t) => t.label.replace(/^tenantwire, /, '')).join('; ')}.`,
    );
  if (!tenantwireBuilt(repoRoot)) {
    notes.push('dist/main.js is not built (`npm run build`); the tenantwire rows are missing.');
    targets = targets.filter((t) => !t.kind.startsWith('tenantwire'));
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
    // Unset: the rows run with the default a user gets (one worker per two CPUs).
    const workers = undefined;
    const ctx = {
      repoRoot,
      peersBin: options.peersBin,
      sinkPushUrl: sink.pushUrl,
      tenantLabel: TENANT_LABEL,
      workers,
      ...(cortexTenant.found ? { cortexTenant: cortexTenant.path } : {}),
    };
    const results = new Map<TargetSpec, ProxyMeasurement[]>();
    const paced = new Map<TargetSpec, PacedMeasurement[]>();
    const failed = new Set<TargetSpec>();
    let cortexTenantSeen: string | undefined;
    const repeats = Math.max(0, ...targets.map((t) => repeatsFor(t, options.quick)));
    for (let rep = 0; rep < repeats; rep++) {
      for (const spec of targets) {
        if (failed.has(spec) || rep >= repeatsFor(spec, options.quick)) continue;
        options.log(`${spec.label}: run ${rep + 1}/${repeatsFor(spec, options.quick)}, ${load.durationSec} s`);
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
          if (spec.halfLoad === true && m.wrk.requestsPerSec > 0) {
            const p = await measurePaced(target, byName[spec.body], sink, load, m.wrk.requestsPerSec);
            options.log(describePaced(p));
            paced.set(spec, [...(paced.get(spec) ?? []), p]);
          }
          if (spec.kind === 'cortex-tenant') cortexTenantSeen ??= cortexTenantVersion(target.process.output());
        } finally {
          await target.stop();
        }
      }
    }
    const rows: BenchRow[] = [];
    for (const t of targets) {
      const runs = results.get(t);
      if (runs) rows.push(proxyRow(t.label, runs));
      const half = paced.get(t);
      if (half) rows.push(pacedRow(t.label, half));
    }
    const replaySpec = TARGETS.find((t) => t.label === LABELS.queue);
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
          repeats: repeatCounts(options.quick),
          workers: hostWorkerDefault().workers,
          results,
          rows,
          ...(cortexTenant.found && results.size > 0
            ? { cortexTenant: { path: cortexTenant.path, source: cortexTenant.source, version: cortexTenantSeen } }
            : {}),
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
