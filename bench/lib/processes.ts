/**
 * Every process the bench starts goes through here: each runs in its own process group (so a
 * server's workers stop with it), is remembered until it exits, and is stopped when the bench
 * finishes, fails or is interrupted.
 */
import { spawn, type ChildProcess, type SpawnOptions } from 'node:child_process';

export interface TrackedProcess {
  readonly name: string;
  readonly child: ChildProcess;
  readonly pid: number;
  /** The last ~100 KB the process printed (stdout and stderr). */
  output(): string;
  exited(): boolean;
  /** SIGTERM to the group, SIGKILL after `graceMs`, resolves once the process exited. */
  stop(graceMs?: number): Promise<void>;
}

const running = new Set<TrackedProcess>();

function signalGroup(pid: number, signal: NodeJS.Signals): void {
  try {
    process.kill(-pid, signal);
  } catch {
    try {
      process.kill(pid, signal);
    } catch {
      // already gone
    }
  }
}

export function spawnTracked(
  name: string,
  command: string,
  args: readonly string[],
  options: SpawnOptions = {},
): TrackedProcess {
  const child = spawn(command, args, { stdio: ['pipe', 'pipe', 'pipe'], ...options, detached: true });
  if (child.pid === undefined) throw new Error(`could not start ${name} (${command})`);
  const pid = child.pid;
  let out = '';
  const keep = (b: Buffer): void => {
    out += b.toString();
    if (out.length > 200_000) out = out.slice(-100_000);
  };
  child.stdout?.on('data', keep);
  child.stderr?.on('data', keep);
  let done = child.exitCode !== null || child.signalCode !== null;
  const exitedPromise = new Promise<void>((resolve) => {
    if (done) resolve();
    child.once('exit', () => {
      done = true;
      resolve();
    });
    child.once('error', () => {
      done = true;
      resolve();
    });
  });
  const tracked: TrackedProcess = {
    name,
    child,
    pid,
    output: () => out,
    exited: () => done,
    async stop(graceMs = 5_000) {
      if (!done) {
        signalGroup(pid, 'SIGTERM');
        const timer = setTimeout(() => signalGroup(pid, 'SIGKILL'), graceMs);
        await exitedPromise;
        clearTimeout(timer);
      }
      // Workers that outlived their primary are in the same group.
      signalGroup(pid, 'SIGKILL');
      running.delete(tracked);
    },
  };
  running.add(tracked);
  void exitedPromise.then(() => {
    if (!running.has(tracked)) return;
    signalGroup(pid, 'SIGKILL');
    running.delete(tracked);
  });
  return tracked;
}

export async function stopAll(): Promise<void> {
  await Promise.all([...running].map((p) => p.stop(2_000)));
}

/** On SIGINT/SIGTERM stop everything and exit; on any exit kill what is left, synchronously. */
export function installCleanup(): void {
  const onSignal = (signal: NodeJS.Signals): void => {
    process.stderr.write(`\nbench: ${signal}, stopping ${running.size} process(es)\n`);
    void stopAll().finally(() => process.exit(signal === 'SIGINT' ? 130 : 143));
  };
  process.once('SIGINT', onSignal);
  process.once('SIGTERM', onSignal);
  process.once('exit', () => {
    for (const p of running) signalGroup(p.pid, 'SIGKILL');
  });
}
