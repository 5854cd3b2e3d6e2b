/**
 * Queue mode against real processes and SIGKILL: concurrent senders post unique series ids over
 * four tenants while the upstream fails two of them (503) and is slow for a third, so data piles
 * up in the queue; the process (and, with workers: 2, its workers) is killed after a number of
 * acknowledgements; the next start, with a healthy upstream, delivers every acknowledged id.
 * Three crash cycles in a row on one queue directory; duplicates are counted and printed.
 */
import { join } from 'node:path';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { eventually } from '../helpers/eventually.js';
import { tempDir } from '../helpers/peers.js';
import {
  attachLedger,
  childPids,
  isAlive,
  killTree,
  sendLoad,
  startQueueDropIn,
  type Ledger,
  type QueueDropIn,
} from '../helpers/queue-mode.js';
import type { TenantwireProcess } from '../helpers/tenantwire-process.js';
import { useRecordingUpstream } from '../helpers/use-recording-upstream.js';

const upstream = useRecordingUpstream();
const tmp = tempDir('e2e-queue-crash');
const running: TenantwireProcess[] = [];
const TENANTS = ['t0', 't1', 't2', 't3'];
const CYCLES = 3;
const KILL_AT = 240;

afterAll(() => tmp.remove());
afterEach(async () => {
  for (const tw of running.splice(0)) await tw.stop(2_000);
  upstream().validate = undefined;
  upstream().received.length = 0;
});

/** 503 for t0 and t1 (retried: piles up), a slow 204 for t2 (in flight at the kill), 204 for t3. */
function failing(ledger: Ledger): void {
  ledger.reply = (tenant) => {
    if (tenant === 't0' || tenant === 't1') return { status: 503 };
    if (tenant === 't2') return { status: 204, delayMs: 40 };
    return undefined;
  };
}

interface CycleFigures {
  readonly cycle: number;
  readonly acknowledged: number;
  readonly delivered: number;
  readonly lost: number;
  readonly duplicates: number;
  readonly outcomes: string;
}

/** Per-tenant limits on, never refusing: the limits' hook runs before every queued piece. */
const LIMITS = [
  'limits:',
  '  per_tenant:',
  '    ingestion_rate: 100000000',
  '    max_series_per_request: 100000',
  '    max_active_series: 1000000',
];

async function start(queueDir: string, workers: number, extra: readonly string[] = []): Promise<QueueDropIn> {
  const s = await startQueueDropIn(tmp.path, upstream().url, queueDir, [
    `workers: ${workers}`,
    'timeout: 3s',
    ...extra,
  ]);
  running.push(s.tw);
  return s;
}

