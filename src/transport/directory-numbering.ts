import { randomBytes } from 'node:crypto';
import { readdir, rename, unlink, writeFile } from 'node:fs/promises';
import { join } from 'node:path';

/**
 * File numbers for the directory transport that stay unique and ordered when several processes
 * (cluster workers, a restarted process) write into the same tenant directory, and a reader
 * never sees a half-written file:
 *  1. the body goes to a hidden temporary file;
 *  2. a number is claimed with an exclusive create of `.<seq>.claim` (EEXIST: someone else is
 *     writing that number, take the next);
 *  3. holding the claim, the directory is read: a finished `<seq>-*.snappy` means another
 *     process used the number earlier, so the claim is dropped and the count moves past the
 *     highest number seen;
 *  4. otherwise the temporary file is renamed to `<seq>-<timestamp>.snappy` and the claim removed.
 * Claims are only held while one file is named, so a finished directory holds data files only.
 * A process killed inside that window leaves a hidden claim and skips the number for good.
 */
export const SEQ_WIDTH = 9;
const DATA_FILE = /^(\d+)-\d+\.snappy$/;
const CLAIM_FILE = /^\.(\d+)\.claim$/;

export const formatSeq = (n: number): string => String(n).padStart(SEQ_WIDTH, '0');

/** The highest number used or being claimed in `names`, and whether `seq` has a data file. */
export function scanNames(names: readonly string[], seq?: number): { max: number; taken: boolean } {
  let max = 0;
  let taken = false;
  for (const name of names) {
    const m = DATA_FILE.exec(name) ?? CLAIM_FILE.exec(name);
    if (!m) continue;
    const n = Number(m[1]);
    if (n > max) max = n;
    if (seq !== undefined && n === seq && name.endsWith('.snappy')) taken = true;
  }
  return { max, taken };
}

const isCode = (e: unknown, code: string): boolean => (e as { code?: unknown } | null)?.code === code;

async function removeQuietly(path: string): Promise<void> {
  await unlink(path).catch(() => undefined);
}

export interface DirectoryNumbering {
  /** Writes `body` into `dir` under the next free number; resolves with the file name. */
  write(dir: string, body: Uint8Array): Promise<string>;
  /** Forget what is known of `dir` (it is read again on next use). */
  forget(dir: string): void;
}

/** `now` names the file's timestamp (ms). */
export function createDirectoryNumbering(now: () => number): DirectoryNumbering {
  /** Next number to try per directory; only a hint, the claim decides. */
  const next = new Map<string, number>();

  async function hint(dir: string): Promise<number> {
    const known = next.get(dir);
    if (known !== undefined) return known;
    const fromDisk = scanNames(await readdir(dir)).max + 1;
    const n = Math.max(fromDisk, next.get(dir) ?? 0);
    next.set(dir, n);
    return n;
  }

  async function write(dir: string, body: Uint8Array): Promise<string> {
    const tmp = join(dir, `.${process.pid}-${randomBytes(6).toString('hex')}.tmp`);
    await writeFile(tmp, body, { flag: 'wx' });
    try {
      for (;;) {
        const seq = await hint(dir);
        next.set(dir, Math.max(seq + 1, next.get(dir) ?? 0));
        const claim = join(dir, `.${formatSeq(seq)}.claim`);
        try {
          await writeFile(claim, '', { flag: 'wx' });
        } catch (e) {
          if (isCode(e, 'EEXIST')) continue;
          throw e;
        }
        try {
          const seen = scanNames(await readdir(dir), seq);
          if (seen.taken) {
            next.set(dir, Math.max(seen.max + 1, next.get(dir) ?? 0));
            continue;
          }
          const name = `${formatSeq(seq)}-${now()}.snappy`;
          await rename(tmp, join(dir, name));
          return name;
        } finally {
          await removeQuietly(claim);
        }
      }
    } catch (e) {
      await removeQuietly(tmp);
      throw e;
    }
  }

  return { write, forget: (dir) => next.delete(dir) };
}
