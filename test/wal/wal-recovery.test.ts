import { readdirSync, statSync, truncateSync, writeFileSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { encodeTenantDir } from '../../src/wal/tenant-dir.js';
import {
  LIMITS,
  never,
  open,
  payload,
  recordingLogger,
  recordingMetrics,
  removeTempDirs,
  tempDir,
  text,
} from './wal-test-kit.js';

afterEach(removeTempDirs);

const segmentsOf = (dir: string, tenant: string): string[] => {
  const d = join(dir, 'tenants', encodeTenantDir(tenant).name);
  return readdirSync(d)
    .filter((n) => n.endsWith('.seg'))
    .map((n) => join(d, n));
};

async function readAll(dir: string, tenant: string, extra = {}): Promise<string[]> {
  const wal = await open(dir, extra);
  try {
    if (wal.log(tenant).pendingRecords === 0) return [];
    return (await wal.log(tenant).read(undefined, LIMITS, never)).map((r) => text(r.payload));
  } finally {
    await wal.close();
  }
}

describe('wal recovery at open', () => {
  it('cuts a torn last record at every byte offset and appends after it', async () => {
    const N = 4;
    const base = tempDir();
    const wal = await open(base);
    for (let i = 0; i < N; i++) await wal.append([{ tenant: 't', payload: payload(`record-${i}-${'x'.repeat(20)}`) }]);
    await wal.close();
    const [file] = segmentsOf(base, 't');
    const full = readFileSync(file as string);
    const recordSize = 8 + `record-${N - 1}-${'x'.repeat(20)}`.length;
    const lastStart = full.length - recordSize;
    for (let cut = lastStart; cut < full.length; cut++) {
      writeFileSync(file as string, full.subarray(0, cut));
      const m = recordingMetrics();
      const logger = recordingLogger();
      const got = await readAll(base, 't', { metrics: m.metrics, logger });
      expect(got).toHaveLength(N - 1);
      expect(statSync(file as string).size).toBe(lastStart);
      expect(m.cut.get('t') ?? 0).toBe(cut - lastStart);
      if (cut > lastStart)
        expect(logger.lines.some((l) => l.level === 'warn' && l.obj.bytesCut === cut - lastStart)).toBe(true);
      const again = await open(base);
      await again.append([{ tenant: 't', payload: payload('after') }]);
      await again.close();
      expect(await readAll(base, 't')).toEqual([...got, 'after']);
    }
  });

  it('skips the rest of a segment with a bad checksum and replays later segments', async () => {
    const dir = tempDir();
    const wal = await open(dir, { segmentBytes: 100 });
    for (let i = 0; i < 9; i++) await wal.append([{ tenant: 't', payload: payload(`r${i}-${'y'.repeat(30)}`) }]);
    await wal.close();
    const files = segmentsOf(dir, 't');
    expect(files.length).toBeGreaterThanOrEqual(3);
    const first = readFileSync(files[0] as string);
    first[first.length - 3] = (first[first.length - 3] as number) ^ 0xff; // inside the last record of the first segment
    writeFileSync(files[0] as string, first);
    const m = recordingMetrics();
    const got = await readAll(dir, 't', { metrics: m.metrics, segmentBytes: 100 });
    expect(got).toHaveLength(8);
    expect(got[0]).toBe(`r0-${'y'.repeat(30)}`);
    expect(got).not.toContain(`r2-${'y'.repeat(30)}`); // the last record of the first segment
    expect(got.at(-1)).toBe(`r8-${'y'.repeat(30)}`);
    expect(m.cut.get('t')).toBeGreaterThan(0);
  });

  it('leaves a foreign file alone and replays from the oldest segment without a position', async () => {
    const dir = tempDir();
    const wal = await open(dir);
    await wal.append([
      { tenant: 't', payload: payload('a') },
      { tenant: 't', payload: payload('b') },
    ]);
    const [r1] = await wal.log('t').read(undefined, { maxRecords: 1, maxBytes: 100 }, never);
    wal.log('t').ack(r1!.end);
    await wal.close();
    expect(await readAll(dir, 't')).toEqual(['b']);
    const tdir = join(dir, 'tenants', 't');
    writeFileSync(join(tdir, '00000000000000000099.seg'), 'not a wal segment at all');
    writeFileSync(join(tdir, 'position'), 'garbage');
    const logger = recordingLogger();
    expect(await readAll(dir, 't', { logger })).toEqual(['a', 'b']); // duplicates, never loss
    expect(logger.lines.some((l) => l.level === 'error' && String(l.obj.file).endsWith('99.seg'))).toBe(true);
    expect(readFileSync(join(tdir, '00000000000000000099.seg'), 'utf8')).toBe('not a wal segment at all');
    // new segments number past the foreign one
    const again = await open(dir);
    await again.append([{ tenant: 't', payload: payload('c') }]);
    await again.close();
    expect(segmentsOf(dir, 't').some((f) => f.endsWith('00000000000000000100.seg'))).toBe(true);
    truncateSync(join(tdir, 'position'), 0);
    expect(await readAll(dir, 't')).toEqual(['a', 'b', 'c']);
  });

  it('brings back tenants with awkward names', async () => {
    const dir = tempDir();
    const names = ['', '..', 'a/b', 'Team-A', 'team-a', 'ü😀', 'L'.repeat(400)];
    const wal = await open(dir);
    await wal.append(names.map((t) => ({ tenant: t, payload: payload(`for ${t.slice(0, 10)}`) })));
    await wal.close();
    const again = await open(dir);
    expect([...again.tenants()].sort()).toEqual([...names].sort());
    for (const t of names) {
      const [r] = await again.log(t).read(undefined, LIMITS, never);
      expect(text(r!.payload)).toBe(`for ${t.slice(0, 10)}`);
    }
    await again.close();
  });
});