describe('queue mode: SIGKILL under load, then a restart with a healthy upstream', () => {
  it.each([
    { workers: 1, limits: false },
    { workers: 2, limits: false },
    { workers: 1, limits: true },
  ])(
    'workers: $workers, limits: $limits: every acknowledged id is delivered after each of 3 crashes',
    async ({ workers, limits }) => {
      const extra = limits ? LIMITS : [];
      const queueDir = join(tmp.path, `queue-w${workers}${limits ? '-limits' : ''}`);
      const ledger = attachLedger(upstream());
      failing(ledger);
      let s = await start(queueDir, workers, extra);
      const figures: CycleFigures[] = [];
      for (let cycle = 1; cycle <= CYCLES; cycle++) {
        const primary = s.tw.process.pid!;
        const workerPids = workers > 1 ? childPids(primary) : [];
        expect(workerPids.length).toBe(workers > 1 ? workers : 0);
        // The last cycle of workers: 2 kills the primary alone: its workers must not outlive it.
        const primaryOnly = workers > 1 && cycle === CYCLES;
        let killed = false;
        const { acknowledged, outcomes } = await sendLoad({
          port: s.port,
          connections: 8,
          perConnection: 40,
          tenants: TENANTS,
          prefix: `w${workers}${limits ? 'l' : ''}-k${cycle}-`,
          onAck: (acked) => {
            if (acked < KILL_AT || killed) return;
            killed = true;
            if (primaryOnly) process.kill(primary, 'SIGKILL');
            else killTree(primary);
          },
        });
        expect(killed).toBe(true);
        await s.tw.exited;
        await eventually(() => workerPids.every((p) => !isAlive(p)), {
          timeoutMs: 10_000,
          message: `workers ${workerPids.join(', ')} to exit after the primary was killed`,
        });
        for (const k of outcomes.keys()) expect(k).toMatch(/^(204|503|refused|closed-before-answer)$/);

        s = await start(queueDir, workers, extra);
        ledger.reply = () => undefined;
        await eventually(() => ledger.missing(acknowledged).length === 0, {
          timeoutMs: 30_000,
          intervalMs: 100,
          message: `the ${acknowledged.size} ids acknowledged in cycle ${cycle} to be delivered`,
        }).catch((e: Error) => {
          throw new Error(`${e.message}; missing ${ledger.missing(acknowledged).slice(0, 5).join(', ')}`);
        });
        let duplicates = 0;
        for (const id of acknowledged) duplicates += (ledger.counts.get(id) ?? 0) - 1;
        figures.push({
          cycle,
          acknowledged: acknowledged.size,
          delivered: acknowledged.size - ledger.missing(acknowledged).length,
          lost: ledger.missing(acknowledged).length,
          duplicates,
          outcomes: JSON.stringify(Object.fromEntries(outcomes)),
        });
        failing(ledger);
      }
      console.log(
        `queue-mode crash, workers: ${workers}, limits: ${limits}\n${figures.map((f) => JSON.stringify(f)).join('\n')}`,
      );
      for (const f of figures) {
        expect(f.lost).toBe(0);
        expect(f.acknowledged).toBeGreaterThanOrEqual(KILL_AT);
      }
      ledger.reply = () => undefined;
      expect(await s.tw.stop(15_000)).toBe(0);
      expect(s.tw.output()).not.toMatch(/unhandled|queue delivery failed/i);
    },
    180_000,
  );
});

describe('queue mode: one cluster worker killed', () => {
  it('its replacement takes its slot and delivers what it had acknowledged', async () => {
    const queueDir = join(tmp.path, 'queue-worker-kill');
    const ledger = attachLedger(upstream());
    failing(ledger);
    const s = await start(queueDir, 2);
    const workers = childPids(s.tw.process.pid!);
    expect(workers).toHaveLength(2);
    let killed = 0;
    const { acknowledged, outcomes } = await sendLoad({
      port: s.port,
      connections: 8,
      perConnection: 40,
      tenants: TENANTS,
      prefix: 'wk-',
      // Node's cluster primary hands each accepted connection to a worker; one handed over as
      // that worker dies is never answered nor closed (README "Faults"): the sender's timeout is
      // the answer, as Prometheus's remote_timeout would be.
      answerTimeoutMs: 5_000,
      onAck: (acked) => {
        if (acked < KILL_AT || killed !== 0) return;
        killed = workers[0]!;
        process.kill(killed, 'SIGKILL');
      },
    });
    expect(killed).not.toBe(0);
    for (const k of outcomes.keys()) expect(k).toMatch(/^(204|503|refused|closed-before-answer|no-answer)$/);
    // Only a connection in the hand-over at the kill can go unanswered, one per sender at most.
    expect(outcomes.get('no-answer') ?? 0).toBeLessThanOrEqual(8);
    // The primary starts a replacement (after its restart backoff) in the same slot.
    await eventually(() => childPids(s.tw.process.pid!).filter((p) => p !== killed && isAlive(p)).length === 2, {
      timeoutMs: 10_000,
      message: 'a replacement worker',
    });
    ledger.reply = () => undefined;
    await eventually(() => ledger.missing(acknowledged).length === 0, {
      timeoutMs: 30_000,
      intervalMs: 100,
      message: `the ${acknowledged.size} acknowledged ids to be delivered`,
    });
    console.log(
      `queue-mode worker kill: acknowledged ${acknowledged.size}, lost 0, duplicates ${ledger.duplicates()}, ` +
        `outcomes ${JSON.stringify(Object.fromEntries(outcomes))}`,
    );
    expect(s.tw.output()).toMatch(/worker exited unexpectedly/);
    expect(await s.tw.stop(15_000)).toBe(0);
  }, 240_000);
});
