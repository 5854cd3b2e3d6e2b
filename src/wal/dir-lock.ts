import { readFileSync } from 'node:fs';
import { mkdir, open, readFile, unlink } from 'node:fs/promises';
import { join } from 'node:path';
import { TenantwireError } from '../errors.js';
import { WalIoError } from './wal-errors.js';

/** A log directory held by this process; `release` removes the lock file. */
export interface DirectoryClaim {
  readonly dir: string;
  release(): Promise<void>;
}

export class DirectoryLockedError extends TenantwireError {
  constructor(message: string) {
    super('directory_locked', message);
  }
}

const LOCK = 'LOCK';

/**
 * Claims `dir` for this process with an exclusively created `LOCK` file holding the pid and, where
 * /proc tells it, the process's start time. A lock whose process is gone (killed, crashed, a
 * zombie) is taken over, and so is one whose pid now belongs to a process started at another time:
 * after a container restart pids are handed out again from 1, so a killed worker's pid is often a
 * live sibling's. A lock held by a live process refuses the start naming the directory and the
 * pid, so two processes never append to one log.
 */
export async function claimDirectory(dir: string, pid: number = process.pid): Promise<DirectoryClaim> {
  await mkdir(dir, { recursive: true }).catch((e: unknown) => {
    throw new WalIoError('create directory', dir, e);
  });
  const path = join(dir, LOCK);
  for (let attempt = 0; attempt < 3; attempt++) {
    try {
      const handle = await open(path, 'wx');
      try {
        const started = startTime(pid);
        await handle.writeFile(started === undefined ? `${pid}\n` : `${pid} ${started}\n`);
        await handle.sync();
      } finally {
        await handle.close();
      }
      return { dir, release: () => unlink(path).catch(ignoreMissing) };
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'EEXIST') throw new WalIoError('create', path, e);
    }
    const [holderText, holderStarted] = (await readFile(path, 'utf8').catch(() => '')).trim().split(/\s+/);
    const holder = Number.parseInt(holderText ?? '', 10);
    if (Number.isInteger(holder) && holder > 0 && holder !== pid && isAlive(holder, holderStarted)) {
      throw new DirectoryLockedError(`${dir} is already used by process ${holder} (${path})`);
    }
    // Left by a process that is gone (or unreadable): take it over.
    await unlink(path).catch(ignoreMissing);
  }
  throw new DirectoryLockedError(`${dir}: could not create ${path} (another process keeps taking it)`);
}

/** Running, not a zombie, and (when both are known) started when the lock says. */
function isAlive(pid: number, started: string | undefined): boolean {
  try {
    process.kill(pid, 0);
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code !== 'EPERM') return false;
  }
  const stat = procStat(pid);
  if (stat === undefined) return true;
  if (stat[0] === 'Z') return false;
  return started === undefined || stat[STARTTIME] === started;
}

/** Index of `starttime` (field 22 of /proc/PID/stat) in the fields after the command. */
const STARTTIME = 19;

/** The fields of /proc/PID/stat after `(comm)`, from `state` on; undefined without /proc. */
function procStat(pid: number): string[] | undefined {
  try {
    const text = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return text.slice(text.lastIndexOf(')') + 2).split(' ');
  } catch {
    return undefined;
  }
}

function startTime(pid: number): string | undefined {
  return procStat(pid)?.[STARTTIME];
}

function ignoreMissing(e: unknown): void {
  if ((e as NodeJS.ErrnoException).code !== 'ENOENT') throw e;
}
