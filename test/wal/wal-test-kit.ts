/**
 * What the WAL tests share: temp dirs removed afterwards, a logger and metrics that record what
 * they were told, and a file system wrapper that counts fsyncs and fails on demand (ENOSPC).
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Logger } from '../../src/logger.js';
import { nodeFileSystem } from '../../src/wal/node-file-system.js';
import type { WalFileSystem, WalMetrics, WalOptions } from '../../src/wal/types.js';
import { openWal } from '../../src/wal/open-wal.js';

const dirs: string[] = [];

export function tempDir(): string {
  const d = mkdtempSync(join(tmpdir(), 'tenantwire-wal-test-'));
  dirs.push(d);
  return d;
}

export function removeTempDirs(): void {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
}

export interface LogLine {
  readonly level: string;
  readonly msg: string;
  readonly obj: Record<string, unknown>;
}

export function recordingLogger(lines: LogLine[] = []): Logger & { lines: LogLine[] } {
  const at =
    (level: string) =>
    (obj: object | string, msg?: string): void => {
      lines.push(
        typeof obj === 'string'
          ? { level, msg: obj, obj: {} }
          : { level, msg: msg ?? '', obj: obj as Record<string, unknown> },
      );
    };
  const logger = {
    lines,
    debug: at('debug'),
    info: at('info'),
    warn: at('warn'),
    error: at('error'),
    child: () => logger,
  };
  return logger;
}

export function recordingMetrics() {
  const m = {
    fsyncs: 0,
    replayed: new Map<string, { records: number; bytes: number }>(),
    cut: new Map<string, number>(),
    refused: [] as { tenant: string; scope: string }[],
    ioErrors: [] as string[],
  };
  const metrics: WalMetrics = {
    fsyncSeconds: () => void m.fsyncs++,
    replayed: (tenant, records, bytes) => void m.replayed.set(tenant, { records, bytes }),
    corruptCut: (tenant, bytes) => void m.cut.set(tenant, (m.cut.get(tenant) ?? 0) + bytes),
    refused: (tenant, scope) => void m.refused.push({ tenant, scope }),
    ioError: (code) => void m.ioErrors.push(code),
  };
  return Object.assign(m, { metrics });
}

/** A node file system that counts fsyncs and throws `failWith` (e.g. ENOSPC) on writes and fsyncs, `failSyncWith` on fsyncs only. */
export function faultyFileSystem() {
  const inner = nodeFileSystem();
  const state = {
    failWith: undefined as string | undefined,
    failSyncWith: undefined as string | undefined,
    syncs: 0,
    writes: 0,
  };
  const fail = (): void => {
    if (state.failWith) throw Object.assign(new Error(`injected ${state.failWith}`), { code: state.failWith });
  };
  const fs: WalFileSystem = {
    ...inner,
    async open(path, flags) {
      const file = await inner.open(path, flags);
      return {
        ...file,
        async writev(chunks) {
          fail();
          state.writes++;
          await file.writev(chunks);
        },
        async writeAt(data, position) {
          fail();
          state.writes++;
          await file.writeAt(data, position);
        },
        async sync() {
          fail();
          if (state.failSyncWith)
            throw Object.assign(new Error(`injected ${state.failSyncWith}`), { code: state.failSyncWith });
          state.syncs++;
          await file.sync();
        },
      };
    },
  };
  return Object.assign(state, { fs });
}

export const payload = (s: string): Uint8Array => new TextEncoder().encode(s);
export const text = (b: Uint8Array): string => new TextDecoder().decode(b);
export const never: AbortSignal = new AbortController().signal;
export const LIMITS = { maxRecords: 1_000_000, maxBytes: 1 << 30 };

export function open(dir: string, extra: Partial<WalOptions> = {}) {
  return openWal({
    dir,
    maxDiskBytes: 1 << 30,
    maxTenantDiskBytes: 1 << 30,
    logger: recordingLogger(),
    ...extra,
  });
}
