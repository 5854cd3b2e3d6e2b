/**
 * The pipeline suite: samples appended per second into prometheus.remote_write delivering to a
 * loopback sink (node:http on 127.0.0.1, in-process, counting what arrives), two ways, same
 * run, same payload (2,000 series over 10 tenants):
 * - native: the endpoint's tenant block resolves each series' tenant before serialisation, one
 *   queue per tenant, each tenant's batches encoded once;
 * - wrapper: the seed's RoundTripper trick, the queue serialises whole mixed requests and
 *   `withTenantSplit` decompresses, splits on the wire and recompresses per tenant.
 * Runs alternate (native, wrapper, native, ...) and the median counts.
 *
 *   node --import tsx bench/pipeline/index.ts [--quick]
 */
import { Registry } from 'prom-client';
import { BackPressureError } from '../../src/component/receiver.js';
import { createRemoteWrite, type RemoteWriteComponent } from '../../src/component/remote-write/component.js';
import { withTenantSplit } from '../../src/proxy/tenant-split-transport.js';
import { createUndiciTransport } from '../../src/transport/undici-transport.js';
import { activeSnappyBackend } from '../../src/wire/snappy.js';
import type { TimeSeries } from '../../src/wire/types.js';
import { formatRatio, median } from '../lib/format.js';
import { startSink, type RunningSink } from '../lib/sink.js';
import type { BenchOptions, BenchResult, BenchSuite } from '../lib/suite.js';
import { generateWriteRequest } from '../payloads/generate.js';

const SERIES = 2_000;
const TENANTS = 10;
const LABEL = 'tenant';
const QUEUE = { max_samples_per_send: 2_000, batch_send_deadline: '50ms', capacity: 20_000 } as const;

type Path = 'native' | 'wrapper';

function build(path: Path, url: string): { component: RemoteWriteComponent; close(): Promise<void> } {
  const base = createUndiciTransport();
  if (path === 'native') {
    const component = createRemoteWrite(
      { endpoint: [{ url, tenant: { label: LABEL } }], queue_config: QUEUE, metadata_config: { send: false } },
      { transport: base, registry: new Registry() },
    );
    return { component, close: () => base.close() };
  }
  const transport = withTenantSplit(base, { tenant: { label: LABEL } });
  const component = createRemoteWrite(
    { endpoint: [{ url }], queue_config: QUEUE, metadata_config: { send: false } },
    { transport, registry: new Registry() },
  );
  return { component, close: () => transport.close() };
}

async function appendAll(c: RemoteWriteComponent, series: readonly TimeSeries[]): Promise<void> {
  for (;;) {
    try {
      await c.exports.receiver.append(series);
      return;
    } catch (e) {
      if (!(e instanceof BackPressureError)) throw e;
      await new Promise((r) => setTimeout(r, 2));
    }
  }
}

/** Appends `rounds` times the payload, stops (flushing), and returns samples per second delivered. */
async function once(
  path: Path,
  sink: RunningSink,
  series: readonly TimeSeries[],
  rounds: number,
  samplesPerRound: number,
): Promise<number> {
  sink.reset();
  const { component, close } = build(path, `http://127.0.0.1:${sink.port}/api/v1/push`);
  const ac = new AbortController();
  const started = performance.now();
  const running = component.run(ac.signal);
  for (let i = 0; i < rounds; i++) await appendAll(component, series);
  ac.abort();
  await running;
  const seconds = (performance.now() - started) / 1000;
  await close();
  const delivered = sink.stats().samples;
  if (delivered !== rounds * samplesPerRound)
    throw new Error(`${path}: sink got ${delivered} samples, expected ${rounds * samplesPerRound}`);
  return delivered / seconds;
}

async function run(options: BenchOptions): Promise<BenchResult> {
  const request = generateWriteRequest({ series: SERIES, tenants: TENANTS, tenantLabel: LABEL, seed: 7 });
  const samplesPerRound = request.timeseries.reduce((n, s) => n + s.samples.length, 0);
  const rounds = options.quick ? 25 : 150;
  const reps = options.quick ? 3 : 5;
  const sink = await startSink(0);
  const figures: Record<Path, number[]> = { native: [], wrapper: [] };
  try {
    await once('native', sink, request.timeseries, 3, samplesPerRound); // warm-up
    await once('wrapper', sink, request.timeseries, 3, samplesPerRound);
    for (let r = 0; r < reps; r++) {
      for (const path of ['native', 'wrapper'] as const) {
        const rate = await once(path, sink, request.timeseries, rounds, samplesPerRound);
        figures[path].push(rate);
        options.log(`pipeline ${path} rep ${r + 1}/${reps}: ${Math.round(rate)} samples/s`);
      }
    }
  } finally {
    await sink.close();
  }
  const native = median(figures.native);
  const wrapper = median(figures.wrapper);
  return {
    name: 'pipeline',
    title:
      `prometheus.remote_write to a loopback sink: native tenant split vs withTenantSplit (${SERIES} series, ` +
      `${TENANTS} tenants)`,
    rows: [
      { label: 'native split (tenant block on the endpoint)', figures: { 'samples/s': native } },
      { label: 'withTenantSplit over serialised requests', figures: { 'samples/s': wrapper } },
    ],
    ratios: [{ label: 'native / wrapper, samples appended per second', value: native / wrapper, higherIsBetter: true }],
    notes: [
      `snappy backend: ${activeSnappyBackend()}; ${rounds} rounds of ${samplesPerRound} samples per run, ` +
        `median of ${reps} alternating runs, time includes the final flush.`,
      `The sink runs in the same process and decompresses every body, so both paths pay for it alike. Ratio ` +
        `${formatRatio(native / wrapper)}.`,
    ],
    chartFigure: 'samples/s',
  };
}

export const suite: BenchSuite = { name: 'pipeline', run };

if (import.meta.url === `file://${process.argv[1]}`) {
  const quick = process.argv.includes('--quick');
  run({ quick, peersBin: '', log: (line) => console.error(line) }).then(
    (r) => {
      for (const row of r.rows) console.log(`${row.label}: ${Math.round(row.figures['samples/s'] ?? 0)} samples/s`);
      for (const ratio of r.ratios) console.log(`${ratio.label}: ${ratio.value.toFixed(2)}x`);
      for (const n of r.notes) console.log(n);
    },
    (e: unknown) => {
      console.error(e);
      process.exitCode = 1;
    },
  );
}
