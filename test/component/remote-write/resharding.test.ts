import { describe, expect, it, vi } from 'vitest';
import { Registry } from 'prom-client';
import { createRemoteWrite, type RemoteWriteComponent } from '../../../src/component/remote-write/component.js';
import type { RemoteWriteArgsInput } from '../../../src/component/remote-write/arguments.js';
import { BackPressureError } from '../../../src/component/receiver.js';
import { realSleep } from '../../../src/transport/sleep.js';
import type { TransportResult } from '../../../src/transport/types.js';
import { ok, recordingTransport, sampleCount, series, status, type Recorded } from './recording-transport.js';
import { clock, startComponent, URL_, useFakeTime } from './fake-time.js';

const P = 'prometheus_remote_storage_';
useFakeTime();

/** A transport that takes `delayMs` per request and counts how many run at once. */
function slowTransport(delayMs: number, answer: () => TransportResult = ok) {
  let inFlight = 0;
  const seen = { maxConcurrent: 0 };
  const { transport, sent } = recordingTransport(async () => {
    inFlight++;
    seen.maxConcurrent = Math.max(seen.maxConcurrent, inFlight);
    await realSleep(delayMs);
    inFlight--;
    return answer();
  });
  return { transport, sent, seen };
}

function start(args: RemoteWriteArgsInput, transport: ReturnType<typeof slowTransport>['transport']) {
  const registry = new Registry();
  const c = createRemoteWrite(args, { transport, clock, registry });
  startComponent(c);
  return { c, registry };
}

async function gauge(registry: Registry, name: string): Promise<number> {
  const m = registry.getSingleMetric(`${P}${name}`);
  return m ? (await m.get()).values.reduce((n, v) => n + v.value, 0) : Number.NaN;
}

/** Everything the run observed, step by step. */
interface Watch {
  shards: number[];
  maxPending: number;
  refused: number;
}

/**
 * Feeds `perStep` single-sample series every `stepMs` for `steps` steps; a refused append
 * (back-pressure) is dropped and counted. Records the shard gauge and the queue's size.
 */
async function feed(
  c: RemoteWriteComponent,
  registry: Registry,
  w: Watch,
  steps: number,
  perStep: number,
  stepMs = 100,
): Promise<void> {
  for (let step = 0; step < steps; step++) {
    const now = Date.now();
    try {
      await c.exports.receiver.append(
        Array.from({ length: perStep }, (_, i) => series('m', { s: String(i) }, [[now, step]])),
      );
    } catch (e) {
      if (!(e instanceof BackPressureError)) throw e;
      w.refused++;
    }
    await vi.advanceTimersByTimeAsync(stepMs);
    w.shards.push(await gauge(registry, 'shards'));
    w.maxPending = Math.max(w.maxPending, c.pending());
  }
}

async function idle(c: RemoteWriteComponent, registry: Registry, w: Watch, ms: number): Promise<void> {
  for (let t = 0; t < ms; t += 1_000) {
    await vi.advanceTimersByTimeAsync(1_000);
    w.shards.push(await gauge(registry, 'shards'));
    w.maxPending = Math.max(w.maxPending, c.pending());
  }
}

const queue = { min_shards: 1, max_shards: 4, capacity: 500, max_samples_per_send: 100, batch_send_deadline: '1s' };

