/**
 * Queue mode through an upstream outage, against a real process: the upstream's port closes
 * (connections refused) while senders go on; they keep getting 204 under the disk bound, and once
 * the port opens again every acknowledged sample arrives, each series' samples in order. With a
 * small disk bound the sender gets 503 + Retry-After past it and nothing acknowledged is lost;
 * one tenant over its share is refused while another is still accepted.
 */
import { join } from 'node:path';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { eventually } from '../helpers/eventually.js';
import type { RawConnection } from '../helpers/fault-tools.js';
import { tempDir } from '../helpers/peers.js';
import {
  attachLedger,
  FAST_QUEUE,
  senderConnection,
  startQueueDropIn,
  startSwitch,
  tenantSeriesBody,
  type UpstreamSwitch,
} from '../helpers/queue-mode.js';
import { sample, T0 } from '../helpers/series.js';
import type { TenantwireProcess } from '../helpers/tenantwire-process.js';
import { useRecordingUpstream } from '../helpers/use-recording-upstream.js';

const upstream = useRecordingUpstream();
const tmp = tempDir('e2e-queue-outage');
const running: TenantwireProcess[] = [];
const switches: UpstreamSwitch[] = [];
const conns: RawConnection[] = [];

afterAll(() => tmp.remove());
afterEach(async () => {
  for (const c of conns.splice(0)) c.close();
  for (const tw of running.splice(0)) await tw.stop(2_000);
  for (const s of switches.splice(0)) await s.down();
  upstream().validate = undefined;
  upstream().received.length = 0;
});

async function upstreamSwitch(): Promise<UpstreamSwitch> {
  const sw = await startSwitch(Number(new URL(upstream().url).port));
  switches.push(sw);
  return sw;
}

async function metric(url: string, name: string): Promise<number> {
  const text = await (await fetch(`${url}/metrics`)).text();
  let sum = 0;
  for (const line of text.split('\n'))
    if (line.startsWith(`${name}{`) || line.startsWith(`${name} `)) sum += Number(line.split(' ').pop());
  return sum;
}

describe('queue mode: the upstream goes away and comes back', () => {
  it('senders get 204 throughout; afterwards every sample arrives, per series in order', async () => {
    const ledger = attachLedger(upstream());
    const sw = await upstreamSwitch();
    await sw.up();
    const s = await startQueueDropIn(tmp.path, sw.url('/api/v1/push'), join(tmp.path, 'q-outage'), [
      'workers: 1',
      // Long enough that a loaded machine never times out a send the receiver then processes
      // late: that duplicate could land after the next batch and read as out of order.
      'timeout: 15s',
    ]);
    running.push(s.tw);
    const CONNS = 4;
    const PER = 10;
    const ROUNDS = 30;
    const tenants = ['a', 'b', 'c'];
    for (let c = 0; c < CONNS; c++) conns.push(await senderConnection(s.port));
    const statuses = new Map<number, number>();
    // Each connection owns its series, so each series' samples are sent in order, a round at a time.
    const round = async (r: number) => {
      await Promise.all(
        conns.map(async (conn, c) => {
          const items = Array.from({ length: PER }, (_, k) => ({ id: `o-c${c}-s${k}`, tenant: tenants[k % 3]! }));
          const ts = T0 + r * 1_000;
          const a = await conn.post('/api/v1/push', tenantSeriesBody(items, [sample(r, ts), sample(r, ts + 500)]));
          statuses.set(a.status, (statuses.get(a.status) ?? 0) + 1);
        }),
      );
    };
    for (let r = 0; r < 5; r++) await round(r);
    await sw.down();
    const retriedBefore = await metric(s.url, 'prometheus_remote_storage_samples_retried_total');
    for (let r = 5; r < 20; r++) await round(r);
    // The queue really met the outage: it retried sends while the port was closed.
    await eventually(
      async () => (await metric(s.url, 'prometheus_remote_storage_samples_retried_total')) > retriedBefore,
      { timeoutMs: 10_000, message: 'the queue to retry against the closed port' },
    );
    const pendingDuringOutage = await metric(s.url, 'tenantwire_queue_pending_records');
    await sw.up();
    for (let r = 20; r < ROUNDS; r++) await round(r);
    expect(Object.fromEntries(statuses)).toEqual({ 204: CONNS * ROUNDS });
    await eventually(
      () => {
        for (let c = 0; c < CONNS; c++) {
          for (let k = 0; k < PER; k++) {
            const got = new Set(ledger.timestamps.get(`o-c${c}-s${k}`) ?? []);
            if (got.size < 2 * ROUNDS) return false;
          }
        }
        return true;
      },
      { timeoutMs: 20_000, intervalMs: 100, message: 'every sample of every series to arrive' },
    );
    // Order of first arrivals: a batch whose connection the outage cut after the receiver had read
    // it is sent again, and its earlier copy may be read late, after newer samples; that copy is a
    // duplicate of data already written (at least once), not a sample delivered out of order.
    let outOfOrder = 0;
    for (const [id, ts] of ledger.timestamps) {
      const seen = new Set<number>();
      const first = ts.filter((t) => !seen.has(t) && seen.add(t) !== undefined);
      for (let i = 1; i < first.length; i++) if (first[i]! < first[i - 1]!) outOfOrder++;
      expect(ts.length, `samples of ${id}`).toBeGreaterThanOrEqual(2 * ROUNDS);
    }
    console.log(
      `queue-mode outage: ${CONNS * ROUNDS} requests all 204, ${pendingDuringOutage} records pending during ` +
        `the outage, duplicates ${ledger.duplicates() - CONNS * PER * (ROUNDS - 1)}, out of order ${outOfOrder}`,
    );
    expect(outOfOrder).toBe(0);
    expect(await s.tw.stop(15_000)).toBe(0);
  }, 60_000);
});

