import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { WalPosition } from '../../src/wal/types.js';
import { LIMITS, never, open, payload, recordingMetrics, removeTempDirs, tempDir, text } from './wal-test-kit.js';

afterEach(removeTempDirs);

const segs = (dir: string, t: string): string[] =>
  readdirSync(join(dir, 'tenants', t)).filter((n) => n.endsWith('.seg'));

describe('wal replay positions', () => {
  it('replays only unacknowledged records, in order, and removes delivered segments', async () => {
    const dir = tempDir();
    const wal = await open(dir, { segmentBytes: 200 });
    for (let i = 0; i < 20; i++)
      await wal.append([{ tenant: 't', payload: payload(`rec-${String(i).padStart(2, '0')}-${'z'.repeat(40)}`) }]);
    expect(segs(dir, 't').length).toBeGreaterThan(4);
    const log = wal.log('t');
    expect(log.pendingRecords).toBe(20);
    const first = await log.read(undefined, { maxRecords: 12, maxBytes: 1 << 20 }, never);
    expect(first).toHaveLength(12);
    const before = wal.diskBytes;
    log.ack(first[11]!.end);
    expect(log.pendingRecords).toBe(8);
    expect(wal.diskBytes).toBeLessThan(before); // freed at once, not after the unlink
    log.ack(first[3]!.end); // never backwards
    expect(log.pendingRecords).toBe(8);
    await wal.close();
    const m = recordingMetrics();
    const again = await open(dir, { segmentBytes: 200, metrics: m.metrics });
    expect(m.replayed.get('t')?.records).toBe(8);
    const rest = await again.log('t').read(undefined, LIMITS, never);
    expect(rest.map((r) => text(r.payload).slice(0, 6))).toEqual(
      Array.from({ length: 8 }, (_, i) => `rec-${String(i + 12).padStart(2, '0')}`),
    );
    again.log('t').ack(rest.at(-1)!.end);
    await again.close();
    expect(segs(dir, 't')).toEqual([]);
    const third = await open(dir, { segmentBytes: 200 });
    expect(third.log('t').pendingRecords).toBe(0);
    await third.append([{ tenant: 't', payload: payload('later') }]);
    expect(text((await third.log('t').read(undefined, LIMITS, never))[0]!.payload)).toBe('later');
    await third.close();
    const fourth = await open(dir, { segmentBytes: 200 });
    expect((await fourth.log('t').read(undefined, LIMITS, never)).map((r) => text(r.payload))).toEqual(['later']);
    await fourth.close();
  });

  it('waits for the next append when caught up, and resolves [] on abort', async () => {
    const dir = tempDir();
    const wal = await open(dir);
    const log = wal.log('t');
    const pending = log.read(undefined, LIMITS, never);
    await wal.append([
      { tenant: 'other', payload: payload('x') },
      { tenant: 't', payload: payload('hello') },
    ]);
    expect((await pending).map((r) => text(r.payload))).toEqual(['hello']);
    const ac = new AbortController();
    const waiting = log.read((await log.read(undefined, LIMITS, never))[0]!.end, LIMITS, ac.signal);
    ac.abort();
    expect(await waiting).toEqual([]);
    await wal.close();
  });

  it('reads across segment boundaries with the byte limit, at least one record', async () => {
    const dir = tempDir();
    const wal = await open(dir, { segmentBytes: 64 });
    for (let i = 0; i < 10; i++) await wal.append([{ tenant: 't', payload: payload(`${i}`.repeat(50)) }]);
    const seen: string[] = [];
    let after: WalPosition | undefined;
    while (seen.length < 10) {
      const batch = await wal.log('t').read(after, { maxRecords: 3, maxBytes: 1 }, never);
      expect(batch).toHaveLength(1);
      seen.push(text(batch[0]!.payload)[0] as string);
      after = batch[0]!.end;
    }
    expect(seen.join('')).toBe('0123456789');
    await wal.close();
    expect(existsSync(join(dir, 'tenants', 't', 'position'))).toBe(false);
  });
});
