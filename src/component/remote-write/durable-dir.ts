import { constants } from 'node:fs';
import { access, mkdir, open, readFile, stat, unlink } from 'node:fs/promises';
import { join } from 'node:path';
import { ConfigError } from '../../errors.js';
import { WalIoError } from '../../wal/index.js';
import type { EndpointArgs, WalArgs } from './arguments.js';
import { endpointName } from './endpoint-name.js';

/**
 * The log directory of a durable endpoint, `<wal.dir>/<endpoint name>`, and who may use it.
 * Two writers appending to one log would interleave its segments, so a directory is claimed:
 * in this process (another endpoint running on it is refused; one stopping, a reload's
 * handover or a retired endpoint's flush, is waited for) and across processes (a `LOCK` file
 * holding the pid; a lock whose process is gone, killed or crashed, is taken over).
 */
export function durableEndpointDir(wal: WalArgs, args: Pick<EndpointArgs, 'name' | 'url'>): string {
  return join(wal.dir, endpointName(args));
}

export interface DirClaim {
  /** The holder is stopping: a new claim waits for its release instead of being refused. */
  stopping(): void;
  release(): Promise<void>;
}

const LOCK = 'LOCK';
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
  const lock = join(dir, LOCK);
  try {
    await lockFile(dir, lock, pid);
  } catch (e) {
    free();
    throw e;
  }
  return {
    stopping: () => {
      entry.stopping = true;
    },
    release: async () => {
      await unlink(lock).catch(() => undefined);
      free();
    },
  };
}

async function lockFile(dir: string, lock: string, pid: number): Promise<void> {
  await mkdir(dir, { recursive: true }).catch((e: unknown) => {
    throw new WalIoError('create directory', dir, e);
  });
  for (let attempt = 0; attempt < 3; attempt++) {
    try {
      const handle = await open(lock, 'wx');
      try {
        await handle.writeFile(`${pid}\n`);
        await handle.sync();
      } finally {
        await handle.close();
      }
      return;
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'EEXIST') throw new WalIoError('create', lock, e);
    }
    const holder = Number.parseInt(await readFile(lock, 'utf8').catch(() => ''), 10);
    if (Number.isInteger(holder) && holder > 0 && holder !== pid && isAlive(holder)) {
      throw inUse(dir, `process ${holder} (${lock})`);
    }
    await unlink(lock).catch(() => undefined);
  }
  throw inUse(dir, `another process (${lock} keeps coming back)`);
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
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
