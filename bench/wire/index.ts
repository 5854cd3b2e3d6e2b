/**
 * The wire suite: tenantwire's hand-written 1.0 codec and scanner against protobufjs (built from
 * proto/), at 2,000 and 10,000 series (10 labels, 1 sample each), plus snappy block
 * decompression and compression, napi `snappy` against the strict TS decoder and snappyjs.
 * All cases are timed interleaved with Node's clock (median of several samples after warm-up).
 *
 * Alone: `node --import tsx bench/wire/index.ts [--quick]` prints the table.
 */
import { pathToFileURL } from 'node:url';
import { decodeWriteRequest } from '../../src/wire/decode-v1.js';
import { encodeWriteRequest } from '../../src/wire/encode-v1.js';
import { scanWriteRequest } from '../../src/wire/scan.js';
import { activeSnappyBackend, jsSnappy, napiSnappy, snappyjsSnappy, type SnappyCodec } from '../../src/wire/snappy.js';
import { generateRequest } from '../../test/fixtures/wire/generate.js';
import { PbWriteRequest } from '../../test/wire/helpers/oracle.js';
import { formatNumber, formatRatio } from '../lib/format.js';
import type { BenchOptions, BenchRatio, BenchResult, BenchRow, BenchSuite } from '../lib/suite.js';
import { FULL_TIMING, QUICK_TIMING, timeInterleaved } from '../lib/timer.js';

const SIZES = [2_000, 10_000];

interface Case {
  readonly label: string;
  readonly bytes: number;
  readonly series: number;
  readonly fn: () => number;
}

function codecCases(series: number): Case[] {
  const req = generateRequest({ seriesCount: series, labelCount: 10 });
  // a Buffer, as a server hands it over: protobufjs then slices strings natively too
  const body = Buffer.from(encodeWriteRequest(req));
  const pbMessage = PbWriteRequest.decode(body);
  const ours = decodeWriteRequest(body);
  const n = `${series / 1000}k series`;
  const mk = (label: string, fn: () => number): Case => ({ label: `${label}, ${n}`, bytes: body.length, series, fn });
  return [
    mk('decode (tenantwire)', () => decodeWriteRequest(body).timeseries.length),
    mk(
      'decode (protobufjs)',
      () => (PbWriteRequest.decode(body) as unknown as { timeseries: unknown[] }).timeseries.length,
    ),
    mk('scan (tenantwire)', () => scanWriteRequest(body).seriesCount),
    mk('encode (tenantwire)', () => encodeWriteRequest(ours).length),
    mk('encode (protobufjs)', () => PbWriteRequest.encode(pbMessage).finish().length),
  ];
}

function snappyCases(series: number): Case[] {
  const body = encodeWriteRequest(generateRequest({ seriesCount: series, labelCount: 10 }));
  const compressed = jsSnappy.compress(body);
  const codecs: SnappyCodec[] = [...(napiSnappy ? [napiSnappy] : []), jsSnappy, snappyjsSnappy];
  const cases: Case[] = [];
  for (const c of codecs) {
    const name = c.name === 'js' ? 'strict TS' : c.name;
    cases.push({
      label: `snappy decompress (${name}), ${series / 1000}k series`,
      bytes: body.length,
      series,
      fn: () => c.decompress(compressed).length,
    });
  }
  for (const c of codecs) {
    if (c.name === 'js') continue; // compresses with snappyjs
    cases.push({
      label: `snappy compress (${c.name}), ${series / 1000}k series`,
      bytes: body.length,
      series,
      fn: () => c.compress(body).length,
    });
  }
  return cases;
}

