/**
 * An in-memory `Wal` that keeps the contract of src/wal/types.ts: per-tenant logs, positions
 * (segment 0, byte offsets with an 8-byte frame per record), `append` all-or-none against the
 * bounds, `read` waiting for appends and resolving [] on abort, `ack` moving forward only,
 * and a store that outlives one `Wal` (open it again: what was not acked is read again).
 */
import { TenantwireError } from '../../src/errors.js';
import type { TenantLog, Wal, WalAppend, WalPosition, WalRecord } from '../../src/wal/types.js';

const FRAME = 8;

interface StoredLog {
  readonly records: WalRecord[];
  delivered: WalPosition | undefined;
  size: number;
}

export interface MemoryWalStore {
  readonly logs: Map<string, StoredLog>;
  /** Every ack call, in order (tenant and position). */
  readonly acks: Array<{ tenant: string; upTo: WalPosition }>;
}

export function createMemoryWalStore(): MemoryWalStore {
  return { logs: new Map(), acks: [] };
}

export interface MemoryWalOptions {
  readonly maxDiskBytes?: number;
  readonly maxTenantDiskBytes?: number;
  /** Called before each append is "on disk": a test may delay it or make it throw. */
  readonly beforeSync?: (entries: readonly WalAppend[]) => Promise<void> | void;
}

const after = (a: WalPosition, b: WalPosition | undefined) =>
  b === undefined || a.segment > b.segment || (a.segment === b.segment && a.offset > b.offset);

export class MemoryWalFullError extends TenantwireError {
  constructor(
    readonly scope: 'total' | 'tenant',
    readonly tenant: string,
    readonly retryAfterMs: number,
  ) {
    super('wal_full', `queue disk bound reached (${scope}, tenant ${tenant})`);
  }
}

export interface MemoryWal extends Wal {
  readonly closed: boolean;
}

export function openMemoryWal(store: MemoryWalStore, options: MemoryWalOptions = {}): MemoryWal {
  let closed = false;
  const wakers = new Map<string, Set<() => void>>();

  function stored(tenant: string): StoredLog {
    let s = store.logs.get(tenant);
    if (s === undefined) {
      s = { records: [], delivered: undefined, size: 0 };
      store.logs.set(tenant, s);
    }
    return s;
  }
  const pendingOf = (s: StoredLog) => s.records.filter((r) => after(r.end, s.delivered));
  const diskBytes = () =>
    [...store.logs.values()].reduce((n, s) => n + pendingOf(s).reduce((m, r) => m + r.size, 0), 0);

  function log(tenant: string): TenantLog {
    const s = stored(tenant);
    return {
      tenant,
      get diskBytes() {
        return pendingOf(s).reduce((n, r) => n + r.size, 0);
      },
      get pendingRecords() {
        return pendingOf(s).length;
      },
      get pendingBytes() {
        return pendingOf(s).reduce((n, r) => n + r.payload.length, 0);
      },
      read(from, limits, signal) {
        const start = from ?? s.delivered;
        return new Promise<WalRecord[]>((resolve) => {
          const attempt = (): boolean => {
            if (signal.aborted || closed) {
              resolve([]);
              return true;
            }
            const out: WalRecord[] = [];
            let bytes = 0;
            for (const r of s.records) {
              if (!after(r.end, start)) continue;
              if (out.length >= limits.maxRecords || (out.length > 0 && bytes + r.size > limits.maxBytes)) break;
              out.push(r);
              bytes += r.size;
            }
            if (out.length === 0) return false;
            resolve(out);
            return true;
          };
          if (attempt()) return;
          const set = wakers.get(tenant) ?? new Set();
          wakers.set(tenant, set);
          const wake = () => {
            if (!attempt()) return;
            set.delete(wake);
            signal.removeEventListener('abort', wake);
          };
          set.add(wake);
          signal.addEventListener('abort', wake, { once: true });
        });
      },
      ack(upTo) {
        if (!after(upTo, s.delivered)) return;
        s.delivered = upTo;
        store.acks.push({ tenant, upTo });
      },
    };
  }

  return {
    dir: 'memory',
    get closed() {
      return closed;
    },
    get diskBytes() {
      return diskBytes();
    },
    tenants: () => [...store.logs.keys()],
    async append(entries) {
      if (closed) throw new TenantwireError('wal_closed', 'the log is closed');
      const adding = new Map<string, number>();
      for (const e of entries) adding.set(e.tenant, (adding.get(e.tenant) ?? 0) + e.payload.length + FRAME);
      const total = [...adding.values()].reduce((a, b) => a + b, 0);
      for (const [tenant, n] of adding) {
        const mine = store.logs.has(tenant) ? log(tenant).diskBytes : 0;
        if (options.maxTenantDiskBytes !== undefined && mine + n > options.maxTenantDiskBytes) {
          throw new MemoryWalFullError('tenant', tenant, 1_000);
        }
      }
      if (options.maxDiskBytes !== undefined && diskBytes() + total > options.maxDiskBytes) {
        throw new MemoryWalFullError('total', entries[0]?.tenant ?? '', 1_000);
      }
      await options.beforeSync?.(entries);
      if (closed) throw new TenantwireError('wal_closed', 'the log is closed');
      for (const e of entries) {
        const s = stored(e.tenant);
        const size = e.payload.length + FRAME;
        s.size += size;
        s.records.push({ payload: e.payload.slice(), end: { segment: 0, offset: s.size }, size });
      }
      for (const tenant of adding.keys()) for (const w of [...(wakers.get(tenant) ?? [])]) w();
    },
    log,
    async close() {
      closed = true;
      for (const set of wakers.values()) for (const w of [...set]) w();
      wakers.clear();
    },
  };
}
