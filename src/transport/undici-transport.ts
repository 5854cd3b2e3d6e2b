import { Pool, type Dispatcher } from 'undici';
import { failure, failureFrom } from './transport-error.js';
import { responseResult, startDeadline } from './exchange.js';
import type { Transport, TransportRequest, TransportResult } from './types.js';

/** The one file that imports undici: a keep-alive Pool per origin behind the Transport seam. */
export interface UndiciTransportOptions {
  /** Most sockets per origin (cortex-tenant max_conns_per_host). Default 64. */
  readonly connections?: number;
  /** Close sockets older than this once idle (cortex-tenant max_connection_duration). Default none. */
  readonly maxConnectionDurationMs?: number;
  /** Idle keep-alive sockets are closed after this. Default 4 s (undici's). */
  readonly keepAliveTimeoutMs?: number;
  /** TCP + TLS connect deadline. Default 10 s. */
  readonly connectTimeoutMs?: number;
  /** Deadline for the response headers after the request was sent. Default 30 s. */
  readonly headersTimeoutMs?: number;
  /** Longest silence while reading the response body. Default 30 s. */
  readonly bodyTimeoutMs?: number;
  /** Whole-request deadline when the request names none. Default 30 s. */
  readonly timeoutMs?: number;
  /** PEM bundle of CAs to trust for https origins (instead of the system's). */
  readonly caPem?: string;
  /** Accept any server certificate. For tests and labs only. */
  readonly insecureSkipVerify?: boolean;
  /** Response bodies are cut to this many bytes (the rest is discarded). Default 1 MiB. */
  readonly maxResponseBytes?: number;
  /** Use this dispatcher (e.g. undici's MockAgent) instead of own pools; the caller closes it. */
  readonly dispatcher?: Dispatcher;
  /** Clock for HTTP-date `Retry-After` values. Default Date.now. */
  readonly now?: () => number;
}

const DEFAULTS = {
  connections: 64,
  keepAliveTimeoutMs: 4_000,
  connectTimeoutMs: 10_000,
  headersTimeoutMs: 30_000,
  bodyTimeoutMs: 30_000,
  timeoutMs: 30_000,
  maxResponseBytes: 1024 * 1024,
};

function flattenHeaders(raw: Record<string, string | string[] | undefined>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [name, value] of Object.entries(raw)) {
    if (value === undefined) continue;
    out[name.toLowerCase()] = Array.isArray(value) ? value.join(', ') : value;
  }
  return out;
}

async function readCapped(body: Dispatcher.ResponseData['body'], cap: number): Promise<Uint8Array> {
  const chunks: Buffer[] = [];
  let total = 0;
  for await (const chunk of body as AsyncIterable<Buffer>) {
    const room = cap - total;
    if (chunk.length >= room) {
      if (room > 0) chunks.push(chunk.subarray(0, room));
      total = cap;
      body.destroy();
      break;
    }
    chunks.push(chunk);
    total += chunk.length;
  }
  return chunks.length === 1 ? (chunks[0] as Buffer) : Buffer.concat(chunks, total);
}

export function createUndiciTransport(options: UndiciTransportOptions = {}): Transport {
  const o = { ...DEFAULTS, ...options };
  const now = options.now ?? Date.now;
  const pools = new Map<string, { pool: Pool; born: number }>();
  /** Pools replaced for age, closing gracefully (their in-flight requests finish first). */
  const retiring = new Set<Promise<void>>();
  let closed = false;

  const connect: Record<string, unknown> = {};
  if (options.caPem !== undefined) connect.ca = options.caPem;
  if (options.insecureSkipVerify) connect.rejectUnauthorized = false;

  function dispatcherFor(origin: string): Dispatcher {
    if (options.dispatcher) return options.dispatcher;
    const entry = pools.get(origin);
    const born = performance.now();
    const maxAge = options.maxConnectionDurationMs;
    if (entry && (maxAge === undefined || born - entry.born <= maxAge)) return entry.pool;
    if (entry) retire(entry.pool);
    // undici's own clientTtl can stall a pool whose connection limit is reached (7.x), so sockets
    // past max_connection_duration are closed by replacing the whole per-origin pool instead.
    const pool = new Pool(origin, {
      connections: o.connections,
      keepAliveTimeout: o.keepAliveTimeoutMs,
      connectTimeout: o.connectTimeoutMs,
      headersTimeout: o.headersTimeoutMs,
      bodyTimeout: o.bodyTimeoutMs,
      connect,
    });
    pools.set(origin, { pool, born });
    return pool;
  }

  function retire(pool: Pool): void {
    const closing: Promise<void> = pool.close().then(
      () => {
        retiring.delete(closing);
      },
      () => {
        retiring.delete(closing);
      },
    );
    retiring.add(closing);
  }

  async function send(request: TransportRequest): Promise<TransportResult> {
    if (closed) return failure('closed', 'transport is closed');
    let url: URL;
    try {
      url = new URL(request.url);
    } catch (e) {
      return failure('bad_url', `invalid URL ${JSON.stringify(request.url)}`, e);
    }
    if (url.protocol !== 'http:' && url.protocol !== 'https:') {
      return failure('bad_url', `unsupported scheme ${url.protocol} in ${url.origin}${url.pathname}`);
    }
    if (request.signal?.aborted) return failure('aborted', 'request aborted before it was sent');

    const timeoutMs = request.timeoutMs ?? o.timeoutMs;
    const deadline = startDeadline(timeoutMs, request.signal);
    try {
      const response = await dispatcherFor(url.origin).request({
        origin: url.origin,
        path: `${url.pathname}${url.search}`,
        method: request.method ?? 'POST',
        headers: { ...request.headers },
        body: request.body ?? null,
        signal: deadline.signal,
      });
      const body = await readCapped(response.body, o.maxResponseBytes);
      const headers = flattenHeaders(response.headers);
      return responseResult(response.statusCode, headers, body, now());
    } catch (e) {
      if (deadline.timedOut())
        return failure('timeout', `no complete answer from ${url.origin} within ${timeoutMs} ms`, e);
      return failureFrom(e);
    } finally {
      deadline.dispose();
    }
  }

  return {
    send,
    async close() {
      closed = true;
      for (const { pool } of pools.values()) retire(pool);
      pools.clear();
      await Promise.all([...retiring]);
    },
  };
}
