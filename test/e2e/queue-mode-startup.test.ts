/**
 * Queue mode's start, against real processes: an unusable `queue.dir` stops the start with a
 * message naming the path; a second process on the same directory is refused naming the lock;
 * lowering `workers` delivers the queue a worker that no longer exists left behind, then removes
 * its directory.
 */
import { spawn } from 'node:child_process';
import {
  chmodSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { eventually } from '../helpers/eventually.js';
import { freePort, repoRoot, tempDir } from '../helpers/peers.js';
import { attachLedger, queueBlock, sendLoad, startQueueDropIn } from '../helpers/queue-mode.js';
import { startTenantwire, type TenantwireProcess } from '../helpers/tenantwire-process.js';
import { useRecordingUpstream } from '../helpers/use-recording-upstream.js';

const upstream = useRecordingUpstream();
const tmp = tempDir('e2e-queue-startup');
const running: TenantwireProcess[] = [];

afterAll(() => tmp.remove());
afterEach(async () => {
  for (const tw of running.splice(0)) await tw.stop(2_000);
  upstream().validate = undefined;
  upstream().received.length = 0;
});

/** Starts the CLI with a queue-mode config without waiting for it to listen. */
async function launch(
  queueDir: string,
  workers: number,
  configDir = tmp.path,
  user?: { uid: number; gid: number },
): Promise<TenantwireProcess> {
  const port = await freePort();
  const file = join(configDir, `start-${port}.yml`);
  writeFileSync(
    file,
    [
      `listen: 127.0.0.1:${port}`,
      `target: ${upstream().url}`,
      'log_level: warn',
      `workers: ${workers}`,
      ...queueBlock(queueDir),
      '',
    ].join('\n'),
  );
  const tw = user ? startAs(user, file) : startTenantwire(['--config', file]);
  running.push(tw);
  return tw;
}

const NOBODY = { uid: 65534, gid: 65534 };

/** The CLI as another user (root can write anywhere, so permission checks need somebody else). */
function startAs(user: { uid: number; gid: number }, config: string): TenantwireProcess {
  const child = spawn(process.execPath, [join(repoRoot, 'dist/main.js'), '--config', config], {
    cwd: repoRoot,
    uid: user.uid,
    gid: user.gid,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  child.stdout.on('data', (b: Buffer) => (out += b.toString()));
  child.stderr.on('data', (b: Buffer) => (out += b.toString()));
  const exited = new Promise<number | null>((r) => child.once('exit', (code) => r(code)));
  return {
    process: child,
    output: () => out,
    exited,
    async stop() {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
      return exited;
    },
  };
}

/** Exit code within 20 s (a start that hangs instead of failing fails the test). */
async function exitCode(tw: TenantwireProcess): Promise<number | null> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<'running'>((r) => {
    timer = setTimeout(() => r('running'), 20_000);
  });
  const code = await Promise.race([tw.exited, timeout]);
  clearTimeout(timer);
  if (code === 'running') throw new Error(`still running after 20 s:\n${tw.output()}`);
  return code;
}

describe('queue mode: an unusable queue.dir stops the start, naming the path', () => {
  it.each([1, 2])('workers: %i: queue.dir is a regular file', async (workers) => {
    const file = join(tmp.path, `not-a-dir-${workers}`);
    writeFileSync(file, 'x');
    const tw = await launch(file, workers);
    expect(await exitCode(tw)).not.toBe(0);
    expect(tw.output()).toContain(`queue.dir ${file} is not a directory`);
  });

  it('queue.dir is below a regular file', async () => {
    const file = join(tmp.path, 'plain-file');
    writeFileSync(file, 'x');
    const tw = await launch(join(file, 'queue'), 1);
    expect(await exitCode(tw)).not.toBe(0);
    expect(tw.output()).toContain(`queue.dir ${join(file, 'queue')}`);
    expect(tw.output()).toMatch(/not a directory/);
  });

  // root writes anywhere: as root the process runs as `nobody`, who may not write there.
  it('queue.dir without write permission', async () => {
    const asRoot = process.getuid?.() === 0;
    const open = mkdtempSync(join(tmpdir(), 'tenantwire-e2e-queue-perm-'));
    try {
      chmodSync(open, 0o755);
      const dir = join(open, 'read-only');
      mkdirSync(dir);
      chmodSync(dir, 0o555);
      const tw = await launch(dir, 1, open, asRoot ? NOBODY : undefined);
      expect(await exitCode(tw)).not.toBe(0);
      expect(tw.output()).toContain(`queue.dir ${dir}`);
      expect(tw.output()).toMatch(/EACCES|permission/i);
    } finally {
      rmSync(open, { recursive: true, force: true });
    }
  });
});

describe('queue mode: one directory, one process', () => {
  it('a second process on the same queue.dir is refused, naming the lock', async () => {
    const dir = join(tmp.path, 'shared');
    const first = await startQueueDropIn(tmp.path, upstream().url, dir, ['workers: 1']);
    running.push(first.tw);
    const second = await launch(dir, 1);
    expect(await exitCode(second)).not.toBe(0);
    expect(second.output()).toContain(join(dir, 'worker-0', 'LOCK'));
    expect(second.output()).toContain(String(first.tw.process.pid));
    // The first one is unharmed.
    const r = await fetch(`${first.url}/alive`);
    expect(r.status).toBe(200);
  });
});

describe('queue mode: a lock left by a killed process', () => {
  it('is taken over when its pid now belongs to another process (pid reuse after a restart)', async () => {
    const dir = join(tmp.path, 'reused-pid');
    const ledger = attachLedger(upstream());
    ledger.reply = () => ({ status: 503 });
    const first = await startQueueDropIn(tmp.path, upstream().url, dir, ['workers: 1']);
    running.push(first.tw);
    const { acknowledged } = await sendLoad({
      port: first.port,
      connections: 2,
      perConnection: 5,
      tenants: ['a'],
      prefix: 'reuse-',
    });
    first.tw.process.kill('SIGKILL');
    await first.tw.exited;
    // The killed process's pid is now someone else's, as after a container restart: this
    // test's own pid stands in for it (alive, and no tenantwire).
    const lock = join(dir, 'worker-0', 'LOCK');
    const [, ...rest] = readFileSync(lock, 'utf8').trim().split(' ');
    expect(rest, 'the lock records the start time of its process').toHaveLength(1);
    writeFileSync(lock, `${[process.pid, ...rest].join(' ')}\n`);
    ledger.reply = () => undefined;
    const second = await startQueueDropIn(tmp.path, upstream().url, dir, ['workers: 1']);
    running.push(second.tw);
    await eventually(() => ledger.missing(acknowledged).length === 0, {
      timeoutMs: 20_000,
      message: 'the queue of the killed process to be delivered',
    });
  }, 60_000);
});

describe('queue mode: fewer workers than before', () => {
  it('workers: 2 then workers: 1: the queue of worker-1 is delivered and its directory removed', async () => {
    const dir = join(tmp.path, 'shrink');
    const ledger = attachLedger(upstream());
    ledger.reply = () => ({ status: 503 });
    const two = await startQueueDropIn(tmp.path, upstream().url, dir, ['workers: 2', 'timeout: 1s']);
    running.push(two.tw);
    const { acknowledged, outcomes } = await sendLoad({
      port: two.port,
      connections: 8,
      perConnection: 20,
      tenants: ['a', 'b', 'c'],
      prefix: 'shrink-',
    });
    expect(Object.fromEntries(outcomes)).toEqual({ 204: 160 });
    expect(await two.tw.stop(20_000)).toBe(0);
    // Both workers took requests and left them queued (the upstream answered 503 throughout).
    for (const w of ['worker-0', 'worker-1']) expect(readdirSync(join(dir, w)).length, w).toBeGreaterThan(0);
    expect(ledger.counts.size).toBe(0);

    ledger.reply = () => undefined;
    const one = await startQueueDropIn(tmp.path, upstream().url, dir, ['workers: 1']);
    running.push(one.tw);
    await eventually(() => ledger.missing(acknowledged).length === 0, {
      timeoutMs: 20_000,
      message: `the ${acknowledged.size} acknowledged ids of both workers to arrive`,
    });
    await eventually(() => !existsSync(join(dir, 'worker-1')), {
      timeoutMs: 15_000,
      message: 'the adopted worker-1 directory to be removed',
    });
    expect(existsSync(join(dir, 'worker-0'))).toBe(true);
    expect(await one.tw.stop(15_000)).toBe(0);
  }, 60_000);
});
