import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { WalFullError, WalIoError } from '../../src/wal/wal-errors.js';
import {
  faultyFileSystem,
  LIMITS,
  never,
  open,
  payload,
  recordingMetrics,
  removeTempDirs,
  tempDir,
  text,
} from './wal-test-kit.js';

afterEach(removeTempDirs);

const rec = (tenant: string, n: number) => ({ tenant, payload: new Uint8Array(n) });

describe('wal disk bounds', () => {
  it('refuses past the tenant bound all or nothing, and frees after ack', async () => {
    const m = recordingMetrics();
    const wal = await open(tempDir(), { maxTenantDiskBytes: 1000, maxDiskBytes: 10_000, metrics: m.metrics });
    await wal.append([rec('a', 500)]);
    const err = await wal.append([rec('b', 10), rec('a', 400), rec('a', 100)]).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(WalFullError);
    expect(err).toMatchObject({ code: 'wal_full', scope: 'tenant', tenant: 'a', retryAfterMs: 1000 });
    expect(wal.log('b').pendingRecords).toBe(0); // nothing of the refused call was written
    expect(wal.log('a').pendingRecords).toBe(1);
    expect(m.refused).toEqual([{ tenant: 'a', scope: 'tenant' }]);
    const [r] = await wal.log('a').read(undefined, LIMITS, never);
    wal.log('a').ack(r!.end);
    expect(wal.log('a').diskBytes).toBe(0);
    await wal.append([rec('a', 900)]);
    await wal.close();
  });

  it('refuses past the total bound, and frees after ack', async () => {
    const wal = await open(tempDir(), { maxTenantDiskBytes: 10_000, maxDiskBytes: 1000 });
    await wal.append([rec('a', 400), rec('b', 400)]);
    await expect(wal.append([rec('c', 300)])).rejects.toMatchObject({ code: 'wal_full', scope: 'total' });
    const [r] = await wal.log('b').read(undefined, LIMITS, never);
    wal.log('b').ack(r!.end);
    await wal.append([rec('c', 300)]);
    expect(wal.diskBytes).toBeLessThanOrEqual(1000);
    await wal.close();
  });
});

describe('wal disk errors', () => {
  it('rejects an append on ENOSPC, stays consistent, and works once space is back', async () => {
    const dir = tempDir();
    const faulty = faultyFileSystem();
    const m = recordingMetrics();
    const wal = await open(dir, { fs: faulty.fs, metrics: m.metrics });
    await wal.append([{ tenant: 't', payload: payload('one') }]);
    faulty.failWith = 'ENOSPC';
    const err = await wal.append([{ tenant: 't', payload: payload('lost') }]).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(WalIoError);
    expect(err).toMatchObject({ code: 'wal_io', errno: 'ENOSPC', message: expect.stringContaining(dir) });
    expect(m.ioErrors).toContain('ENOSPC');
    faulty.failWith = undefined;
    await wal.append([{ tenant: 't', payload: payload('two') }]);
    expect((await wal.log('t').read(undefined, LIMITS, never)).map((r) => text(r.payload))).toEqual(['one', 'two']);
    await wal.close();
    const again = await open(dir);
    expect((await again.log('t').read(undefined, LIMITS, never)).map((r) => text(r.payload))).toEqual(['one', 'two']);
    await again.close();
  });

  it('fails on fsync too, cutting the written bytes back', async () => {
    const dir = tempDir();
    const faulty = faultyFileSystem();
    const wal = await open(dir, { fs: faulty.fs });
    await wal.append([{ tenant: 't', payload: payload('one') }]);
    faulty.failSyncWith = 'EIO';
    await expect(wal.append([{ tenant: 't', payload: payload('bad') }])).rejects.toMatchObject({ errno: 'EIO' });
    faulty.failSyncWith = undefined;
    await wal.append([{ tenant: 't', payload: payload('two') }]);
    await wal.close();
    const again = await open(dir);
    expect((await again.log('t').read(undefined, LIMITS, never)).map((r) => text(r.payload))).toEqual(['one', 'two']);
    await again.close();
  });

  it('refuses an unusable directory at open, naming the path', async () => {
    const file = join(tempDir(), 'a-file');
    writeFileSync(file, 'x');
    await expect(open(file)).rejects.toMatchObject({ code: 'wal_io', message: expect.stringContaining(file) });
    await expect(open(join(file, 'below'))).rejects.toMatchObject({
      code: 'wal_io',
      message: expect.stringContaining(file),
    });
  });
});

describe('wal group commit', () => {
  it('shares fsyncs between concurrent appends, and every append is durable', async () => {
    const dir = tempDir();
    const faulty = faultyFileSystem();
    const wal = await open(dir, { fs: faulty.fs });
    const N = 400;
    await Promise.all(
      Array.from({ length: N }, (_, i) => wal.append([{ tenant: `t${i % 4}`, payload: payload(`id-${i}`) }])),
    );
    expect(faulty.syncs).toBeLessThan(N / 4);
    await wal.close();
    const again = await open(dir);
    const ids = new Set<string>();
    for (let t = 0; t < 4; t++) {
      for (const r of await again.log(`t${t}`).read(undefined, LIMITS, never)) ids.add(text(r.payload));
    }
    expect(ids.size).toBe(N);
    await again.close();
  });
});
