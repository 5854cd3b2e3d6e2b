/**
 * `--watch` must keep hearing a file that is replaced the way editors and Kubernetes replace it:
 * rename over it, delete and re-create it, or swap a ConfigMap's `..data` symlink. The poll is
 * set to a minute in most tests, so what they see comes from the directory watch.
 */
import {
  existsSync,
  mkdirSync,
  readFileSync,
  renameSync,
  rmSync,
  symlinkSync,
  unlinkSync,
  utimesSync,
  writeFileSync,
} from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { watchFile, type WatchFileOptions } from '../../src/cli/watch-file.js';
import { eventually } from '../helpers/eventually.js';
import { tempDir } from '../helpers/peers.js';

const cleanups: Array<() => Promise<void> | void> = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

function setup(prefix: string) {
  const tmp = tempDir(prefix);
  cleanups.push(() => tmp.remove());
  return tmp.path;
}

/** Starts watching; `calls` counts callbacks; stopped after the test. */
async function watching(path: string, options: WatchFileOptions = {}) {
  const ac = new AbortController();
  const state = { calls: 0, errors: [] as Error[] };
  // What the caller applied, as servePipeline does: a change made while the watch is being set
  // up is then still a change.
  const initial = existsSync(path) ? { initial: readFileSync(path) } : {};
  const done = watchFile(path, ac.signal, () => state.calls++, {
    debounceMs: 20,
    pollMs: 60_000,
    onError: (e) => state.errors.push(e),
    ...initial,
    ...options,
  });
  cleanups.push(async () => {
    ac.abort();
    await done;
  });
  return { state, stop: () => ac.abort(), done };
}

let n = 0;
/** What editors do: write a temp file beside it, then rename it over the file. */
function replaceAtomically(path: string, text: string): void {
  const tmp = `${path}.tmp-${++n}`;
  writeFileSync(tmp, text);
  renameSync(tmp, path);
}

const callsReach = (state: { calls: number }, k: number) =>
  eventually(() => expect(state.calls).toBe(k), { message: `callback ${k}` });

describe('watchFile', () => {
  it('fires once for each of three atomic replaces in a row', async () => {
    const dir = setup('watch-rename');
    const file = join(dir, 'pipeline.yaml');
    writeFileSync(file, 'v: 0\n');
    const { state } = await watching(file);
    for (let i = 1; i <= 3; i++) {
      replaceAtomically(file, `v: ${i}\n`);
      await callsReach(state, i);
    }
    expect(state.errors).toEqual([]);
  });

  it('fires only when the bytes change: a touch or the same content rewritten fires nothing', async () => {
    const dir = setup('watch-same');
    const file = join(dir, 'pipeline.yaml');
    writeFileSync(file, 'v: 0\n');
    const { state } = await watching(file);
    replaceAtomically(file, 'v: 0\n');
    utimesSync(file, new Date(), new Date(Date.now() + 5_000));
    writeFileSync(file, 'v: 0\n');
    // A real change afterwards is the barrier: had the no-ops fired, the count would be past 1.
    replaceAtomically(file, 'v: 1\n');
    await callsReach(state, 1);
    writeFileSync(file, 'v: 2\n'); // written in place, as `echo >` does
    await callsReach(state, 2);
  });

  it('follows a file deleted and created again', async () => {
    const dir = setup('watch-recreate');
    const file = join(dir, 'pipeline.yaml');
    writeFileSync(file, 'v: 0\n');
    const { state } = await watching(file);
    unlinkSync(file);
    writeFileSync(file, 'v: 1\n');
    await callsReach(state, 1);
    unlinkSync(file);
    writeFileSync(file, 'v: 1\n'); // back with the same content: nothing to apply
    unlinkSync(file);
    writeFileSync(file, 'v: 2\n');
    await callsReach(state, 2);
  });

  it("follows a ConfigMap mount's `..data` symlink swap", async () => {
    const dir = setup('watch-configmap');
    // The kubelet's layout: pipeline.yaml -> ..data/pipeline.yaml, ..data -> ..<timestamp>/
    const version = (name: string, text: string) => {
      mkdirSync(join(dir, name));
      writeFileSync(join(dir, name, 'pipeline.yaml'), text);
    };
    version('..2024_01', 'v: 0\n');
    symlinkSync('..2024_01', join(dir, '..data'));
    symlinkSync('..data/pipeline.yaml', join(dir, 'pipeline.yaml'));
    const swap = (from: string, to: string, text: string) => {
      version(to, text);
      symlinkSync(to, join(dir, '..data_tmp'));
      renameSync(join(dir, '..data_tmp'), join(dir, '..data'));
      rmSync(join(dir, from), { recursive: true });
    };
    const { state } = await watching(join(dir, 'pipeline.yaml'));
    swap('..2024_01', '..2024_02', 'v: 1\n');
    await callsReach(state, 1);
    swap('..2024_02', '..2024_03', 'v: 2\n');
    await callsReach(state, 2);
    expect(state.errors).toEqual([]);
  });

  it(
    'falls back to the poll where the directory cannot be watched yet, ' + 'and arms the watch once it exists',
    async () => {
      const dir = setup('watch-poll');
      const file = join(dir, 'later', 'pipeline.yaml');
      const { state } = await watching(file, { pollMs: 30 });
      await eventually(() => expect(state.errors.map((e) => (e as NodeJS.ErrnoException).code)).toContain('ENOENT'), {
        message: 'the failed watch to be reported',
      });
      mkdirSync(join(dir, 'later'));
      writeFileSync(file, 'v: 1\n');
      await callsReach(state, 1);
      replaceAtomically(file, 'v: 2\n');
      await callsReach(state, 2);
    },
  );

  it('resolves once the signal aborts, and at once for an aborted signal', async () => {
    const dir = setup('watch-stop');
    const file = join(dir, 'pipeline.yaml');
    writeFileSync(file, 'v: 0\n');
    const { stop, done } = await watching(file);
    stop();
    await expect(done).resolves.toBeUndefined();
    await expect(watchFile(file, AbortSignal.abort(), () => {})).resolves.toBeUndefined();
  });
});