async function run(options: BenchOptions): Promise<BenchResult> {
  const shape = options.quick ? QUICK_TIMING : FULL_TIMING;
  const cases = [...SIZES.flatMap(codecCases), ...snappyCases(2_000)];
  options.log(`timing ${cases.length} cases interleaved, ${shape.samples} rounds of ${shape.sampleMs} ms`);
  const timings = timeInterleaved(
    cases.map((c) => c.fn),
    shape,
  );
  const rows: BenchRow[] = cases.map((c, i) => {
    const ops = timings[i]?.opsPerSec ?? NaN;
    options.log(`${c.label}: ${formatNumber(ops)} ops/s`);
    return { label: c.label, figures: { 'MB/s': (ops * c.bytes) / 1e6, 'series/s': ops * c.series, 'ops/s': ops } };
  });
  const rate = (label: string): number => rows.find((r) => r.label === label)?.figures['ops/s'] ?? NaN;
  const ratios: BenchRatio[] = [];
  for (const s of SIZES) {
    const n = `${s / 1000}k series`;
    ratios.push(
      {
        label: `decode, tenantwire vs protobufjs, ${n}`,
        value: rate(`decode (tenantwire), ${n}`) / rate(`decode (protobufjs), ${n}`),
        higherIsBetter: true,
      },
      {
        label: `scan vs protobufjs decode, ${n}`,
        value: rate(`scan (tenantwire), ${n}`) / rate(`decode (protobufjs), ${n}`),
        higherIsBetter: true,
      },
      {
        label: `encode, tenantwire vs protobufjs, ${n}`,
        value: rate(`encode (tenantwire), ${n}`) / rate(`encode (protobufjs), ${n}`),
        higherIsBetter: true,
      },
    );
  }
  if (napiSnappy) {
    ratios.push(
      {
        label: 'snappy decompress, napi vs snappyjs, 2k series',
        value: rate('snappy decompress (napi), 2k series') / rate('snappy decompress (snappyjs), 2k series'),
        higherIsBetter: true,
      },
      {
        label: 'snappy decompress, strict TS vs snappyjs, 2k series',
        value: rate('snappy decompress (strict TS), 2k series') / rate('snappy decompress (snappyjs), 2k series'),
        higherIsBetter: true,
      },
      {
        label: 'snappy compress, napi vs snappyjs, 2k series',
        value: rate('snappy compress (napi), 2k series') / rate('snappy compress (snappyjs), 2k series'),
        higherIsBetter: true,
      },
    );
  }
  const notes = [
    `Bodies: generated 1.0 WriteRequests, 10 labels and 1 sample per series ` +
      `(${SIZES.map((s) => s.toLocaleString('en-US')).join(' and ')} series); one core, in-process; ` +
      `${cases.length} cases interleaved, median of ${shape.samples} rounds of ${shape.sampleMs} ms after ` +
      `${shape.warmupMs} ms warm-up.`,
    'Both decoders read a Node Buffer (as a server hands it over), so protobufjs uses its native string ' +
      'slicing too; protobufjs encodes its own decoded message object.',
    '"scan" locates every series and validates labels (framing, UTF-8) without decoding samples: the ' +
      "splitter's input.",
    `Active snappy backend: ${activeSnappyBackend()}. The strict TS decompressor is the portable fallback: it ` +
      `checks every element against the declared length (snappyjs pads truncated blocks with zeros) and runs at ` +
      `roughly 0.7 to 0.9 of snappyjs's speed; compression falls back to snappyjs.`,
  ];
  return {
    name: 'wire',
    title: 'Wire codecs: tenantwire vs protobufjs, snappy backends',
    rows,
    ratios,
    notes,
    chartFigure: 'MB/s',
  };
}

export const suite: BenchSuite = { name: 'wire', run };

function printTable(result: BenchResult): void {
  const lines = [`${result.title}`, ''];
  const w = Math.max(...result.rows.map((r) => r.label.length));
  lines.push(`${'case'.padEnd(w)}  ${'MB/s'.padStart(9)}  ${'series/s'.padStart(10)}  ${'ops/s'.padStart(9)}`);
  for (const r of result.rows) {
    const f = r.figures;
    lines.push(
      `${r.label.padEnd(w)}  ${formatNumber(f['MB/s'] ?? NaN).padStart(9)}  ` +
        `${formatNumber(f['series/s'] ?? NaN).padStart(10)}  ${formatNumber(f['ops/s'] ?? NaN).padStart(9)}`,
    );
  }
  lines.push('');
  for (const r of result.ratios) lines.push(`${r.label}: ${formatRatio(r.value)}`);
  lines.push('', ...result.notes.map((n) => `- ${n}`));
  process.stdout.write(`${lines.join('\n')}\n`);
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const quick = process.argv.includes('--quick');
  const result = await run({ quick, peersBin: '', log: (l) => process.stderr.write(`${l}\n`) });
  printTable(result);
}
