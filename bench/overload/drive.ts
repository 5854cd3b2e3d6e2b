/**
 * The overload driver, shared by the overload suite and its test: `connections` keep-alive
 * senders post the same remote-write body as fast as they are answered for `durationMs`, then
 * one sender posts until it gets a 2xx (recovery). Node's own http client; no retries.
 */
import { Agent, request } from 'node:http';
import { encodeWriteRequest } from '../../src/wire/encode-v1.js';
import { snappyCompress } from '../../src/wire/snappy.js';

export interface OverloadCounts {
  /** Answers by status, plus `error` for a connection error before any answer. */
  readonly byStatus: Readonly<Record<string, number>>;
  readonly total: number;
  /** 503 answers that carried Retry-After. */
  readonly retryAfter503: number;
  /** ms from the end of the load to the first 2xx of a single sender. */
  readonly recoveryMs: number;
  readonly durationMs: number;
}

/** A snappy remote-write body of `series` series for one tenant (`__tenant__`). */
export function overloadBody(series: number, tenant = 'overload'): Uint8Array {
  return snappyCompress(
    encodeWriteRequest({
      timeseries: Array.from({ length: series }, (_, i) => ({
        labels: [
          { name: '__name__', value: 'overload_test_metric' },
          { name: '__tenant__', value: tenant },
          { name: 'instance', value: `host-${i % 50}:9100` },
          { name: 'series', value: String(i) },
        ],
        samples: [{ value: i, timestamp: 1_700_000_000_000 }],
        exemplars: [],
        histograms: [],
      })),
      metadata: [],
    }),
  );
}

function post(agent: Agent, url: URL, body: Uint8Array): Promise<{ status: number; retryAfter: boolean }> {
  return new Promise((resolve) => {
    const req = request(
      url,
      {
        method: 'POST',
        agent,
        headers: {
          'content-type': 'application/x-protobuf',
          'content-encoding': 'snappy',
          'content-length': body.byteLength,
        },
      },
      (res) => {
        res.resume();
        res.once('end', () =>
          resolve({ status: res.statusCode ?? 0, retryAfter: res.headers['retry-after'] !== undefined }),
        );
        res.once('error', () => resolve({ status: 0, retryAfter: false }));
      },
    );
    req.once('error', () => resolve({ status: 0, retryAfter: false }));
    req.end(body);
  });
}

export async function driveOverload(
  target: string,
  options: { connections: number; durationMs: number; body: Uint8Array; recoveryLimitMs?: number },
): Promise<OverloadCounts> {
  const url = new URL('/api/v1/push', target);
  const agent = new Agent({ keepAlive: true, maxSockets: options.connections });
  const byStatus: Record<string, number> = {};
  let total = 0;
  let retryAfter503 = 0;
  const started = Date.now();
  const end = started + options.durationMs;
  await Promise.all(
    Array.from({ length: options.connections }, async () => {
      while (Date.now() < end) {
        const a = await post(agent, url, options.body);
        const key = a.status === 0 ? 'error' : String(a.status);
        byStatus[key] = (byStatus[key] ?? 0) + 1;
        total++;
        if (a.status === 503 && a.retryAfter) retryAfter503++;
        // A refused connection would otherwise spin: back off a little, as a sender would.
        if (a.status === 0) await new Promise((r) => setTimeout(r, 10));
      }
    }),
  );
  agent.destroy();
  const loadEnd = Date.now();
  const single = new Agent({ keepAlive: false });
  let recoveryMs = Number.NaN;
  const limit = loadEnd + (options.recoveryLimitMs ?? 30_000);
  while (Date.now() < limit) {
    const a = await post(single, url, options.body);
    if (a.status >= 200 && a.status < 300) {
      recoveryMs = Date.now() - loadEnd;
      break;
    }
    await new Promise((r) => setTimeout(r, 5));
  }
  single.destroy();
  return { byStatus, total, retryAfter503, recoveryMs, durationMs: loadEnd - started };
}
