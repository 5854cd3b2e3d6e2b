import { afterEach, describe, expect, it } from 'vitest';
import { decodeBody, sample, series } from '../helpers/series.js';
import { eventually } from '../helpers/eventually.js';
import { pieceOf, startHarness, type Harness } from './queue-harness.js';

describe('per-series order with several shards under retries', () => {
  let h: Harness | undefined;
  afterEach(async () => {
    await h?.close();
    h = undefined;
  });

  it('keeps every series in timestamp order when the upstream fails every third request', async () => {
    h = await startHarness({ config: { minShards: 4, maxShards: 4, maxSamplesPerSend: 7, batchSendDeadlineMs: 5 } });
    const up = h.upstream!;
    const accepted: Uint8Array[] = [];
    let n = 0;
    up.validate = (body) => {
      n++;
      if (n % 3 === 0) return { status: 500, body: 'try again' };
      accepted.push(body);
      return undefined;
    };
    h.queue.start();
    const ids = Array.from({ length: 20 }, (_, i) => `s${i}`);
    const rounds = 25;
    for (let t = 0; t < rounds; t++) {
      await h.queue.enqueue([
        pieceOf(
          'a',
          ids.map((id) => series({ __name__: 'm', id }, [sample(t, 1_000 + t)])),
        ),
      ]);
    }
    const total = ids.length * rounds;
    await eventually(() => accepted.reduce((k, b) => k + decodeBody(b).timeseries.length, 0) === total, {
      message: `${total} samples accepted`,
      timeoutMs: 15_000,
    });
    const seen = new Map<string, number[]>();
    for (const b of accepted) {
      for (const s of decodeBody(b).timeseries) {
        const id = s.labels.find((l) => l.name === 'id')!.value;
        seen.set(id, [...(seen.get(id) ?? []), ...s.samples.map((x) => x.timestamp)]);
      }
    }
    expect(seen.size).toBe(ids.length);
    for (const [id, ts] of seen) {
      expect({ id, ts }).toEqual({ id, ts: [...ts].sort((a, b) => a - b) });
      expect(ts).toHaveLength(rounds);
    }
    expect(await h.metric('prometheus_remote_storage_shards', { tenant: 'a' })).toBe(4);
    await eventually(() => h!.wal.log('a').pendingRecords === 0, { message: 'everything acked' });
  });
});

describe('tenant isolation', () => {
  let h: Harness | undefined;
  afterEach(async () => {
    await h?.close();
    h = undefined;
  });

  const tenants = Array.from({ length: 10 }, (_, i) => `tenant-${i}`);

  async function nineDeliveredWhileOneIsStuck(harness: Harness): Promise<void> {
    const up = harness.upstream!;
    harness.queue.start();
    const rounds = 20;
    for (let r = 0; r < rounds; r++) {
      await harness.queue.enqueue(
        tenants.map((t) => pieceOf(t, [series({ __name__: 'm', t, r: String(r) }, [sample(r, 1_000 + r)])])),
      );
    }
    const healthy = tenants.slice(1);
    await eventually(
      () => {
        for (const t of healthy) if (harness.wal.log(t).pendingRecords !== 0) return false;
        return true;
      },
      { message: 'the nine healthy tenants delivered', timeoutMs: 5_000 },
    );
    for (const t of healthy) {
      const got = up.received
        .filter((x) => x.tenant === t)
        .reduce((k, x) => k + decodeBody(x.body).timeseries.length, 0);
      expect({ t, got }).toEqual({ t, got: rounds });
    }
    expect(harness.wal.log('tenant-0').pendingRecords).toBe(rounds);
    // enqueue still answers for everyone, the stuck tenant included
    await harness.queue.enqueue(tenants.map((t) => pieceOf(t, [series({ __name__: 'm', t, r: 'last' })])));
    await eventually(() => healthy.every((t) => harness.wal.log(t).pendingRecords === 0), {
      message: 'the last round',
    });
  }

  it('one tenant answered 429 forever does not delay the nine others', async () => {
    h = await startHarness({ config: { minBackoffMs: 30, maxBackoffMs: 5_000 } });
    h.upstream!.replies = { 'tenant-0': { status: 429, body: 'slow down' } };
    await nineDeliveredWhileOneIsStuck(h);
    expect(h.upstream!.received.filter((x) => x.tenant === 'tenant-0').length).toBeGreaterThan(1);
    expect(await h.metric('tenantwire_queue_requests_total', { tenant: 'tenant-0', result: 'retry' })).toBeGreaterThan(
      0,
    );
  });

  it('one tenant whose requests hang until they time out does not delay the nine others', async () => {
    h = await startHarness({ timeoutMs: 500 });
    h.upstream!.replies = { 'tenant-0': { status: 204, until: new Promise(() => {}) } };
    await nineDeliveredWhileOneIsStuck(h);
  });
});
