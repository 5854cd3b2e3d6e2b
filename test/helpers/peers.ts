/**
 * Real peers for tests: the Debian binaries that scripts/install-peers.sh extracts into .peers/,
 * started on 127.0.0.1 and always stopped by the test that started them.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { eventually } from './eventually.js';

export const repoRoot = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
const peersRoot = process.env.TENANTWIRE_PEERS_DIR ?? join(repoRoot, '.peers');
const libDir = join(peersRoot, 'root/usr/lib/x86_64-linux-gnu');

export type PeerName = 'prometheus' | 'prometheus-alertmanager' | 'amtool' | 'vmagent' | 'victoria-metrics' | 'wrk' | 'promtool';

/** Absolute path of a peer binary; throws with the install command when it is missing. */
export function peerPath(name: PeerName): string {
  const p = join(peersRoot, 'root/usr/bin', name);
  if (!existsSync(p)) {
    throw new Error(`peer ${name} is not installed at ${p}: run \`bash scripts/install-peers.sh\``);
  }
  return p;
}

/** Environment for peers that link against libraries extracted beside them (wrk needs LuaJIT). */
export function peerEnv(): NodeJS.ProcessEnv {
  const ld = process.env.LD_LIBRARY_PATH;
  return { ...process.env, LD_LIBRARY_PATH: ld ? `${libDir}:${ld}` : libDir };
}

/** A free TCP port on 127.0.0.1, for peers that cannot report the port they bound to. */
export async function freePort(): Promise<number> {
  return new Promise((res, rej) => {
    const srv = createServer();
    srv.once('error', rej);
    srv.listen(0, '127.0.0.1', () => {
      const addr = srv.address();
      const port = typeof addr === 'object' && addr ? addr.port : 0;
      srv.close(() => res(port));
    });
  });
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

/** Starts a peer binary; `stop()` sends SIGTERM, then SIGKILL after 5 s, and waits for exit. */
export function startPeer(name: PeerName, args: string[], options: { cwd?: string } = {}): RunningPeer {
  return startProcess(peerPath(name), args, options);
}

/**
 * Starts any command with the peers' environment (for wrappers around a peer binary, such as
 * the stand-in's `unshare`); output is kept and `stop()` behaves as for `startPeer`.
 */
export function startProcess(command: string, args: string[], options: { cwd?: string } = {}): RunningPeer {
  const child = spawn(command, args, { cwd: options.cwd, env: peerEnv(), stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  const keep = (b: Buffer) => {
    out += b.toString();
    if (out.length > 200_000) out = out.slice(-100_000);
  };
  child.stdout?.on('data', keep);
  child.stderr?.on('data', keep);
  const exited = new Promise<void>((res) => {
    if (child.exitCode !== null || child.signalCode !== null) res();
    else child.once('exit', () => res());
  });
  return {
    process: child,
    output: () => out,
    async stop() {
      if (child.exitCode === null && child.signalCode === null) {
        child.kill('SIGTERM');
        const timer = setTimeout(() => child.kill('SIGKILL'), 5_000);
        await exited;
        clearTimeout(timer);
      }
    },
  };
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
  if (exited) throw new Error(`peer exited with ${peer?.process.exitCode} before ${url} was ready:\n${peer?.output().slice(-2000)}`);
}
