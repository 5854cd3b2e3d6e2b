/**
 * The overload suite: the drop-in (one worker, `concurrency: 6`) in front of an upstream that
 * takes 200 ms per request, pushed by 64 keep-alive connections (about ten times what
 * saturates it) for 15 s (5 s with --quick). Measured: the peak RSS of the process, the share
 * of answers that are 503 (and how many of those carry Retry-After), requests answered per
 * second, and recovery: the time from the end of the load to a single sender's first 2xx.
 *
 *   npm run bench -- --only overload [--quick]
 */
import { createServer, type Server } from 'node:http';
import { existsSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { freePort } from '../lib/peers.js';
import { treePeakRss } from '../lib/proc-stats.js';
import { spawnTracked, type TrackedProcess } from '../lib/processes.js';
import type { BenchOptions, BenchResult, BenchSuite } from '../lib/suite.js';
import { makeTempDir } from '../lib/temp-dirs.js';
import { driveOverload, overloadBody } from './drive.js';

const repoRoot = resolve(fileURLToPath(import.meta.url), '../../..');
const CONNECTIONS = 64;
const CONCURRENCY = 6;
const UPSTREAM_DELAY_MS = 200;
const SERIES_PER_REQUEST = 500;

/** A loopback upstream answering 204 after `delayMs`. */
async function slowUpstream(delayMs: number): Promise<{ url: string; close(): Promise<void> }> {
  const server: Server = createServer((req, res) => {
    req.resume();
    req.on('end', () => setTimeout(() => res.writeHead(204).end(), delayMs));
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
  const port = (server.address() as { port: number }).port;
  return {
    url: `http://127.0.0.1:${port}/api/v1/push`,
    close: () => {
      server.closeAllConnections();
      return new Promise<void>((r) => server.close(() => r()));
    },
  };
}

async function waitAlive(url: string, proc: TrackedProcess): Promise<void> {
  const end = Date.now() + 20_000;
  while (Date.now() < end) {
    const ok = await fetch(url).then(
      (r) => r.ok,
      () => false,
    );
    if (ok) return;
    if (proc.exited()) break;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`${url} not ready:\n${proc.output().slice(-3000)}`);
}

async function run(options: BenchOptions): Promise<BenchResult> {
  const main = process.env.TENANTWIRE_BENCH_MAIN ?? join(repoRoot, 'dist/main.js');
  if (!existsSync(main)) throw new Error(`${main} is missing: run \`npm run build\``);
  const durationMs = options.quick ? 5_000 : 15_000;
  const upstream = await slowUpstream(UPSTREAM_DELAY_MS);
  const temp = makeTempDir('overload');
  const port = await freePort();
  const config = join(temp.path, 'cortex-tenant.yml');
  writeFileSync(
    config,
    [
      `listen: 127.0.0.1:${port}`,
      `listen_metrics_address: 127.0.0.1:${await freePort()}`,
      `target: ${upstream.url}`,
      'workers: 1',
      `concurrency: ${CONCURRENCY}`,
      'timeout: 5s',
      'log_level: error',
      '',
    ].join('\n'),
  );
  const proc = spawnTracked('tenantwire', process.execPath, [main, '--config', config], { cwd: temp.path });
  try {
    await waitAlive(`http://127.0.0.1:${port}/alive`, proc);
    const idleRss = treePeakRss(proc.pid);
    options.log(
      `${CONNECTIONS} connections for ${durationMs / 1000} s against concurrency ${CONCURRENCY}, upstream ` +
        `${UPSTREAM_DELAY_MS} ms`,
    );
    const counts = await driveOverload(`http://127.0.0.1:${port}`, {
      connections: CONNECTIONS,
      durationMs,
      body: overloadBody(SERIES_PER_REQUEST),
    });
    const peakRss = treePeakRss(proc.pid);
    const ok = Object.entries(counts.byStatus)
      .filter(([s]) => s.startsWith('2'))
      .reduce((n, [, c]) => n + c, 0);
    const unavailable = counts.byStatus['503'] ?? 0;
    const other = counts.total - ok - unavailable;
    options.log(
      `answers: ${JSON.stringify(counts.byStatus)}; recovery ${counts.recoveryMs} ms; peak RSS ` +
        `${(peakRss / 2 ** 20).toFixed(0)} MiB`,
    );
    const seconds = counts.durationMs / 1000;
    return {
      name: 'overload',
      title:
        `Overload: ${CONNECTIONS} connections against concurrency ${CONCURRENCY}, upstream ` +
        `${UPSTREAM_DELAY_MS} ms`,
      rows: [
        {
          label: `drop-in, 1 worker, ${SERIES_PER_REQUEST} series/request`,
          figures: {
            'peak RSS MiB': peakRss / 2 ** 20,
            'RSS at start MiB': idleRss / 2 ** 20,
            '503 %': (100 * unavailable) / Math.max(1, counts.total),
            '503 with Retry-After %': (100 * counts.retryAfter503) / Math.max(1, unavailable),
            'other answers': other,
            '2xx/s': ok / seconds,
            'answers/s': counts.total / seconds,
            'recovery ms': counts.recoveryMs,
          },
        },
      ],
      ratios: [],
      notes: [
        `The upstream holds each request ${UPSTREAM_DELAY_MS} ms, so ${CONCURRENCY} requests in flight ` +
          `saturate the proxy at about ${Math.round((CONCURRENCY * 1000) / UPSTREAM_DELAY_MS)} 2xx/s; the rest ` +
          `is refused at once with 503 + Retry-After.`,
        'Recovery: from the moment the load stops to the first 2xx of a single sender (what is still in flight ' +
          'must finish first).',
      ],
      chartFigure: 'peak RSS MiB',
    };
  } finally {
    await proc.stop();
    await upstream.close();
    temp.remove();
  }
}

export const suite: BenchSuite = { name: 'overload', run };
