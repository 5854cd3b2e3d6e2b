/**
 * Where the Debian peers live for the bench (.peers/root/usr/bin by default, see
 * scripts/install-peers.sh, else on PATH), installing them when a suite needs one that is
 * missing; their environment, their versions, and free loopback ports.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { accessSync, constants, readFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { delimiter, join, resolve } from 'node:path';
import { gunzipSync } from 'node:zlib';

export type BenchPeer = 'wrk' | 'vmagent' | 'victoria-metrics' | 'prometheus';
/** Every peer the installer provides: the bench's, and the Alertmanager tools the tests use. */
export type PeerName = BenchPeer | 'prometheus-alertmanager' | 'amtool' | 'promtool';

export function defaultPeersBin(repoRoot: string): string {
  return process.env.TENANTWIRE_PEERS_DIR
    ? join(process.env.TENANTWIRE_PEERS_DIR, 'root/usr/bin')
    : join(repoRoot, '.peers/root/usr/bin');
}

function executable(p: string): boolean {
  try {
    accessSync(p, constants.X_OK);
    return true;
  } catch {
    return false;
  }
}

/**
 * The peer's binary: the one in `peersBin` first (the versions the results name), else on PATH;
 * an empty `path` looks in `peersBin` only.
 */
export function findPeer(peersBin: string, name: PeerName, path = process.env.PATH ?? ''): string | undefined {
  const dirs = [peersBin, ...path.split(delimiter).filter((d) => d !== '')];
  return dirs.map((d) => join(d, name)).find(executable);
}

export function peerPath(peersBin: string, name: BenchPeer): string {
  const p = findPeer(peersBin, name);
  if (p === undefined)
    throw new Error(`peer ${name} is not installed in ${peersBin} nor on PATH: run \`npm run peers\``);
  return p;
}

export function hasPeer(peersBin: string, name: BenchPeer): boolean {
  return findPeer(peersBin, name) !== undefined;
}

export interface EnsurePeersOptions {
  /** Peers a suite uses when they are there (a row less without them): installed, never required. */
  readonly optional?: readonly BenchPeer[];
  /** The idempotent installer; default scripts/install-peers.sh under `repoRoot`. */
  readonly installer?: string;
  readonly log: (line: string) => void;
}

/**
 * Makes sure every peer in `names` can be found, running the peers installer once when one is
 * missing (it extracts Debian's packages into .peers/ and skips what is there). Throws naming
 * what is still missing and how to install it when the installer fails or does not provide it.
 */
export function ensurePeers(
  repoRoot: string,
  peersBin: string,
  names: readonly BenchPeer[],
  options: EnsurePeersOptions,
): void {
  const missing = [...names, ...(options.optional ?? [])].filter((n) => !hasPeer(peersBin, n));
  if (missing.length === 0) return;
  const installer = options.installer ?? join(repoRoot, 'scripts/install-peers.sh');
  options.log(`${missing.join(', ')} not found in ${peersBin} nor on PATH: installing the peers with ${installer}`);
  // The installer's lines go to stderr: stdout carries the result tables.
  const run = spawnSync('bash', [installer], { cwd: repoRoot, stdio: ['ignore', 2, 2], env: process.env });
  const still = names.filter((n) => !hasPeer(peersBin, n));
  const found = missing.filter((n) => hasPeer(peersBin, n));
  if (found.length > 0) options.log(`installed: ${found.map((n) => peerPath(peersBin, n)).join(', ')}`);
  if (still.length === 0) {
    if (run.status !== 0)
      options.log(
        `the peers installer failed (exit ${run.status ?? run.signal}); going on without ` +
          `${missing.filter((n) => !found.includes(n)).join(', ')}`,
      );
    return;
  }
  const how = run.error
    ? `could not be started (${run.error.message})`
    : run.status === 0
      ? `ran but did not provide them`
      : `failed (exit ${run.status ?? run.signal})`;
  throw new Error(
    `${still.join(', ')} missing and the peers installer ${how}. It downloads Debian's packages with apt-get ` +
      `(root and a reachable Debian mirror); ` +
      `run \`npm run peers\` to see why, or install ${still.join(', ')} on PATH (apt-get install ` +
      `${still.map(debianPackage).join(' ')}).`,
  );
}

function debianPackage(name: BenchPeer): string {
  return name === 'vmagent' ? 'victoria-metrics' : name;
}

/** Peers that link against libraries extracted beside them (wrk needs LuaJIT) find them. */
export function peerEnv(peersBin: string): NodeJS.ProcessEnv {
  const lib = resolve(peersBin, '../lib/x86_64-linux-gnu');
  const ld = process.env.LD_LIBRARY_PATH;
  return { ...process.env, LD_LIBRARY_PATH: ld ? `${lib}:${ld}` : lib };
}

/** Debian package versions of the peers, from their changelogs (the binaries print none). */
export function peerVersions(peersBin: string): Record<string, string> {
  const docs = resolve(peersBin, '../share/doc');
  const out: Record<string, string> = {};
  for (const pkg of ['wrk', 'victoria-metrics', 'prometheus']) {
    try {
      const head =
        gunzipSync(readFileSync(join(docs, pkg, 'changelog.Debian.gz')))
          .toString('utf8')
          .split('\n', 1)[0] ?? '';
      const m = /\(([^)]+)\)/.exec(head);
      if (m?.[1]) out[pkg] = m[1];
    } catch {
      // not installed
    }
  }
  if (!out.wrk && hasPeer(peersBin, 'wrk')) {
    try {
      execFileSync(peerPath(peersBin, 'wrk'), ['-v'], { env: peerEnv(peersBin), encoding: 'utf8' });
    } catch (e) {
      const m = /wrk (\S+)/.exec(String((e as { stdout?: string }).stdout ?? ''));
      if (m?.[1]) out.wrk = m[1];
    }
  }
  return out;
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