describe('queue mode: the disk bound', () => {
  it('past max_disk_bytes: 503 + Retry-After; after the upstream returns, nothing acknowledged is lost', async () => {
    const ledger = attachLedger(upstream());
    const sw = await upstreamSwitch();
    const s = await startQueueDropIn(
      tmp.path,
      sw.url('/api/v1/push'),
      join(tmp.path, 'q-bound'),
      ['workers: 1', 'timeout: 2s'],
      [...FAST_QUEUE, 'max_disk_bytes: 64KiB'],
    );
    running.push(s.tw);
    const conn = await senderConnection(s.port);
    conns.push(conn);
    const acked: string[] = [];
    let refused: { status: number; headers: Record<string, string>; body: string } | undefined;
    for (let i = 0; i < 5_000 && refused === undefined; i++) {
      const items = [0, 1, 2].map((k) => ({ id: `d-${i}-${k}`, tenant: `t${k}` }));
      const a = await conn.post('/api/v1/push', tenantSeriesBody(items));
      if (a.status === 204) acked.push(...items.map((x) => x.id));
      else refused = a;
    }
    expect(refused?.status).toBe(503);
    expect(Number(refused?.headers['retry-after'])).toBeGreaterThanOrEqual(1);
    expect(refused?.body).toMatch(/disk|full|bound|max_disk_bytes/i);
    // Still refused while the upstream is away: the bound holds.
    const again = await conn.post(
      '/api/v1/push',
      tenantSeriesBody([0, 1, 2].map((k) => ({ id: `d-again-${k}`, tenant: `t${k}` }))),
    );
    expect(again.status).toBe(503);
    const t0 = Date.now();
    await sw.up();
    await eventually(() => ledger.missing(acked).length === 0, {
      timeoutMs: 20_000,
      message: `the ${acked.length} acknowledged ids to arrive`,
    });
    // Delivered data frees its space: the queue takes requests again.
    await eventually(
      async () => (await conn.post('/api/v1/push', tenantSeriesBody([{ id: 'd-after', tenant: 't0' }]))).status === 204,
      { timeoutMs: 10_000, message: 'a request after the recovery to be accepted' },
    );
    console.log(
      `queue-mode disk bound 64KiB: ${acked.length} series acknowledged before the first 503, all delivered; ` +
        `accepting again ${Date.now() - t0} ms after the upstream returned`,
    );
    expect(await s.tw.stop(15_000)).toBe(0);
  }, 60_000);

  it('a tenant past max_tenant_disk_bytes is refused while another tenant is still accepted', async () => {
    const ledger = attachLedger(upstream());
    const sw = await upstreamSwitch();
    const s = await startQueueDropIn(
      tmp.path,
      sw.url('/api/v1/push'),
      join(tmp.path, 'q-tenant-bound'),
      ['workers: 1', 'timeout: 2s'],
      [...FAST_QUEUE, 'max_disk_bytes: 256KiB', 'max_tenant_disk_bytes: 32KiB'],
    );
    running.push(s.tw);
    const conn = await senderConnection(s.port);
    conns.push(conn);
    const acked: string[] = [];
    let refused: { status: number; headers: Record<string, string>; body: string } | undefined;
    for (let i = 0; i < 5_000 && refused === undefined; i++) {
      const items = [0, 1, 2, 3].map((k) => ({ id: `greedy-${i}-${k}`, tenant: 'greedy' }));
      const a = await conn.post('/api/v1/push', tenantSeriesBody(items));
      if (a.status === 204) acked.push(...items.map((x) => x.id));
      else refused = a;
    }
    expect(refused?.status).toBe(503);
    expect(refused?.headers['retry-after']).toBeDefined();
    expect(refused?.body).toMatch(/greedy/);
    const other = await conn.post('/api/v1/push', tenantSeriesBody([{ id: 'modest-1', tenant: 'modest' }]));
    expect(other.status).toBe(204);
    acked.push('modest-1');
    // All or none: a request with a series of the full tenant is refused whole.
    const mixed = await conn.post(
      '/api/v1/push',
      tenantSeriesBody([
        { id: 'mixed-modest', tenant: 'modest' },
        { id: 'mixed-greedy', tenant: 'greedy' },
      ]),
    );
    expect(mixed.status).toBe(503);
    await sw.up();
    await eventually(() => ledger.missing(acked).length === 0, {
      timeoutMs: 20_000,
      message: `the ${acked.length} acknowledged ids to arrive`,
    });
    expect(ledger.counts.has('mixed-modest')).toBe(false);
    expect(await s.tw.stop(15_000)).toBe(0);
  }, 60_000);
});
