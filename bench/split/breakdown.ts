/**
 * Where the wire split's time goes, stage by stage, for profiling work on src/tenant and
 * src/wire: a standalone script, not a suite (it writes no results file).
 *
 *   node --import tsx bench/split/breakdown.ts [--quick]
 *
 * tsx wraps ESM exports in getters; for figures close to the build, compile with tsc first.
 * The split suite (bench/split/index.ts) is the one that compares paths for the results.
 */
import { splitWire } from '../../src/tenant/split-wire.js';
import { tenantOptionsFrom } from '../../src/tenant/options.js';
import { scanWriteRequest } from '../../src/wire/scan.js';
import { FULL_TIMING, QUICK_TIMING, timeInterleaved } from '../lib/timer.js';
import { encodeBody } from '../payloads/bodies.js';
import { objectSplit, wireSplit } from './paths.js';

const SERIES = 2_000;
const LABEL = 'tenant';

interface Stage {
  readonly label: string;
  readonly input: Uint8Array;
  readonly run: (raw: Uint8Array) => number;
}

const one = encodeBody('breakdown-1', { series: SERIES, tenants: 1, tenantLabel: LABEL }).raw;
const ten = encodeBody('breakdown-10', { series: SERIES, tenants: 10, tenantLabel: LABEL }).raw;
const plain = tenantOptionsFrom({ label: LABEL });
const remove = tenantOptionsFrom({ label: LABEL, label_remove: true });
const scanned = scanWriteRequest(ten);

const stages: Stage[] = [
  { label: 'scan only', input: ten, run: (raw) => scanWriteRequest(raw).seriesCount },
  { label: 'wire: 1 tenant, pass-through (scan+split)', input: one, run: wireSplit(plain) },
  { label: 'wire: 10 tenants (scan+split)', input: ten, run: wireSplit(plain) },
  { label: 'wire: 10 tenants, label_remove (scan+split)', input: ten, run: wireSplit(remove) },
  {
    label: 'wire: 10 tenants, split only (pre-scanned)',
    input: ten,
    run: () => splitWire({ scan: scanned, options: plain }).batches.length,
  },
  { label: 'object: decode + split + encode, 10 tenants', input: ten, run: objectSplit(plain) },
];

const shape = process.argv.includes('--quick') ? QUICK_TIMING : FULL_TIMING;
console.log(
  `bodies: ${SERIES} series, ${ten.length} bytes (10 tenants); median of ${shape.samples} interleaved rounds ` +
    `of ${shape.sampleMs} ms`,
);
const timings = timeInterleaved(
  stages.map((s) => () => s.run(s.input)),
  shape,
);
stages.forEach((s, i) => {
  const perSec = timings[i]?.opsPerSec ?? NaN;
  const series = ((perSec * SERIES) / 1e6).toFixed(2).padStart(6);
  const mb = ((perSec * s.input.length) / 1e6).toFixed(0).padStart(5);
  console.log(`${s.label.padEnd(48)} ${perSec.toFixed(0).padStart(7)} req/s  ${series} M series/s  ${mb} MB/s`);
});
