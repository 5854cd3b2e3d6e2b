/**
 * Graceful shutdown of the drop-in against real processes: a request in flight on a keep-alive
 * connection at SIGTERM is answered with `Connection: close` and the process exits 0 promptly
 * (it used to wait for `idle_timeout`, or be killed by the primary and exit 1); a connection
 * opened after SIGTERM gets a prompt answer or a refusal, never a hang.
 */
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { tempDir } from '../helpers/peers.js';
import { rawConnection, seriesBody, startDropIn, type StartedDropIn } from '../helpers/fault-tools.js';
import { eventually } from '../helpers/eventually.js';
import { useRecordingUpstream } from '../helpers/use-recording-upstream.js';

const upstream = useRecordingUpstream();
const tmp = tempDir('tenantwire-faults-shutdown-');
const started: StartedDropIn[] = [];

afterAll(async () => {
  tmp.remove();
});
afterEach(async () => {
  for (const s of started.splice(0)) await s.tw.stop(2_000);
  upstream().replies = {};
  upstream().received.length = 0;
});

/** Exit code and how long after SIGTERM the process took to exit (ms). */
async function sigterm(s: StartedDropIn): Promise<{ code: number | null; ms: number }> {
  const t0 = Date.now();
  s.tw.process.kill('SIGTERM');
  const code = await s.tw.exited;
  return { code, ms: Date.now() - t0 };
}

describe.each([1, 2])('SIGTERM with a request in flight on a keep-alive connection (workers: %i)', (workers) => {
  it('answers it with Connection: close, closes the connection and exits 0 long before idle_timeout', async () => {
    upstream().replies = { '*': { status: 204, delayMs: 1_500 } };
    const s = await startDropIn(tmp.path, upstream().url, [
      `workers: ${workers}`,
      'timeout: 5s',
      'idle_timeout: 60s',
      'timeout_shutdown: 0s',
      'log_level: warn',
    ]);
    started.push(s);
    const conn = await rawConnection(s.port);
    // A first request makes it a keep-alive connection in use, as a remote-write shard's is.
    upstream().replies = {};
    expect((await conn.post('/api/v1/push', seriesBody(['warm']))).status).toBe(204);
    upstream().replies = { '*': { status: 204, delayMs: 1_500 } };
    const answer = conn.post('/api/v1/push', seriesBody(['in-flight']));
    await eventually(() => upstream().received.length === 2, { timeoutMs: 5_000 });
    const exit = sigterm(s);
    const a = await answer;
    expect(a.status).toBe(204);
    expect(a.headers.connection).toBe('close');
    await eventually(() => conn.isClosed(), { timeoutMs: 5_000 });
    const { code, ms } = await exit;
    expect(code).toBe(0);
    // The bound: timeout_shutdown + timeout (+ margin); idle_timeout (60 s) must not matter.
    expect(ms).toBeLessThan(5_000 + 5_000);
  });
});

describe('SIGTERM: connections opened after it', () => {
  it('get an answer (with Connection: close) or a refusal promptly during timeout_shutdown and after', async () => {
    const s = await startDropIn(tmp.path, upstream().url, [
      'workers: 2',
      'timeout: 5s',
      'timeout_shutdown: 1s',
      'log_level: warn',
    ]);
    started.push(s);
    const t0 = Date.now();
    s.tw.process.kill('SIGTERM');
    const outcomes: string[] = [];
    while (s.tw.process.exitCode === null && Date.now() - t0 < 12_000) {
      const began = Date.now();
      const outcome = await rawConnection(s.port).then(
        async (c) => {
          try {
            const a = await c.post('/api/v1/push', seriesBody([`late-${outcomes.length}`]));
            return `${a.status}:${a.headers.connection ?? ''}`;
          } catch {
            return 'closed-before-answer';
          } finally {
            c.close();
          }
        },
        () => 'refused',
      );
      // Each try is answered or refused well within the read timeout.
      expect(Date.now() - began).toBeLessThan(4_000);
      outcomes.push(outcome);
      await new Promise((r) => setTimeout(r, 50));
    }
    expect(await s.tw.exited).toBe(0);
    for (const o of outcomes) expect(o).toMatch(/^(204:close|503:close|refused|closed-before-answer)$/);
  });
});
