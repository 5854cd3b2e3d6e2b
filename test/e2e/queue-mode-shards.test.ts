/**
 * Queue mode's `max_shards`, against a real process: a tenant with a backlog and a slow (but
 * healthy) upstream is sent with more than one request in flight, up to `max_shards`, and each
 * series still arrives in order; with `max_shards` equal to `min_shards` (1) it is one at a time.
 */
import { join } from 'node:path';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { eventually } from '../helpers/eventually.js';
import { tempDir } from '../helpers/peers.js';
import {
  attachLedger,
  FAST_QUEUE,
  senderConnection,
  startQueueDropIn,
  tenantSeriesBody,
} from '../helpers/queue-mode.js';
import { sample, T0 } from '../helpers/series.js';
import type { TenantwireProcess } from '../helpers/tenantwire-process.js';
import { startRecordingUpstream, type RecordingUpstream } from '../helpers/recording-upstream.js';

const tmp = tempDir('e2e-queue-shards');
const running: TenantwireProcess[] = [];
let upstream: RecordingUpstream | undefined;

afterAll(() => tmp.remove());
afterEach(async () => {
  for (const tw of running.splice(0)) await tw.stop(2_000);
  await upstream?.close();
});

async function backlog(maxShards: number): Promise<number> {
  // A fresh upstream per case: `mostInFlight` is its high-water mark.
  upstream = await startRecordingUpstream();
  const ledger = attachLedger(upstream);
  ledger.reply = () => ({ status: 204, delayMs: 100 });
  const s = await startQueueDropIn(
    tmp.path,
    upstream.url,
    join(tmp.path, `q-${maxShards}`),
    ['workers: 1'],
    // capacity: four batches read ahead per shard, so a reshard (which waits for what was read
    // to be delivered) comes soon.
    [...FAST_QUEUE, 'max_samples_per_send: 50', 'capacity: 200', 'min_shards: 1', `max_shards: ${maxShards}`],
  );
  running.push(s.tw);
  const conn = await senderConnection(s.port);
  const ROUNDS = 30;
  const ids = Array.from({ length: 100 }, (_, k) => ({ id: `big-${k}`, tenant: 'big' }));
  for (let r = 0; r < ROUNDS; r++) {
    expect((await conn.post('/api/v1/push', tenantSeriesBody(ids, [sample(r, T0 + r * 1_000)]))).status).toBe(204);
  }
  conn.close();
  await eventually(() => ids.every((i) => (ledger.timestamps.get(i.id)?.length ?? 0) >= ROUNDS), {
    timeoutMs: 60_000,
    intervalMs: 100,
    message: `all ${ROUNDS * ids.length} samples`,
  });
  for (const { id } of ids) {
    const ts = ledger.timestamps.get(id)!;
    expect(
      [...ts].sort((x, y) => x - y),
      id,
    ).toEqual(ts);
  }
  return upstream.mostInFlight;
}

describe('queue mode: max_shards', () => {
  it('a backlog behind a slow upstream is sent over more than one shard, each series in order', async () => {
    const most = await backlog(8);
    console.log(`queue-mode shards: max_shards 8, most requests in flight for one tenant: ${most}`);
    expect(most).toBeGreaterThan(1);
    expect(most).toBeLessThanOrEqual(8);
  }, 90_000);

  it('max_shards: 1 sends one request at a time', async () => {
    expect(await backlog(1)).toBe(1);
  }, 90_000);
});
