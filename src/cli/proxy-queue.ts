import { mkdir, readdir, rm, stat } from 'node:fs/promises';
import { join } from 'node:path';
import type { Registry } from 'prom-client';
import { ConfigError, TenantwireError } from '../errors.js';
import type { Logger } from '../logger.js';
import { createDurableQueue, walMetricsFor } from '../queue/index.js';
import type { DurableQueue, DurableQueueConfig } from '../queue/types.js';
import type { Transport } from '../transport/types.js';
import { claimDirectory, DirectoryLockedError, openWal, type DirectoryClaim } from '../wal/index.js';

export interface ProxyQueueSettings {
  readonly dir: string;
  readonly maxDiskBytes: number;
  readonly maxTenantDiskBytes: number;
  readonly config: DurableQueueConfig;
}

export interface ProxyQueueDeps {
  readonly settings: ProxyQueueSettings;
  /** This process' worker slot and how many workers there are (1 when not clustered). */
  readonly slot: number;
  readonly workers: number;
  readonly transport: Transport;
  readonly url: string;
  readonly tenantHeader: string;
  readonly timeoutMs: number;
  readonly registry: Registry;
  readonly logger: Logger;
}

export interface ProxyQueue {
  readonly queue: DurableQueue;
  /** Delivers for at most `deadlineMs`, leaves the rest on disk, releases the directories. */
  stop(deadlineMs: number): Promise<void>;
}

/** How often an adopted directory is checked for being delivered completely. */
const ADOPTED_CHECK_MS = 2_000;

/**
 * The drop-in's queue for one process: worker slot K owns `<dir>/worker-K` (a lock file keeps
 * two live processes out of one directory). A directory left by a run with more workers
 * (`worker-J`, J >= workers) is adopted by slot J mod workers: delivered, never appended to,
 * and removed once empty, so lowering `workers` loses nothing.
 */
export async function startProxyQueue(d: ProxyQueueDeps): Promise<ProxyQueue> {
  await usableRoot(d.settings.dir);
  const walMetrics = walMetricsFor(d.registry);
  const claims: DirectoryClaim[] = [];
  const open = async (name: string): Promise<DurableQueue> => {
    const dir = join(d.settings.dir, name);
    claims.push(
      await claimDirectory(dir).catch((e: unknown) => {
        throw e instanceof DirectoryLockedError ? e : queueDirError(d.settings.dir, e);
      }),
    );
    const wal = await openWal({
      dir,
      maxDiskBytes: d.settings.maxDiskBytes,
      maxTenantDiskBytes: d.settings.maxTenantDiskBytes,
      logger: d.logger,
      metrics: walMetrics,
    });
    const queue = createDurableQueue({
      wal,
      transport: d.transport,
      url: d.url,
      tenantHeader: d.tenantHeader,
      config: d.settings.config,
      timeoutMs: d.timeoutMs,
      logger: d.logger.child({ queue_dir: dir }),
      metrics: { registry: d.registry },
    });
    queue.start();
    return queue;
  };

  const releaseClaims = async () => {
    await Promise.all(claims.splice(0).map((c) => c.release()));
  };
  try {
    const own = await open(slotDirName(d.slot));
    const adopted = await adoptOrphans(d, open);
    return {
      queue: own,
      async stop(deadlineMs) {
        await Promise.all([own.stop(deadlineMs), ...adopted.map((a) => a.stop(deadlineMs))]);
        await releaseClaims();
      },
    };
  } catch (e) {
    await releaseClaims();
    throw e instanceof TenantwireError ? e : queueDirError(d.settings.dir, e);
  }
}

/** Makes `queue.dir`; a file in the way or a missing permission is named as the key's problem. */
async function usableRoot(dir: string): Promise<void> {
  try {
    await mkdir(dir, { recursive: true });
  } catch (e) {
    throw queueDirError(dir, e);
  }
  const st = await stat(dir).catch((e: unknown) => {
    throw queueDirError(dir, e);
  });
  if (!st.isDirectory()) throw new ConfigError('invalid_value', `queue.dir ${dir} is not a directory`);
}

function queueDirError(dir: string, e: unknown): ConfigError {
  const code = (e as NodeJS.ErrnoException).code;
  // mkdir -p reports a regular file at the path as EEXIST, one above it as ENOTDIR.
  if (code === 'EEXIST' || code === 'ENOTDIR') {
    return new ConfigError('invalid_value', `queue.dir ${dir} is not a directory (a file is in the way)`, {
      cause: e,
    });
  }
  const why = e instanceof Error ? e.message : String(e);
  return new ConfigError('invalid_value', `queue.dir ${dir} cannot be used: ${why}`, { cause: e });
}

function slotDirName(slot: number): string {
  return `worker-${slot}`;
}

interface Adopted {
  stop(deadlineMs: number): Promise<void>;
}

async function adoptOrphans(d: ProxyQueueDeps, open: (name: string) => Promise<DurableQueue>): Promise<Adopted[]> {
  const names = await readdir(d.settings.dir).catch(() => [] as string[]);
  const out: Adopted[] = [];
  for (const name of names) {
    const m = /^worker-(\d+)$/.exec(name);
    const slot = m ? Number(m[1]) : Number.NaN;
    if (!Number.isInteger(slot) || slot < d.workers || slot % d.workers !== d.slot) continue;
    const dir = join(d.settings.dir, name);
    d.logger.info({ dir }, 'delivering the queue left by a worker that no longer exists');
    const queue = await open(name);
    out.push(drainAndRemove(queue, dir, d.logger));
  }
  return out;
}

function drainAndRemove(queue: DurableQueue, dir: string, logger: Logger): Adopted {
  let stopped = false;
  const timer = setInterval(() => {
    if (stopped || queue.pending() > 0) return;
    stopped = true;
    clearInterval(timer);
    queue
      .stop(0)
      .then(() => rm(dir, { recursive: true, force: true }))
      .then(() => logger.info({ dir }, 'adopted queue delivered and removed'))
      .catch((e: unknown) => logger.warn({ dir, err: String(e) }, 'could not remove a delivered queue directory'));
  }, ADOPTED_CHECK_MS);
  timer.unref();
  return {
    async stop(deadlineMs) {
      clearInterval(timer);
      if (stopped) return;
      stopped = true;
      await queue.stop(deadlineMs);
    },
  };
}
