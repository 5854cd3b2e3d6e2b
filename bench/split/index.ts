/**
 * The split suite: the wire path (scanner + byte ranges) against full decode and re-encode,
 * by tenant count, on 2,000-series bodies, in-process; alone and with snappy on both sides.
 * All cases are timed interleaved, so that a noisy machine slows them alike.
 * bench/split/breakdown.ts times the wire split's stages one by one (a script, not a suite).
 */
import { activeSnappyBackend, snappyDecompress } from '../../src/wire/snappy.js';
import { formatRatio } from '../lib/format.js';
import type { BenchOptions, BenchRatio, BenchResult, BenchRow, BenchSuite } from '../lib/suite.js';
import { FULL_TIMING, QUICK_TIMING, timeInterleaved } from '../lib/timer.js';
import { encodeBody } from '../payloads/bodies.js';
import { decodePipeline, objectSplit, tenantOptions, wirePipeline, wireSplit, type SplitPath } from './paths.js';

const SERIES = 2_000;
const TENANT_COUNTS = [1, 10, 100];
const LABEL = 'tenant';
const KINDS = [
  'wire split (scan + byte ranges)',
  'object split (decode + group + encode)',
  'wire pipeline with snappy',
  'full-decode pipeline with snappy',
] as const;

interface Case {
  readonly label: string;
  readonly tenants: number;
  readonly path: SplitPath;
  readonly input: Uint8Array;
}

function plural(n: number): string {
  return `${n} tenant${n > 1 ? 's' : ''}`;
}

async function run(options: BenchOptions): Promise<BenchResult> {
  const shape = options.quick ? QUICK_TIMING : FULL_TIMING;
  const opts = tenantOptions(LABEL);
  const notes: string[] = [];
  const cases: Case[] = [];
  let rawBytes = 0;
  let compressedBytes = 0;
  for (const tenants of TENANT_COUNTS) {
    const body = encodeBody(`split-${tenants}`, { series: SERIES, tenants, tenantLabel: LABEL });
    rawBytes = body.raw.length;
    compressedBytes = body.compressed.length;
    const raw = snappyDecompress(body.compressed);
    const wireBytes = wireSplit(opts)(raw);
    const objectBytes = objectSplit(opts)(raw);
    if (wireBytes !== objectBytes)
      notes.push(
        `With ${plural(tenants)} the wire split produced ${wireBytes} bytes and the object split ` +
          `${objectBytes}: the paths disagree.`,
      );
    const paths = [wireSplit(opts), objectSplit(opts), wirePipeline(opts), decodePipeline(opts)];
    const inputs = [raw, raw, body.compressed, body.compressed];
    KINDS.forEach((kind, i) => {
      cases.push({
        label: `${kind}, ${plural(tenants)}`,
        tenants,
        path: paths[i] as SplitPath,
        input: inputs[i] as Uint8Array,
      });
    });
  }
  options.log(`timing ${cases.length} cases interleaved, ${shape.samples} rounds of ${shape.sampleMs} ms`);
  await new Promise((r) => setImmediate(r));
  const timings = timeInterleaved(
    cases.map((c) => () => c.path(c.input)),
    shape,
  );
  const rows: BenchRow[] = cases.map((c, i) => {
    const rate = timings[i]?.opsPerSec ?? NaN;
    options.log(`${c.label}: ${rate.toFixed(0)} req/s`);
    return { label: c.label, figures: { 'req/s': rate, 'series/s': rate * SERIES } };
  });
  const ratios: BenchRatio[] = [];
  TENANT_COUNTS.forEach((tenants, t) => {
    const rate = (k: number): number => rows[t * KINDS.length + k]?.figures['req/s'] ?? NaN;
    ratios.push(
      { label: `wire split vs object split, ${plural(tenants)}`, value: rate(0) / rate(1), higherIsBetter: true },
      {
        label: `wire pipeline vs full-decode pipeline (with snappy), ${plural(tenants)}`,
        value: rate(2) / rate(3),
        higherIsBetter: true,
      },
    );
  });
  const pipeRatios = ratios.filter((r) => r.label.startsWith('wire pipeline')).map((r) => formatRatio(r.value));
  notes.unshift(
    `Bodies: ${SERIES.toLocaleString('en-US')} series each (about ${Math.round(rawBytes / 1024)} KiB protobuf, ` +
      `${Math.round(compressedBytes / 1024)} KiB snappy), tenant label \`${LABEL}\`, 1, 10 and 100 tenants; one ` +
      `core, in-process; all ${cases.length} cases interleaved, median of ${shape.samples} rounds of ` +
      `${shape.sampleMs} ms after ${shape.warmupMs} ms warm-up.`,
    `"split" rows take a decompressed body and return per-tenant decompressed bodies; "pipeline" rows add ` +
      `snappy decompression of the input and compression of each tenant body (${activeSnappyBackend()} backend), ` +
      `which is what a proxy runs per request. With 1 tenant the wire pipeline forwards the original bytes ` +
      `(pass-through).`,
    `Wire pipeline over full-decode pipeline, 1, 10 and 100 tenants: ${pipeRatios.join(', ')}; with more ` +
      `tenants, compressing the per-tenant bodies takes a larger share of both.`,
  );
  return {
    name: 'split',
    title: `Tenant split: wire path vs full decode, ${SERIES.toLocaleString('en-US')}-series bodies`,
    rows,
    ratios,
    notes,
    chartFigure: 'series/s',
  };
}

export const suite: BenchSuite = { name: 'split', run };
