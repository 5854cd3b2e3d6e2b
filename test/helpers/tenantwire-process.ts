/**
 * Runs the built CLI (`node dist/main.js`) as a real process, the way users run it.
 * `npm test` builds dist/ first.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { freePort, repoRoot, waitForHttp } from './peers.js';

export interface TenantwireProcess {
  readonly process: ChildProcess;
  output(): string;
  /** SIGTERM, then SIGKILL after `graceMs`; resolves with the exit code. */
  stop(graceMs?: number): Promise<number | null>;
  exited: Promise<number | null>;
}

export interface StartOptions {
  readonly cwd?: string;
  /** Added to (or, set to '', clearing) the test process's environment. */
  readonly env?: NodeJS.ProcessEnv;
}

export function startTenantwire(args: string[], options: StartOptions = {}): TenantwireProcess {
  const main = join(repoRoot, 'dist/main.js');
  if (!existsSync(main)) throw new Error(`${main} is missing: run \`npm run build\``);
  return startCommand(process.execPath, [main, ...args], options);
}

/**
 * Starts any command that ends up running the CLI (a copy of dist/, a shell wrapper that
 * `exec`s it), with its output kept and `stop()` as for `startTenantwire`.
 */
export function startCommand(command: string, args: readonly string[], options: StartOptions = {}): TenantwireProcess {
  const child = spawn(command, args, {
    cwd: options.cwd ?? repoRoot,
    env: { ...process.env, ...options.env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  const keep = (b: Buffer) => {
    out += b.toString();
    if (out.length > 400_000) out = out.slice(-200_000);
  };
  child.stdout?.on('data', keep);
  child.stderr?.on('data', keep);
  const exited = new Promise<number | null>((res) => {
    child.once('exit', (code) => res(code));
  });
  return {
    process: child,
    output: () => out,
    exited,
    async stop(graceMs = 15_000) {
      if (child.exitCode !== null || child.signalCode !== null) return child.exitCode;
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), graceMs);
      const code = await exited;
      clearTimeout(timer);
      return code;
    },
  };
}

export interface RunningProxyCli {
  readonly tw: TenantwireProcess;
  /** The remote-write listen port. */
  readonly port: number;
}

/** What startProxyCli puts between the listeners and the caller's lines. */
const QUIET_DEFAULTS = ['log_level: warn', 'timeout_shutdown: 100ms', 'workers: 1'];

/**
 * Writes a cortex-tenant config (listen and the metrics listener on free 127.0.0.1 ports, then
 * `defaults`: warn logs, one worker, a short shutdown unless given, then `lines`) into `dir`,
 * starts the built CLI with it and waits for /alive.
 */
export async function startProxyCli(
  dir: string,
  target: string,
  lines: readonly string[],
  defaults: readonly string[] = QUIET_DEFAULTS,
): Promise<RunningProxyCli> {
  const port = await freePort();
  const config = join(dir, `cortex-tenant-${port}.yml`);
  const base = [
    `listen: 127.0.0.1:${port}`,
    `listen_metrics_address: 127.0.0.1:${await freePort()}`,
    `target: ${target}`,
  ];
  writeFileSync(config, [...base, ...defaults, ...lines, ''].join('\n'));
  const tw = startTenantwire(['--config', config]);
  await waitForHttp(`http://127.0.0.1:${port}/alive`, undefined, 20_000).catch(async (e: Error) => {
    await tw.stop(1_000);
    throw new Error(`${e.message}\n${tw.output()}`);
  });
  return { tw, port };
}
