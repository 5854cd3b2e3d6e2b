import { constants } from 'node:fs';
import { access, mkdir, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { ConfigError } from '../../errors.js';
import { claimDirectory, WalIoError, type DirectoryClaim } from '../../wal/index.js';
import type { EndpointArgs, WalArgs } from './arguments.js';
import { endpointName } from './endpoint-name.js';

/**
 * The log directory of a durable endpoint, `<wal.dir>/<endpoint name>`, and who may use it.
 * Two writers appending to one log would interleave its segments, so a directory is claimed:
 * in this process (another endpoint running on it is refused; one stopping, a reload's
 * handover or a retired endpoint's flush, is waited for) and across processes (a `LOCK` file
 * holding the pid, src/wal/dir-lock.ts).
 */
export function durableEndpointDir(wal: WalArgs, args: Pick<EndpointArgs, 'name' | 'url'>): string {
  return join(wal.dir, endpointName(args));
}

export interface DirClaim {
  /** The holder is stopping: a new claim waits for its release instead of being refused. */
  stopping(): void;
  release(): Promise<void>;
}

const held = new Map<string, { stopping: boolean; released: Promise<void> }>();

function inUse(dir: string, by: string): ConfigError {
  return new ConfigError(
    'invalid_value',
    `wal: ${dir} is already used by ${by} (give the endpoints different names or wal directories)`,
  );
}

export async function claimDurableDir(dir: string, pid: number = process.pid): Promise<DirClaim> {
  for (let h = held.get(dir); h !== undefined; h = held.get(dir)) {
    if (!h.stopping) throw inUse(dir, 'another remote_write endpoint of this process');
    await h.released;
  }
  let done!: () => void;
  const entry = { stopping: false, released: new Promise<void>((r) => (done = r)) };
  held.set(dir, entry);
  const free = () => {
    if (held.get(dir) === entry) held.delete(dir);
    done();
  };
  let lock: DirectoryClaim;
  try {
    lock = await claimDirectory(dir, pid);
  } catch (e) {
    free();
    throw e;
  }
  return {
    stopping: () => {
      entry.stopping = true;
    },
    release: async () => {
      await lock.release().catch(() => undefined);
      free();
    },
  };
}

/**
 * Throws a WalIoError naming `dir` unless it is (or can be made) a writable directory: a reload
 * checks a new log directory this way before it changes anything.
 */
export async function checkDurableDir(dir: string): Promise<void> {
  try {
    await mkdir(dir, { recursive: true });
    if (!(await stat(dir)).isDirectory()) throw Object.assign(new Error('not a directory'), { code: 'ENOTDIR' });
    await access(dir, constants.W_OK | constants.X_OK);
  } catch (e) {
    throw new WalIoError('open', dir, e);
  }
}