describe('remote_write dynamic resharding', () => {
  it('scales up under a backlog with a slow remote, never above max_shards, and stays bounded', async () => {
    // One shard moves 100 items/s (a 1 s request of 100); 500 items/s come in.
    const t = slowTransport(1_000);
    const { c, registry } = start({ endpoint: [{ url: URL_, name: 'cortex' }], queue_config: queue }, t.transport);
    const w: Watch = { shards: [], maxPending: 0, refused: 0 };
    await feed(c, registry, w, 1_200, 50);
    expect(await gauge(registry, 'shards_min')).toBe(1);
    expect(await gauge(registry, 'shards_max')).toBe(4);
    expect(w.shards[0]).toBe(1);
    expect(Math.max(...w.shards)).toBe(4);
    expect(w.shards.every((n) => n >= 1 && n <= 4)).toBe(true);
    expect(t.seen.maxConcurrent).toBe(4);
    expect(await gauge(registry, 'shards_desired')).toBeGreaterThan(4);
    // Each shard holds at most `capacity` buffered plus one batch in flight.
    expect(w.maxPending).toBeLessThanOrEqual(4 * (500 + 100));
    const text = await registry.metrics();
    expect(text).toContain(`${P}shards{remote_name="cortex",url="${URL_}",tenant=""} 4`);
    expect(text).toMatch(new RegExp(`${P}shards_desired\\{remote_name="cortex",url="[^"]+",tenant=""\\} \\d`));
  });

  it('scales back down to min_shards when idle', async () => {
    const t = slowTransport(1_000);
    const { c, registry } = start(
      { endpoint: [{ url: URL_ }], queue_config: { ...queue, min_shards: 2 } },
      t.transport,
    );
    const w: Watch = { shards: [], maxPending: 0, refused: 0 };
    await feed(c, registry, w, 600, 50);
    expect(Math.max(...w.shards)).toBe(4);
    const before = w.shards.length;
    await idle(c, registry, w, 300_000);
    expect(w.shards.at(-1)).toBe(2);
    expect(Math.min(...w.shards.slice(before))).toBe(2);
    expect(c.pending()).toBe(0);
  });

  it('does not reshard while sends fail, and scales up once they succeed again', async () => {
    let failing = false;
    const t = slowTransport(500, () => (failing ? status(503) : ok()));
    const { c, registry } = start(
      { endpoint: [{ url: URL_ }], queue_config: { ...queue, max_shards: 8, capacity: 10_000 } },
      t.transport,
    );
    const w: Watch = { shards: [], maxPending: 0, refused: 0 };
    await feed(c, registry, w, 300, 5); // 50 items/s, one 0.5 s request a second: one shard
    expect(w.shards.every((n) => n === 1)).toBe(true);
    failing = true;
    const from = w.shards.length;
    await feed(c, registry, w, 900, 5);
    expect(w.shards.slice(from).every((n) => n === 1)).toBe(true);
    // The rule alone would have scaled up: the backlog keeps growing.
    expect(c.pending()).toBeGreaterThan(3_000);
    expect(await gauge(registry, 'shards_desired')).toBeGreaterThan(1.3);
    failing = false;
    await feed(c, registry, w, 600, 5);
    expect(Math.max(...w.shards.slice(from))).toBe(8);
    await idle(c, registry, w, 60_000);
    expect(c.pending()).toBe(0);
  });

  it('keeps per-series order and loses nothing across reshards up and down, many series', async () => {
    // 200 series; each step appends the next value of 100 of them (1,000 items/s), retrying
    // refused appends until accepted, so every series must arrive as 0, 1, 2, ... at the remote.
    const t = slowTransport(400);
    const { c, registry } = start(
      { endpoint: [{ url: URL_ }], queue_config: { ...queue, max_shards: 6, capacity: 300 } },
      t.transport,
    );
    const next = new Array<number>(200).fill(0);
    const shards: number[] = [];
    let maxPending = 0;
    for (let step = 0; step < 600; step++) {
      const group = step % 2;
      const now = Date.now();
      const batch = Array.from({ length: 100 }, (_, i) => {
        const id = i * 2 + group;
        return series('m', { s: String(id) }, [[now, next[id] ?? 0]]);
      });
      for (;;) {
        try {
          await c.exports.receiver.append(batch);
          break;
        } catch (e) {
          if (!(e instanceof BackPressureError)) throw e;
          await vi.advanceTimersByTimeAsync(10);
        }
      }
      for (let i = 0; i < 100; i++) next[i * 2 + group]! += 1;
      await vi.advanceTimersByTimeAsync(100);
      shards.push(await gauge(registry, 'shards'));
      maxPending = Math.max(maxPending, c.pending());
    }
    for (let s = 0; s < 300; s++) {
      await vi.advanceTimersByTimeAsync(1_000);
      shards.push(await gauge(registry, 'shards'));
    }
    const changes = shards.filter((n, i) => i > 0 && n !== shards[i - 1]).length;
    expect(Math.max(...shards)).toBeGreaterThan(2);
    expect(shards.at(-1)).toBe(1);
    expect(changes).toBeGreaterThanOrEqual(3);
    expect(maxPending).toBeLessThanOrEqual(6 * (300 + 100));
    expect(t.seen.maxConcurrent).toBeLessThanOrEqual(6);

    const values = valuesBySeries(t.sent);
    expect(values.size).toBe(200);
    for (const [key, list] of values)
      expect(list, key).toEqual(Array.from({ length: next[Number(key)] ?? -1 }, (_, i) => i));
    expect(sampleCount(t.sent)).toBe(60_000);
    expect(c.pending()).toBe(0);
  });
});

function valuesBySeries(sent: readonly Recorded[]): Map<string, number[]> {
  const out = new Map<string, number[]>();
  for (const r of sent) {
    for (const s of r.decoded.timeseries) {
      const key = s.labels.find((l) => l.name === 's')?.value ?? '?';
      const list = out.get(key) ?? [];
      for (const x of s.samples) list.push(x.value);
      out.set(key, list);
    }
  }
  return out;
}
