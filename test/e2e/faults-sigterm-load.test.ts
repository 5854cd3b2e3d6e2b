/**
 * SIGTERM in the middle of a bounded load, against real processes: every request answered 2xx
 * reaches the receiver (checked by series identity), the others got a retryable answer (503) or
 * a connection error before any answer, and the process exits 0 within its documented deadline.
 * For a pipeline, also: what is still queued when the flush deadline passes is dropped and
 * logged, never silently.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { freePort, tempDir, waitForHttp } from '../helpers/peers.js';
import { startTenantwire, type TenantwireProcess } from '../helpers/tenantwire-process.js';
import { rawConnection, seriesBody, startDropIn } from '../helpers/fault-tools.js';
import { seriesIds } from '../helpers/series.js';
import { eventually } from '../helpers/eventually.js';
import { useRecordingUpstream } from '../helpers/use-recording-upstream.js';

const upstream = useRecordingUpstream();
const tmp = tempDir('tenantwire-faults-load-');
const running: TenantwireProcess[] = [];

afterAll(async () => {
  tmp.remove();
});
afterEach(async () => {
  for (const tw of running.splice(0)) await tw.stop(2_000);
  upstream().replies = {};
  upstream().received.length = 0;
});

interface LoadResult {
  readonly acknowledged: Set<string>;
  readonly outcomes: Map<string, number>;
}

/**
 * `connections` keep-alive senders, `perConnection` requests each with one unique series; a
 * sender whose connection breaks reconnects and goes on; `onProgress` sees each 2xx count.
 */
async function load(
  port: number,
  connections: number,
  perConnection: number,
  onProgress: (acked: number) => void,
): Promise<LoadResult> {
  const acknowledged = new Set<string>();
  const outcomes = new Map<string, number>();
  const count = (k: string) => outcomes.set(k, (outcomes.get(k) ?? 0) + 1);
  await Promise.all(
    Array.from({ length: connections }, async (_, c) => {
      let conn = await rawConnection(port).catch(() => undefined);
      for (let i = 0; i < perConnection; i++) {
        const id = `c${c}-r${i}`;
        if (!conn || conn.isClosed()) conn = await rawConnection(port).catch(() => undefined);
        if (!conn) {
          count('refused');
          continue;
        }
        try {
          const a = await conn.post('/api/v1/push', seriesBody([id]));
          count(String(a.status));
          if (a.status >= 200 && a.status < 300) {
            acknowledged.add(id);
            onProgress(acknowledged.size);
          }
          if (a.status === 503) expect(a.headers['retry-after'] ?? a.headers.connection).toBeDefined();
        } catch {
          count('closed-before-answer');
        }
      }
      conn?.close();
    }),
  );
  return { acknowledged, outcomes };
}

function delivered(): Set<string> {
  const ids = new Set<string>();
  for (const r of upstream().received) for (const id of seriesIds(r.body)) ids.add(id);
  return ids;
}

function expectOnlyRetryableFailures(outcomes: Map<string, number>): void {
  for (const k of outcomes.keys()) expect(k).toMatch(/^(204|503|refused|closed-before-answer)$/);
}

describe('the drop-in under load, SIGTERM in the middle', () => {
  it.each([1, 2])(
    'workers: %i: every 2xx is delivered, the rest is retryable, exit 0 within timeout_shutdown + timeout + 2 s',
    async (workers) => {
      upstream().replies = { '*': { status: 204, delayMs: 10 } };
      const s = await startDropIn(tmp.path, upstream().url, [
        `workers: ${workers}`,
        'timeout: 3s',
        'timeout_shutdown: 500ms',
        'log_level: warn',
      ]);
      running.push(s.tw);
      let sentAt = 0;
      const result = load(s.port, 8, 60, (acked) => {
        if (acked === 80 && sentAt === 0) {
          sentAt = Date.now();
          s.tw.process.kill('SIGTERM');
        }
      });
      const { acknowledged, outcomes } = await result;
      const code = await s.tw.exited;
      const tookMs = Date.now() - sentAt;
      expect(sentAt).toBeGreaterThan(0);
      expect(code).toBe(0);
      expect(tookMs).toBeLessThan(500 + 3_000 + 2_000 + 3_000);
      expectOnlyRetryableFailures(outcomes);
      const got = delivered();
      for (const id of acknowledged) expect(got.has(id), `acknowledged ${id} was not delivered`).toBe(true);
      expect(acknowledged.size).toBeLessThan(8 * 60);
      expect(s.tw.output()).not.toMatch(/Warning|unhandled/i);
    },
  );
});

