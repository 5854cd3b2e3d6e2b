import { mkdir, open, readFile, unlink } from 'node:fs/promises';
import { join } from 'node:path';
import { TenantwireError } from '../errors.js';

/** A queue directory held by this process; `release` removes the lock file. */
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
 * Claims `dir` for this process with an exclusively created `LOCK` file holding the pid. A lock
 * whose process is gone (killed, crashed) is taken over; a lock held by a live process refuses
 * the start naming the directory and the pid, so two processes never append to one log.
 */
export async function claimDirectory(dir: string, pid: number = process.pid): Promise<DirectoryClaim> {
  await mkdir(dir, { recursive: true });
  const path = join(dir, LOCK);
  for (let attempt = 0; attempt < 3; attempt++) {
    try {
      const handle = await open(path, 'wx');
      try {
        await handle.writeFile(`${pid}\n`);
        await handle.sync();
      } finally {
        await handle.close();
      }
      return { dir, release: () => unlink(path).catch(ignoreMissing) };
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'EEXIST') throw e;
    }
    const holder = Number.parseInt(await readFile(path, 'utf8').catch(() => ''), 10);
    if (Number.isInteger(holder) && holder > 0 && holder !== pid && isAlive(holder)) {
      throw new DirectoryLockedError(`queue directory ${dir} is in use by process ${holder} (${path})`);
    }
    // Left by a process that is gone (or unreadable): take it over.
    await unlink(path).catch(ignoreMissing);
  }
  throw new DirectoryLockedError(`queue directory ${dir}: could not create ${path}`);
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
}

function ignoreMissing(e: unknown): void {
  if ((e as NodeJS.ErrnoException).code !== 'ENOENT') throw e;
}
