import { watch, type FSWatcher } from 'node:fs';
import { readFile, realpath, stat } from 'node:fs/promises';
import { dirname } from 'node:path';

/**
 * Watches one file for `--watch` the way files are really replaced. Editors and Kubernetes write
 * a temp file and rename it over the old one, and a ConfigMap mount swaps a `..data` symlink:
 * `fs.watch(path)` follows the first inode and goes deaf after the first replace. So this
 * watches the file's directory (and its symlink target's directory), which outlives renames and
 * re-creation, and on every event reads the file again; a slow poll of its stat (inode, size,
 * times) catches what events miss (network filesystems, inotify limits). `onChange` runs once per
 * change of the file's bytes, after `debounceMs` of quiet: a touch, or a rewrite with the same
 * content, fires nothing, and a deleted file fires only when it comes back different.
 */
export interface WatchFileOptions {
  /** Quiet time after the last event before the file is read. Default 200 ms. */
  readonly debounceMs?: number;
  /** Stat the file this often whatever the events say. Default 2,000 ms. */
  readonly pollMs?: number;
  /** The content the caller already applied; default: the file's content when watching starts. */
  readonly initial?: string | Uint8Array;
  /** A watcher that could not be set up or failed (the poll carries on). */
  readonly onError?: (e: Error) => void;
}

export const WATCH_FILE_DEFAULTS = { debounceMs: 200, pollMs: 2_000 } as const;

/** Resolves once `signal` aborts and everything is closed. */
export async function watchFile(
  path: string,
  signal: AbortSignal,
  onChange: () => void,
  options: WatchFileOptions = {},
): Promise<void> {
  if (signal.aborted) return;
  const debounceMs = options.debounceMs ?? WATCH_FILE_DEFAULTS.debounceMs;
  const pollMs = options.pollMs ?? WATCH_FILE_DEFAULTS.pollMs;
  const onError = options.onError ?? (() => {});
  let content: Buffer | undefined =
    options.initial === undefined ? await readFile(path).catch(() => undefined) : Buffer.from(options.initial);
  let fingerprint = '';
  const watchers = new Map<string, FSWatcher>();
  let debounce: NodeJS.Timeout | undefined;
  let poll: NodeJS.Timeout | undefined;
  let checking = false;
  let again = false;

  /** Watches the directories of the path and of what it points at now (a symlink may move). */
  async function arm(): Promise<void> {
    const dirs = new Set([dirname(path)]);
    const target = await realpath(path).catch(() => undefined);
    if (target !== undefined) dirs.add(dirname(target));
    for (const [dir, w] of watchers) {
      if (!dirs.has(dir)) {
        w.close();
        watchers.delete(dir);
      }
    }
    for (const dir of dirs) {
      if (watchers.has(dir) || signal.aborted) continue;
      try {
        // Every event in the directory leads to a (debounced) read: a ConfigMap renames `..data`,
        // never the file itself, and some platforms name no file at all.
        const w = watch(dir, { persistent: false }, schedule);
        w.on('error', (e: Error) => {
          onError(e);
          w.close();
          if (watchers.get(dir) === w) watchers.delete(dir); // the next check re-arms it
        });
        watchers.set(dir, w);
      } catch (e) {
        // A symlink target's directory may vanish between realpath and watch (a ConfigMap swap
        // removes the old one): the event of that swap re-arms. The file's own one is reported.
        if (dir === dirname(path) || (e as NodeJS.ErrnoException).code !== 'ENOENT') onError(e as Error);
      }
    }
  }

  function schedule(): void {
    if (signal.aborted) return;
    clearTimeout(debounce);
    debounce = setTimeout(() => void check(), debounceMs);
  }

  async function check(): Promise<void> {
    if (checking) {
      again = true;
      return;
    }
    checking = true;
    try {
      do {
        again = false;
        fingerprint = await statPrint(path);
        const next = await readFile(path).catch(() => undefined);
        await arm();
        if (signal.aborted) return;
        if (next === undefined || (content !== undefined && next.equals(content))) continue;
        content = next;
        onChange();
      } while (again && !signal.aborted);
    } catch (e) {
      onError(e as Error);
    } finally {
      checking = false;
    }
  }

  async function tick(): Promise<void> {
    const now = await statPrint(path);
    if (now !== fingerprint || watchers.size === 0) await check();
    if (!signal.aborted) {
      poll = setTimeout(() => void tick(), pollMs);
      poll.unref();
    }
  }

  await arm();
  // Compares once now: the file may have changed between the caller's read and the watch.
  await check();
  poll = setTimeout(() => void tick(), pollMs);
  poll.unref();
  if (!signal.aborted)
    await new Promise<void>((resolve) => signal.addEventListener('abort', () => resolve(), { once: true }));
  clearTimeout(debounce);
  clearTimeout(poll);
  for (const w of watchers.values()) w.close();
  watchers.clear();
}

/** Inode, size and times of what `path` points at; '' when it is missing. */
async function statPrint(path: string): Promise<string> {
  try {
    const s = await stat(path);
    return `${s.dev}:${s.ino}:${s.size}:${s.mtimeMs}:${s.ctimeMs}`;
  } catch {
    return '';
  }
}
