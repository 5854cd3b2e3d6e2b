/**
 * Real peers for tests: the Debian binaries that scripts/install-peers.sh extracts into .peers/,
 * started on 127.0.0.1 and always stopped by the test that started them. Finding them and
 * starting them is the bench's code (bench/lib/peers.ts, bench/lib/processes.ts), so both agree.
 */
import type { ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { defaultPeersBin, findPeer, freePort, peerEnv as peerEnvIn, type PeerName } from '../../bench/lib/peers.js';
import { spawnTracked, type TrackedProcess } from '../../bench/lib/processes.js';
import { eventually } from './eventually.js';

export { freePort, type PeerName };

export const repoRoot = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
const peersBin = defaultPeersBin(repoRoot);

/**
 * Absolute path of a peer binary in .peers/ (never one on PATH: the tests pin Debian's
 * versions); throws with the install command when it is missing.
 */
export function peerPath(name: PeerName): string {
  const p = findPeer(peersBin, name, '');
  if (p === undefined) {
    throw new Error(`peer ${name} is not installed at ${join(peersBin, name)}: run \`bash scripts/install-peers.sh\``);
  }
  return p;
}

/** Environment for peers that link against libraries extracted beside them (wrk needs LuaJIT). */
export function peerEnv(): NodeJS.ProcessEnv {
  return peerEnvIn(peersBin);
}

export function tempDir(prefix: string): { path: string; remove(): void } {
  const path = mkdtempSync(join(tmpdir(), `tenantwire-${prefix}-`));
  return { path, remove: () => rmSync(path, { recursive: true, force: true }) };
}

export interface RunningPeer {
  readonly process: ChildProcess;
  /** Everything the process printed so far (stdout and stderr). */
  output(): string;
  stop(): Promise<void>;
}

/** Starts a peer binary; `stop()` sends SIGTERM to its group, SIGKILL after 5 s, and waits for exit. */
export function startPeer(name: PeerName, args: string[], options: { cwd?: string } = {}): RunningPeer {
  return startProcess(peerPath(name), args, options);
}

/**
 * Starts any command with the peers' environment (for wrappers around a peer binary, such as
 * the stand-in's `unshare`), in its own process group as the bench starts its processes;
 * output is kept and `stop()` behaves as for `startPeer`.
 */
export function startProcess(command: string, args: string[], options: { cwd?: string } = {}): RunningPeer {
  const tracked: TrackedProcess = spawnTracked(command, command, args, {
    cwd: options.cwd,
    env: peerEnv(),
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  return { process: tracked.child, output: tracked.output, stop: () => tracked.stop(5_000) };
}

/** Polls `url` until it answers 2xx, the process exits, or `timeoutMs` passes. */
export async function waitForHttp(url: string, peer?: RunningPeer, timeoutMs = 20_000): Promise<void> {
  let exited = false;
  await eventually(
    async () => {
      if (peer && peer.process.exitCode !== null) {
        exited = true;
        return true;
      }
      const r = await fetch(url, { signal: AbortSignal.timeout(1_000) });
      await r.body?.cancel();
      if (!r.ok) throw new Error(`status ${r.status}`);
      return true;
    },
    { timeoutMs, intervalMs: 50, message: `${url} to answer 2xx` },
  ).catch((e: Error) => {
    throw new Error(`${e.message}\n${peer?.output().slice(-2000) ?? ''}`);
  });
  if (exited)
    throw new Error(
      `peer exited with ${peer?.process.exitCode} before ${url} was ready:\n${peer?.output().slice(-2000)}`,
    );
}