async function startPipeline(
  lines: readonly string[],
  env: NodeJS.ProcessEnv = {},
): Promise<{ tw: TenantwireProcess; port: number }> {
  const port = await freePort();
  const file = join(tmp.path, `pipeline-${port}.yaml`);
  writeFileSync(
    file,
    [
      'prometheus.receive_http:',
      '  ingest:',
      `    listen: 127.0.0.1:${port}`,
      '    forward_to: [prometheus.remote_write.out.receiver]',
      'prometheus.remote_write:',
      '  out:',
      '    endpoint:',
      `      - url: ${upstream().url}`,
      ...lines,
      '',
    ].join('\n'),
  );
  const tw = startTenantwire(['--config', file], { env });
  running.push(tw);
  await waitForHttp(`http://127.0.0.1:${port}/-/ready`, undefined, 20_000);
  return { tw, port };
}

describe('a pipeline under load, SIGTERM in the middle', () => {
  it('flushes its queues: every 2xx is delivered, the rest is retryable, exit 0', async () => {
    upstream().replies = { '*': { status: 204, delayMs: 5 } };
    const { tw, port } = await startPipeline([
      '    queue_config: { batch_send_deadline: 5s, max_samples_per_send: 50 }',
    ]);
    let sentAt = 0;
    const { acknowledged, outcomes } = await load(port, 8, 60, (acked) => {
      if (acked === 80 && sentAt === 0) {
        sentAt = Date.now();
        tw.process.kill('SIGTERM');
      }
    });
    expect(await tw.exited).toBe(0);
    expect(Date.now() - sentAt).toBeLessThan(15_000);
    expectOnlyRetryableFailures(outcomes);
    const got = delivered();
    for (const id of acknowledged) expect(got.has(id), `acknowledged ${id} was not delivered`).toBe(true);
    expect(tw.output()).not.toMatch(/dropping a batch/);
  });

  it(
    'past the flush deadline (TENANTWIRE_FLUSH_DEADLINE) what is queued is dropped, counted and ' +
      'logged, and it exits 0',
    async () => {
      upstream().replies = { '*': { status: 503 } };
      const { tw, port } = await startPipeline(
        ['    queue_config: { batch_send_deadline: 5s, min_backoff: 50ms, max_backoff: 200ms }'],
        {
          TENANTWIRE_FLUSH_DEADLINE: '2s',
        },
      );
      const conn = await rawConnection(port);
      for (let i = 0; i < 5; i++) expect((await conn.post('/api/v1/push', seriesBody([`q-${i}`]))).status).toBe(204);
      conn.close();
      await eventually(() => upstream().received.length > 0, { timeoutMs: 10_000 });
      const t0 = Date.now();
      tw.process.kill('SIGTERM');
      expect(await tw.exited).toBe(0);
      expect(Date.now() - t0).toBeLessThan(2_000 + 8_000);
      expect(tw.output()).toMatch(/dropping a batch: the flush deadline passed while stopping/);
      expect(tw.output()).toMatch(/"samples":\d+/);
    },
  );
});

describe('the drop-in under load, SIGKILL in the middle', () => {
  it('every request answered 2xx was delivered before the answer: nothing acknowledged is lost', async () => {
    // A slow upstream keeps requests in flight at the kill, so some are cut before their answer.
    upstream().replies = { '*': { status: 204, delayMs: 20 } };
    const s = await startDropIn(tmp.path, upstream().url, ['workers: 1', 'timeout: 3s', 'log_level: warn']);
    running.push(s.tw);
    let killed = false;
    const { acknowledged, outcomes } = await load(s.port, 8, 40, (acked) => {
      if (acked === 60 && !killed) {
        killed = true;
        s.tw.process.kill('SIGKILL');
      }
    });
    expect(killed).toBe(true);
    expect(await s.tw.exited).toBeNull();
    // After the kill every sender sees its connection cut or refused: never a 2xx.
    expectOnlyRetryableFailures(outcomes);
    expect((outcomes.get('refused') ?? 0) + (outcomes.get('closed-before-answer') ?? 0)).toBeGreaterThan(0);
    const got = delivered();
    const lost = [...acknowledged].filter((id) => !got.has(id));
    expect(lost, `acknowledged ${acknowledged.size}, delivered ${got.size}`).toEqual([]);
    expect(acknowledged.size).toBeGreaterThanOrEqual(60);
  });
});
