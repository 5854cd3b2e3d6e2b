import { join } from 'node:path';
import { DEFAULT_RETRY_AFTER_MS, DEFAULT_SEGMENT_BYTES, MAX_RECORD_BYTES } from './defaults.js';
import { createCommitter } from './group-commit.js';
import { nodeFileSystem } from './node-file-system.js';
import { createPositionWriter, type PositionWriter } from './position-writer.js';
import { SEGMENT_HEADER_BYTES, frameSize } from './record-codec.js';
import { createTenantLog } from './tenant-log.js';
import { recoverTenant } from './tenant-recovery.js';
import { activeSegment, newTenantState, type TenantState, tenantDiskBytes, wake } from './tenant-state.js';
import { encodeTenantDir, TENANT_NAME_FILE } from './tenant-dir.js';
import { io, WalClosedError, WalFullError, WalIoError, WalRecordTooLargeError } from './wal-errors.js';
import { loadTenantDirs } from './wal-dir.js';
import type { TenantLog, Wal, WalAppend, WalMetrics, WalOptions } from './types.js';

/**
 * Opens (and recovers) the log in `options.dir`: per-tenant segment files under
 * `<dir>/tenants/<encoded tenant>/`. Bad data is cut and logged; only an unusable directory
 * (not a directory, no permission) rejects, with a WalIoError naming the path.
 */

const NOOP_METRICS: WalMetrics = {
  fsyncSeconds: () => undefined,
  replayed: () => undefined,
  corruptCut: () => undefined,
  refused: () => undefined,
  ioError: () => undefined,
};

interface Tenant {
  readonly state: TenantState;
  readonly log: TenantLog;
  readonly positions: PositionWriter;
}

export async function openWal(options: WalOptions): Promise<Wal> {
  const fs = options.fs ?? nodeFileSystem();
  const metrics = options.metrics ?? NOOP_METRICS;
  const logger = options.logger;
  const now = options.now ?? Date.now;
  const segmentBytes = options.segmentBytes ?? DEFAULT_SEGMENT_BYTES;
  const retryAfterMs = options.retryAfterMs ?? DEFAULT_RETRY_AFTER_MS;
  const tenantsDir = join(options.dir, 'tenants');
  const tenants = new Map<string, Tenant>();
  let closed = false;
  let diskBytes = 0;
  let reservedTotal = 0;

  const committer = createCommitter({
    fs,
    logger,
    metrics,
    segmentBytes,
    now: () => performance.now(),
    written: (bytes) => {
      diskBytes += bytes;
    },
    ensureDir: async (state) => {
      if (state.dirReady) return;
      await io('mkdir', state.dir, () => fs.mkdir(state.dir));
      const { hashed } = encodeTenantDir(state.tenant);
      if (hashed) {
        const path = join(state.dir, TENANT_NAME_FILE);
        const file = await io('create', path, () => fs.open(path, 'w'));
        try {
          await io('write', path, () => file.writev([Buffer.from(state.tenant, 'utf8')]));
          await io('fsync', path, () => file.sync());
        } finally {
          await file.close().catch(() => undefined);
        }
        await io('fsync directory', state.dir, () => fs.syncDir(state.dir));
      }
      await io('fsync directory', tenantsDir, () => fs.syncDir(tenantsDir));
      state.dirReady = true;
    },
  });

  function tenant(name: string, state?: TenantState): Tenant {
    const found = tenants.get(name);
    if (found) return found;
    const s = state ?? newTenantState(name, join(tenantsDir, encodeTenantDir(name).name));
    const positions = createPositionWriter({ fs, dir: s.dir, tenant: name, logger, metrics, now });
    const log = createTenantLog(s, {
      fs,
      logger,
      metrics,
      positions,
      isClosed: () => closed,
      freed: (bytes) => {
        diskBytes -= bytes;
      },
    });
    const t = { state: s, log, positions };
    tenants.set(name, t);
    return t;
  }

  // open: make the directory, then bring every tenant back
  await io('create directory', options.dir, () => fs.mkdir(options.dir));
  const st = await io('stat', options.dir, () => fs.stat(options.dir));
  if (!st.isDirectory) {
    throw new WalIoError('open', options.dir, Object.assign(new Error('not a directory'), { code: 'ENOTDIR' }));
  }
  await io('create directory', tenantsDir, () => fs.mkdir(tenantsDir));
  await io('fsync directory', options.dir, () => fs.syncDir(options.dir));
  for (const { tenant: name, dir } of await loadTenantDirs(fs, tenantsDir, logger)) {
    const t = tenant(name, newTenantState(name, dir));
    await recoverTenant({ fs, logger, metrics, segmentBytes }, t.state);
    diskBytes += tenantDiskBytes(t.state);
  }

  function refuse(name: string, scope: 'total' | 'tenant', limit: number): never {
    metrics.refused(name, scope);
    throw new WalFullError(scope, name, limit, retryAfterMs);
  }

  return {
    dir: options.dir,
    get diskBytes() {
      return diskBytes;
    },
    tenants: () => [...tenants.keys()],
    log: (name) => tenant(name).log,
    async append(entries: readonly WalAppend[]) {
      if (closed) throw new WalClosedError();
      if (entries.length === 0) return;
      const byTenant = new Map<TenantState, Uint8Array[]>();
      const adding = new Map<TenantState, number>();
      for (const e of entries) {
        if (e.payload.length > MAX_RECORD_BYTES)
          throw new WalRecordTooLargeError(e.tenant, e.payload.length, MAX_RECORD_BYTES);
        const { state } = tenant(e.tenant);
        let list = byTenant.get(state);
        if (!list) byTenant.set(state, (list = []));
        list.push(e.payload);
        adding.set(state, (adding.get(state) ?? 0) + frameSize(e.payload.length));
      }
      // all or nothing: every bound is checked before anything is reserved or written
      let total = 0;
      for (const [state, bytes] of adding) {
        const active = activeSegment(state);
        const header = !active || active.size + state.reserved >= segmentBytes ? SEGMENT_HEADER_BYTES : 0;
        total += bytes + header;
        if (tenantDiskBytes(state) + state.reserved + bytes + header > options.maxTenantDiskBytes) {
          refuse(state.tenant, 'tenant', options.maxTenantDiskBytes);
        }
      }
      if (diskBytes + reservedTotal + total > options.maxDiskBytes) {
        refuse(entries[0]?.tenant ?? '', 'total', options.maxDiskBytes);
      }
      let reserving = 0;
      for (const [state, bytes] of adding) {
        state.reserved += bytes;
        reserving += bytes;
      }
      reservedTotal += reserving;
      try {
        await new Promise<void>((resolve, reject) => committer.submit({ byTenant, resolve, reject }));
      } finally {
        reservedTotal -= reserving;
      }
    },
    async close() {
      if (closed) return;
      closed = true;
      await committer.idle();
      for (const t of tenants.values()) wake(t.state);
      for (const t of tenants.values()) {
        await t.positions.flush();
        for (const seg of t.state.segments) {
          const file = seg.file;
          seg.file = undefined;
          await file?.close().catch(() => undefined);
        }
      }
    },
  };
}
