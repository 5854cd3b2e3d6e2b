/**
 * The OTLP suite: data points per second through tenantwire's `POST /v1/metrics` (translated,
 * split by tenant and forwarded as remote write to the loopback sink), beside the same workload
 * posted as remote write to the same process, same run: the proxy suite's 2,000-series body over
 * 10 tenants, and the equivalent OTLP bodies the OpenTelemetry SDK's own serialisers produce
 * (workload.ts), protobuf and JSON. One process (`workers: 1`), wrk with 2 connections, bodies
 * interleaved run by run; CPU per million points of the tenantwire process.
 *
 *   npm run bench -- --only otlp [--quick]
 */
import { writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { formatRatio, median } from '../lib/format.js';
import { hasPeer } from '../lib/peers.js';
import { cpuBetween, treeCpu } from '../lib/proc-stats.js';
import { spawnSink } from '../lib/sink-process.js';
import type { BenchOptions, BenchResult, BenchRow, BenchSuite } from '../lib/suite.js';
import { runWrk } from '../lib/wrk.js';
import { createBodyDir, encodeBody } from '../payloads/bodies.js';
import { startTarget, tenantwireBuilt } from '../proxy/targets.js';
import { otlpBodiesFor } from './workload.js';

const repoRoot = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
const here = dirname(fileURLToPath(import.meta.url));
const SERIES = 2_000;
const TENANTS = 10;
const CONNECTIONS = 2;

interface Shape {
  readonly label: string;
  readonly path: string;
  readonly bodyFile: string;
  readonly contentType: string;
  /** remote write: its version header; OTLP: the content encoding (none). */
  readonly third: string;
  readonly script?: string;
  readonly points: number;
}

interface Figures {
  pointsPerSec: number[];
  cpuPerMillion: number[];
  p99: number[];
}

async function run(options: BenchOptions): Promise<BenchResult> {
  if (!hasPeer(options.peersBin, 'wrk')) throw new Error('wrk is not installed: run `npm run peers`');
  if (!tenantwireBuilt(repoRoot)) throw new Error('dist/main.js is not built: run `npm run build`');
  const durationSec = options.quick ? 4 : 8;
  const reps = options.quick ? 2 : 3;
  const payload = { series: SERIES, tenants: TENANTS, tenantLabel: 'tenant', histogramShare: 0, exemplarShare: 0 };
  const rw = encodeBody('split', payload);
  const otlp = await otlpBodiesFor(rw.request);
  const bodies = createBodyDir();
  const rwFile = bodies.write(rw);
  const protoFile = join(bodies.path, 'otlp.pb');
  const jsonFile = join(bodies.path, 'otlp.json');
  writeFileSync(protoFile, otlp.protobuf);
  writeFileSync(jsonFile, otlp.json);
  const script = join(here, 'post-otlp.lua');
  const shapes: Shape[] = [
    {
      label: 'remote write 1.0 (snappy protobuf)',
      path: '/api/v1/write',
      bodyFile: rwFile.path,
      contentType: rwFile.contentType,
      third: rwFile.remoteWriteVersion,
      points: rw.counts.samples,
    },
    {
      label: 'OTLP/HTTP protobuf (SDK encoding)',
      path: '/v1/metrics',
      bodyFile: protoFile,
      contentType: 'application/x-protobuf',
      third: '',
      script,
      points: otlp.points,
    },
    {
      label: 'OTLP/HTTP JSON (SDK encoding)',
      path: '/v1/metrics',
      bodyFile: jsonFile,
      contentType: 'application/json',
      third: '',
      script,
      points: otlp.points,
    },
  ];
  const sink = await spawnSink();
  const target = await startTarget(
    { kind: 'tenantwire-wire', label: 'tenantwire', body: 'split', workers: 1 },
    { repoRoot, peersBin: options.peersBin, sinkPushUrl: sink.pushUrl, tenantLabel: 'tenant', workers: 1 },
  );
  const base = new URL(target.pushUrl).origin;
  const figures = new Map<Shape, Figures>(shapes.map((s) => [s, { pointsPerSec: [], cpuPerMillion: [], p99: [] }]));
  try {
    for (const s of shapes) {
      await runWrk({ ...wrkArgs(s, base, options.peersBin), durationSec: 2 }); // warm-up
    }
    for (let r = 0; r < reps; r++) {
      for (const s of shapes) {
        const before = treeCpu(target.process.pid);
        const w = await runWrk({ ...wrkArgs(s, base, options.peersBin), durationSec });
        const cpu = cpuBetween(before, treeCpu(target.process.pid));
        if (w.non2xx > 0 || w.socketErrors > 0) {
          throw new Error(`${s.label}: ${w.non2xx} non-2xx answers, ${w.socketErrors} socket errors`);
        }
        const points = w.requests * s.points;
        const f = figures.get(s)!;
        f.pointsPerSec.push(points / w.durationSec);
        f.cpuPerMillion.push((cpu / points) * 1e6);
        f.p99.push(w.latencyMs.p99);
        options.log(`otlp ${s.label} rep ${r + 1}/${reps}: ${Math.round(points / w.durationSec)} points/s`);
      }
    }
    const delivered = (await sink.stats()).samples;
    if (delivered === 0) throw new Error('the sink received nothing: tenantwire forwarded no sample');
  } finally {
    await target.stop();
    await sink.stop();
    bodies.remove();
  }
  const rows: BenchRow[] = shapes.map((s) => {
    const f = figures.get(s)!;
    return {
      label: s.label,
      figures: {
        'points/s': median(f.pointsPerSec),
        'CPU s/M points': median(f.cpuPerMillion),
        'p99 ms': median(f.p99),
      },
    };
  });
  const [rwRow, protoRow, jsonRow] = rows.map((r) => r.figures) as [
    Record<string, number>,
    Record<string, number>,
    Record<string, number>,
  ];
  const ratio = (a: Record<string, number>, b: Record<string, number>, k: string) => (a[k] ?? 0) / (b[k] ?? 1);
  return {
    name: 'otlp',
    title: `OTLP/HTTP into tenantwire vs remote write, same workload (${SERIES} points, ${TENANTS} tenants)`,
    rows,
    ratios: [
      {
        label: 'OTLP protobuf / remote write, points per second',
        value: ratio(protoRow, rwRow, 'points/s'),
        higherIsBetter: true,
      },
      {
        label: 'OTLP JSON / remote write, points per second',
        value: ratio(jsonRow, rwRow, 'points/s'),
        higherIsBetter: true,
      },
      {
        label: 'OTLP protobuf / remote write, CPU per point',
        value: ratio(protoRow, rwRow, 'CPU s/M points'),
        higherIsBetter: false,
      },
    ],
    notes: [
      `One tenantwire process (workers: 1) forwarding to a loopback sink; wrk with ${CONNECTIONS} connections, ` +
        `${durationSec} s per run, median of ${reps} interleaved runs. The OTLP bodies are the SDK's own ` +
        `encoding of the remote-write body's ${otlp.points} samples as gauges (one per metric name); each OTLP ` +
        `request also forwards one target_info series. Bodies: remote write ${rwFile.compressed.byteLength} B ` +
        `(snappy), OTLP protobuf ${otlp.protobuf.byteLength} B, JSON ${otlp.json.byteLength} B (uncompressed).`,
      `The OTLP path translates to remote-write 2.0 objects, encodes them and hands them to the same split as ` +
        `remote write, so its extra cost over remote write (ratio ${formatRatio(ratio(protoRow, rwRow, 'CPU s/M points'))} ` +
        `CPU per point) is decoding and translation.`,
    ],
    chartFigure: 'points/s',
  };
}

function wrkArgs(s: Shape, base: string, peersBin: string) {
  return {
    peersBin,
    url: `${base}${s.path}`,
    bodyFile: s.bodyFile,
    contentType: s.contentType,
    remoteWriteVersion: s.third,
    connections: CONNECTIONS,
    threads: 1,
    ...(s.script ? { script: s.script } : {}),
  };
}

export const suite: BenchSuite = { name: 'otlp', run };
