/**
 * The servers the proxy suite loads: tenantwire (wire split, full decode, pass-through) and
 * vmagent receiving and forwarding. Each is started on 127.0.0.1 with a fresh temp dir,
 * forwards to the same sink, and is stopped by the suite (or by the runner's cleanup).
 */
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { freePort, peerPath } from '../lib/peers.js';
import { spawnTracked, type TrackedProcess } from '../lib/processes.js';
import { makeTempDir } from '../lib/temp-dirs.js';

/** 10 tenants (1.0), 1 tenant (pass-through), 10 tenants as remote-write 2.0, 100 tenants. */
export type BodyName = 'split' | 'single' | 'split-v2' | 'split-100';

export type TargetKind = 'tenantwire-wire' | 'tenantwire-decode' | 'tenantwire-pass' | 'vmagent';

export interface TargetSpec {
  readonly kind: TargetKind;
  readonly label: string;
  /** Which body wrk posts (see BODY_SHAPES in index.ts). */
  readonly body: BodyName;
  /** Only in the full run (keeps --quick short). */
  readonly fullOnly?: boolean;
  /** tenantwire `workers` for this target; the context's default otherwise. */
  readonly workers?: number;
  /** tenantwire `coalesce: true`. */
  readonly coalesce?: boolean;
}

export interface RunningTarget {
  readonly spec: TargetSpec;
  readonly pushUrl: string;
  readonly process: TrackedProcess;
  stop(): Promise<void>;
}

export interface TargetContext {
  readonly repoRoot: string;
  readonly peersBin: string;
  readonly sinkPushUrl: string;
  readonly tenantLabel: string;
  /** tenantwire `workers`. */
  readonly workers: number;
}

/** The CLI the proxy suite starts: dist/main.js, or TENANTWIRE_BENCH_MAIN (another build). */
export function tenantwireMain(repoRoot: string): string {
  return process.env.TENANTWIRE_BENCH_MAIN ?? join(repoRoot, 'dist/main.js');
}

/** Whether the CLI is built and more than the skeleton's stub. */
export function tenantwireBuilt(repoRoot: string): boolean {
  const main = tenantwireMain(repoRoot);
  return existsSync(main) && !readFileSync(main, 'utf8').includes('not yet');
}

/** cortex-tenant-style YAML plus tenantwire's `workers`, `split_mode` and `coalesce`. */
export function tenantwireConfig(
  port: number,
  ctx: TargetContext,
  splitMode: 'wire' | 'decode',
  workers = ctx.workers,
  coalesce = false,
): string {
  return [
    `listen: 127.0.0.1:${port}`,
    `target: ${ctx.sinkPushUrl}`,
    'log_level: warn',
    'tenant:',
    `  label: ${ctx.tenantLabel}`,
    '  default: bench-default',
    `workers: ${workers}`,
    `split_mode: ${splitMode}`,
    ...(coalesce ? ['coalesce: true'] : []),
    '',
  ].join('\n');
}

async function waitReady(url: string, proc: TrackedProcess, timeoutMs = 20_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  let last = '';
  while (Date.now() < deadline) {
    if (proc.exited()) throw new Error(`${proc.name} exited before ${url} answered:\n${proc.output().slice(-3000)}`);
    try {
      const r = await fetch(url, { signal: AbortSignal.timeout(1_000) });
      if (r.ok) return;
      last = `status ${r.status}`;
    } catch (e) {
      last = String(e);
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`${url} not ready after ${timeoutMs} ms (${last}):\n${proc.output().slice(-3000)}`);
}

export async function startTarget(spec: TargetSpec, ctx: TargetContext): Promise<RunningTarget> {
  const temp = makeTempDir(spec.kind);
  const dir = temp.path;
  const port = await freePort();
  const base = `http://127.0.0.1:${port}`;
  let proc: TrackedProcess | undefined;
  let pushUrl: string;
  try {
    if (spec.kind === 'vmagent') {
      proc = spawnTracked('vmagent', peerPath(ctx.peersBin, 'vmagent'), [
        `-httpListenAddr=127.0.0.1:${port}`,
        `-remoteWrite.url=${ctx.sinkPushUrl}`,
        `-remoteWrite.tmpDataPath=${join(dir, 'vmagent-data')}`,
        '-loggerLevel=WARN',
      ]);
      pushUrl = `${base}/api/v1/write`;
      await waitReady(`${base}/health`, proc);
    } else {
      const config = join(dir, 'tenantwire.yaml');
      writeFileSync(
        config,
        tenantwireConfig(port, ctx, spec.kind === 'tenantwire-decode' ? 'decode' : 'wire', spec.workers, spec.coalesce),
      );
      proc = spawnTracked('tenantwire', process.execPath, [tenantwireMain(ctx.repoRoot), '--config', config], {
        cwd: dir,
      });
      pushUrl = `${base}/push`;
      await waitReady(`${base}/ready`, proc);
    }
  } catch (e) {
    await proc?.stop();
    temp.remove();
    throw e;
  }
  const running = proc;
  return {
    spec,
    pushUrl,
    process: running,
    async stop() {
      await running.stop();
      temp.remove();
    },
  };
}
