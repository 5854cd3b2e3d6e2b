/**
 * Queue mode's stop and give-up paths, against a real process: SIGTERM while the upstream never
 * answers exits 0 within the documented deadline and leaves the queue on disk for the next
 * start; a tenant whose upstream refuses its data (400) has it dropped and counted, not retried
 * forever; several shards per tenant keep each series' samples in order.
 */
import { join } from 'node:path';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { eventually } from '../helpers/eventually.js';
import { tempDir } from '../helpers/peers.js';
import {
  attachLedger,
  FAST_QUEUE,
  senderConnection,
  sendLoad,
  startQueueDropIn,
  tenantSeriesBody,
} from '../helpers/queue-mode.js';
import { sample, T0 } from '../helpers/series.js';
import type { TenantwireProcess } from '../helpers/tenantwire-process.js';
import { useRecordingUpstream } from '../helpers/use-recording-upstream.js';

const upstream = useRecordingUpstream();
const tmp = tempDir('e2e-queue-stop');
const running: TenantwireProcess[] = [];
let release: () => void = () => {};

afterAll(() => tmp.remove());
afterEach(async () => {
  release();
  for (const tw of running.splice(0)) await tw.stop(2_000);
  upstream().validate = undefined;
  upstream().received.length = 0;
});

async function metric(url: string, name: string, labels: string): Promise<number> {
  const text = await (await fetch(`${url}/metrics`)).text();
  let sum = 0;
  for (const line of text.split('\n')) {
    if (line.startsWith(`${name}{`) && line.includes(labels)) sum += Number(line.split(' ').pop());
  }
  return sum;
}

describe('queue mode: SIGTERM while the upstream never answers', () => {
  it('exits 0 within timeout_shutdown + 2 x timeout + 3 s; the next start delivers everything', async () => {
    const ledger = attachLedger(upstream());
    const hung = new Promise<void>((r) => {
      release = r;
    });
    ledger.reply = () => ({ status: 503, until: hung });
    const dir = join(tmp.path, 'q-hung');
    const lines = ['workers: 1', 'timeout: 2s', 'timeout_shutdown: 100ms'];
    const s = await startQueueDropIn(tmp.path, upstream().url, dir, lines);
    running.push(s.tw);
    const { acknowledged, outcomes } = await sendLoad({
      port: s.port,
      connections: 4,
      perConnection: 20,
      tenants: ['a', 'b'],
      prefix: 'hung-',
    });
    expect(Object.fromEntries(outcomes)).toEqual({ 204: 80 });
    await eventually(() => upstream().mostInFlight > 0, { message: 'a send hanging on the upstream' });
    const t0 = Date.now();
    s.tw.process.kill('SIGTERM');
    expect(await s.tw.exited).toBe(0);
    const tookMs = Date.now() - t0;
    // The documented deadline: timeout_shutdown + timeout + 2 s, plus `timeout` + 1 s for the queue.
    expect(tookMs).toBeLessThan(100 + 2_000 + 2_000 + 2_000 + 1_000 + 3_000);
    expect(ledger.counts.size).toBe(0);
    release();
    ledger.reply = () => undefined;
    const again = await startQueueDropIn(tmp.path, upstream().url, dir, lines);
    running.push(again.tw);
    await eventually(() => ledger.missing(acknowledged).length === 0, {
      timeoutMs: 20_000,
      message: `the ${acknowledged.size} ids left on disk to be delivered`,
    });
    console.log(
      `queue-mode SIGTERM with a hung upstream: exit 0 after ${tookMs} ms; ${acknowledged.size} ids delivered by the next start`,
    );
  }, 60_000);
});

describe('queue mode: an upstream refusing a tenant for good (400)', () => {
  it('drops that tenant’s batches, counts and logs them, and delivers the others', async () => {
    const ledger = attachLedger(upstream());
    ledger.reply = (tenant) => (tenant === 'refused' ? { status: 400, body: 'bad data' } : undefined);
    const s = await startQueueDropIn(
      tmp.path,
      upstream().url,
      join(tmp.path, 'q-400'),
      ['workers: 1'],
      [...FAST_QUEUE],
    );
    running.push(s.tw);
    const { acknowledged, outcomes } = await sendLoad({
      port: s.port,
      connections: 2,
      perConnection: 20,
      tenants: ['fine', 'refused'],
      prefix: 'r-',
      seriesPerRequest: 2,
    });
    expect(Object.fromEntries(outcomes)).toEqual({ 204: 40 });
    await eventually(() => (ledger.byTenant.get('fine')?.size ?? 0) === 40, {
      message: 'the other tenant to be delivered',
    });
    const dropped = await eventually(
      async () => {
        const n = await metric(s.url, 'tenantwire_queue_samples_dropped_total', 'reason="upstream_rejected"');
        return n === 40 && n;
      },
      { message: 'the 40 refused samples to be counted as dropped' },
    );
    expect(dropped).toBe(40);
    expect(acknowledged.size).toBe(80);
    // Not retried: each refused batch went up once.
    const refusedRequests = upstream().received.filter((r) => r.tenant === 'refused').length;
    expect(refusedRequests).toBeLessThanOrEqual(40);
    expect(s.tw.output()).toMatch(/upstream refused a batch; dropped/);
    expect(s.tw.output()).toMatch(/bad data/);
  }, 30_000);
});

describe('queue mode: several shards per tenant', () => {
  it('min_shards: 4 keeps every series in order and delivers everything', async () => {
    const ledger = attachLedger(upstream());
    const s = await startQueueDropIn(
      tmp.path,
      upstream().url,
      join(tmp.path, 'q-shards'),
      ['workers: 1'],
      [...FAST_QUEUE, 'min_shards: 4', 'max_shards: 4', 'max_samples_per_send: 20'],
    );
    running.push(s.tw);
    const conn = await senderConnection(s.port);
    const ROUNDS = 20;
    const ids = Array.from({ length: 40 }, (_, k) => ({ id: `sh-${k}`, tenant: 'one' }));
    for (let r = 0; r < ROUNDS; r++) {
      const a = await conn.post('/api/v1/push', tenantSeriesBody(ids, [sample(r, T0 + r * 1_000)]));
      expect(a.status).toBe(204);
    }
    conn.close();
    await eventually(() => ids.every((i) => (ledger.timestamps.get(i.id)?.length ?? 0) >= ROUNDS), {
      timeoutMs: 15_000,
      message: 'every sample of every series',
    });
    for (const { id } of ids) {
      const ts = ledger.timestamps.get(id)!;
      expect(
        [...ts].sort((x, y) => x - y),
        id,
      ).toEqual(ts);
    }
    const shards = await metric(s.url, 'prometheus_remote_storage_shards', 'tenant="one"');
    expect(shards).toBe(4);
  }, 30_000);
});
