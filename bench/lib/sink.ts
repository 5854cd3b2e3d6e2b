/**
 * The loopback sink every proxy figure is measured at: a node:http server on 127.0.0.1 that
 * accepts remote-write POSTs, decompresses them and counts the series and samples that arrived
 * (so that nothing is counted that was not delivered), answers 204, reports on `GET /stats`
 * and resets on `POST /reset`.
 *
 * Run it as its own process (`node --import tsx bench/lib/sink.ts [port]`): it prints one JSON
 * line `{"port":N,"pid":P}` and exits when its stdin closes or on SIGTERM.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { performance } from 'node:perf_hooks';
import { pathToFileURL } from 'node:url';
import { countWire, versionOf } from './series-counter.js';
import { uncompressBlock } from './snappy-block.js';

export interface SinkStats {
  requests: number;
  /** Compressed bytes received. */
  bytes: number;
  series: number;
  samples: number;
  histograms: number;
  exemplars: number;
  /** Requests answered 400 (bad snappy or protobuf). */
  errors: number;
  /** Series received per `X-Scope-OrgID` value (`-` when absent). */
  tenants: Record<string, number>;
  /** Milliseconds since the last reset at which the first and last request arrived. */
  firstAtMs: number | null;
  lastAtMs: number | null;
}

export interface RunningSink {
  readonly port: number;
  stats(): SinkStats;
  reset(): void;
  close(): Promise<void>;
}

function emptyStats(): SinkStats {
  return {
    requests: 0,
    bytes: 0,
    series: 0,
    samples: 0,
    histograms: 0,
    exemplars: 0,
    errors: 0,
    tenants: {},
    firstAtMs: null,
    lastAtMs: null,
  };
}

export function startSink(port = 0): Promise<RunningSink> {
  let stats = emptyStats();
  let since = performance.now();

  const push = (req: IncomingMessage, res: ServerResponse, body: Buffer): void => {
    try {
      const counts = countWire(uncompressBlock(body), versionOf(req.headers['content-type']));
      const at = performance.now() - since;
      stats.firstAtMs ??= at;
      stats.lastAtMs = at;
      stats.requests++;
      stats.bytes += body.length;
      stats.series += counts.series;
      stats.samples += counts.samples;
      stats.histograms += counts.histograms;
      stats.exemplars += counts.exemplars;
      const header = req.headers['x-scope-orgid'];
      const tenant = typeof header === 'string' ? header : '-';
      stats.tenants[tenant] = (stats.tenants[tenant] ?? 0) + counts.series;
      res.writeHead(204).end();
    } catch (e) {
      stats.errors++;
      res.writeHead(400, { 'content-type': 'text/plain' }).end(String(e));
    }
  };

  const handle = (req: IncomingMessage, res: ServerResponse): void => {
    if (req.method === 'GET' && req.url === '/stats') {
      res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(stats));
      return;
    }
    if (req.method === 'POST' && req.url === '/reset') {
      stats = emptyStats();
      since = performance.now();
      res.writeHead(204).end();
      return;
    }
    if (req.method !== 'POST') {
      res.writeHead(405).end();
      return;
    }
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => push(req, res, chunks.length === 1 ? (chunks[0] as Buffer) : Buffer.concat(chunks)));
  };

  const server: Server = createServer({ keepAliveTimeout: 60_000 }, handle);
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, '127.0.0.1', () => {
      const addr = server.address();
      resolve({
        port: typeof addr === 'object' && addr ? addr.port : port,
        stats: () => stats,
        reset: () => {
          stats = emptyStats();
          since = performance.now();
        },
        close: () =>
          new Promise<void>((done) => {
            server.closeAllConnections();
            server.close(() => done());
          }),
      });
    });
  });
}

async function main(): Promise<void> {
  const sink = await startSink(Number(process.argv[2] ?? 0));
  const stop = (): void => {
    void sink.close().then(() => process.exit(0));
  };
  process.once('SIGTERM', stop);
  process.once('SIGINT', stop);
  process.stdin.on('end', stop);
  process.stdin.on('close', stop);
  process.stdin.resume();
  process.stdout.write(`${JSON.stringify({ port: sink.port, pid: process.pid })}\n`);
}

if (process.argv[1] !== undefined && import.meta.url === pathToFileURL(process.argv[1]).href) {
  main().catch((e: unknown) => {
    process.stderr.write(`sink: ${String(e)}\n`);
    process.exit(1);
  });
}
