import * as fsp from 'node:fs/promises';
import type { WalFile, WalFileSystem } from './types.js';

/**
 * The log's file operations on `node:fs/promises`: file handles, `writev` (looping until every
 * byte is written), `datasync` for data files, and directory fsync by opening the directory
 * read-only, on platforms that allow it.
 */

/** Codes some platforms (Windows, some network filesystems) answer a directory fsync with. */
const DIR_SYNC_UNSUPPORTED = new Set(['EISDIR', 'EINVAL', 'EPERM', 'ENOTSUP', 'EBADF']);

async function writeAll(handle: fsp.FileHandle, chunks: readonly Uint8Array[]): Promise<void> {
  let rest = chunks.filter((c) => c.length > 0);
  while (rest.length > 0) {
    // writev may write less than asked (a signal, a full pipe); resume where it stopped
    const { bytesWritten } = await handle.writev(rest as Uint8Array[]);
    let left = bytesWritten;
    const next: Uint8Array[] = [];
    for (const c of rest) {
      if (left >= c.length) left -= c.length;
      else {
        next.push(left > 0 ? c.subarray(left) : c);
        left = 0;
      }
    }
    if (bytesWritten === 0 && next.length > 0) throw Object.assign(new Error('writev wrote nothing'), { code: 'EIO' });
    rest = next;
  }
}

function wrapHandle(handle: fsp.FileHandle, dataOnly: boolean): WalFile {
  return {
    writev: (chunks) => writeAll(handle, chunks),
    async read(target, position) {
      const { bytesRead } = await handle.read(target, 0, target.length, position);
      return bytesRead;
    },
    async writeAt(data, position) {
      let done = 0;
      while (done < data.length) {
        const { bytesWritten } = await handle.write(data, done, data.length - done, position + done);
        if (bytesWritten === 0) throw Object.assign(new Error('write wrote nothing'), { code: 'EIO' });
        done += bytesWritten;
      }
    },
    sync: () => (dataOnly ? handle.datasync() : handle.sync()),
    close: () => handle.close(),
  };
}

export function nodeFileSystem(): WalFileSystem {
  return {
    // a segment only grows, so fdatasync suffices: the size is metadata fdatasync flushes
    open: async (path, flags) => wrapHandle(await fsp.open(path, flags, 0o644), true),
    readFile: async (path) => new Uint8Array(await fsp.readFile(path)),
    readdir: (path) => fsp.readdir(path),
    mkdir: async (path) => {
      await fsp.mkdir(path, { recursive: true });
    },
    rename: (from, to) => fsp.rename(from, to),
    unlink: (path) => fsp.unlink(path),
    truncate: (path, length) => fsp.truncate(path, length),
    stat: async (path) => {
      const s = await fsp.stat(path);
      return { size: s.size, isDirectory: s.isDirectory() };
    },
    async syncDir(path) {
      let handle: fsp.FileHandle | undefined;
      try {
        handle = await fsp.open(path, 'r');
        await handle.sync();
      } catch (e) {
        const code = (e as { code?: string }).code;
        if (!code || !DIR_SYNC_UNSUPPORTED.has(code)) throw e;
      } finally {
        await handle?.close();
      }
    },
  };
}
