/**
 * The servers the proxy suite loads: tenantwire (wire split, full decode, pass-through),
 * cortex-tenant splitting and vmagent receiving and forwarding. Each is started on 127.0.0.1 with a fresh temp dir,
 * forwards to the same sink, and is stopped by the suite (or by the runner's cleanup).
 */
import { type GuardrailsConfig, guardrailsConfig } from './guardrails.js';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { freePort, peerPath } from '../lib/peers.js';
import { spawnTracked, type TrackedProcess } from '../lib/processes.js';
import { makeTempDir } from '../lib/temp-dirs.js';
import { cortexTenantConfig } from './cortex-tenant-config.js';

/** 10 tenants (1.0), 1 tenant (pass-through), 10 tenants as remote-write 2.0, 100 tenants. */
export type BodyName = 'split' | 'single' | 'split-v2' | 'split-100';

export type TargetKind = 'tenantwire-wire' | 'tenantwire-decode' | 'tenantwire-pass' | 'cortex-tenant' | 'vmagent';

export interface TargetSpec {
  readonly kind: TargetKind;
  readonly label: string;
  /** Which body wrk posts (see BODY_SHAPES in index.ts). */
  readonly body: BodyName;
  /** Only in the full run (keeps --quick short). */
  readonly fullOnly?: boolean;
  /** Only when `--rows` names it (variants that would take the default run past its budget). */
  readonly optIn?: boolean;
  /** wrk connections; the load's (8) otherwise. */
  readonly connections?: number;
  /** A row of the peer comparison: it gets the full run's 3 repeats, the others 2. */
  readonly comparison?: boolean;
  /** After the saturating run, a paced run at half its req/s on the same connections. */
  readonly halfLoad?: boolean;
  /** tenantwire `workers` for this target; the context's default otherwise. */
  readonly workers?: number;
  /** tenantwire `coalesce: true`. */
  readonly coalesce?: boolean;
  /** Queue mode: `queue.dir` in the target's temp dir (a fresh WAL per run). */
  readonly queue?: QueueSpec;
  /** Tenant mapping, ingress authentication and per-tenant limits configured (guardrails.ts). */
  readonly guardrails?: boolean;
}

export interface QueueSpec {
  /** `queue.max_samples_per_send`; tenantwire's default (2000) otherwise. */
  readonly maxSamplesPerSend?: number;
  /** `queue.max_disk_bytes` (and the same per tenant), so that the bench measures speed, not the bound. */
  readonly maxDiskBytes?: number;
}

/** Large enough that a bench run never reaches it: the disk bound is not what is measured. */
export const BENCH_QUEUE_DISK_BYTES = 16 * 2 ** 30;

export interface RunningTarget {
  readonly spec: TargetSpec;
  readonly pushUrl: string;
  readonly process: TrackedProcess;
  /** `http://127.0.0.1:<port>/metrics` (tenantwire), vmagent's, or cortex-tenant's own listener. */
  readonly metricsUrl: string;
  /** The queue's directory, in queue mode. */
  readonly queueDir?: string;
  /** The Authorization header its senders need (guardrails rows). */
  readonly authorization?: string;
  stop(): Promise<void>;
}

export interface TargetContext {
  readonly repoRoot: string;
  readonly peersBin: string;
  readonly sinkPushUrl: string;
  readonly tenantLabel: string;
  /** tenantwire `workers`. */
  readonly workers: number | undefined;
  /** The cortex-tenant binary (cortex-tenant targets only). */
  readonly cortexTenant?: string;
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

/** cortex-tenant-style YAML plus tenantwire's `workers`, `split_mode`, `coalesce` and `queue`. */
export function tenantwireConfig(
  port: number,
  ctx: TargetContext,
  splitMode: 'wire' | 'decode',
  workers = ctx.workers,
  coalesce = false,
  queue?: { readonly dir: string; readonly spec: QueueSpec },
  guardrails?: GuardrailsConfig,
): string {
  const disk = queue?.spec.maxDiskBytes ?? BENCH_QUEUE_DISK_BYTES;
  return [
    `listen: 127.0.0.1:${port}`,
    `target: ${ctx.sinkPushUrl}`,
    'log_level: warn',
    'tenant:',
    `  label: ${ctx.tenantLabel}`,
    '  default: bench-default',
    ...(guardrails?.tenantLines ?? []),
    ...(guardrails?.lines ?? []),
    ...(workers === undefined ? [] : [`workers: ${workers}`]),
    `split_mode: ${splitMode}`,
    ...(coalesce ? ['coalesce: true'] : []),
    ...(queue
      ? [
          'queue:',
          `  dir: ${JSON.stringify(queue.dir)}`,
          `  max_disk_bytes: ${disk}`,
          `  max_tenant_disk_bytes: ${disk}`,
          ...(queue.spec.maxSamplesPerSend !== undefined
            ? [`  max_samples_per_send: ${queue.spec.maxSamplesPerSend}`]
            : []),
        ]
      : []),
    '',
  ].join('\n');
}

/** Extra node flags for tenantwire (e.g. `--cpu-prof --cpu-prof-dir=/tmp/p`; workers inherit them). */
function nodeArgs(): string[] {
  return (process.env.TENANTWIRE_BENCH_NODE_ARGS ?? '').split(/\s+/).filter(Boolean);
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

/**
 * Starts one target in a fresh temp dir (removed by `stop`), or in `reuseDir` (kept: the
 * replay measurement restarts a target on the queue a killed one left).
 */
export async function startTarget(spec: TargetSpec, ctx: TargetContext, reuseDir?: string): Promise<RunningTarget> {
  const temp = reuseDir === undefined ? makeTempDir(spec.kind) : undefined;
  const dir = reuseDir ?? (temp as { path: string }).path;
  const queueDir = spec.queue ? join(dir, 'queue') : undefined;
  const port = await freePort();
  const base = `http://127.0.0.1:${port}`;
  let authorization: string | undefined;
  let proc: TrackedProcess | undefined;
  let pushUrl: string;
  let metricsUrl = `${base}/metrics`;
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
    } else if (spec.kind === 'cortex-tenant') {
      if (ctx.cortexTenant === undefined) throw new Error('no cortex-tenant binary was found');
      const config = join(dir, 'cortex-tenant.yml');
      const metricsPort = await freePort();
      metricsUrl = `http://127.0.0.1:${metricsPort}/metrics`;
      writeFileSync(
        config,
        cortexTenantConfig({ port, metricsPort, target: ctx.sinkPushUrl, tenantLabel: ctx.tenantLabel }),
      );
      proc = spawnTracked('cortex-tenant', ctx.cortexTenant, ['-config', config], { cwd: dir });
      // It takes remote-write on any path; /alive answers 200 once it listens.
      pushUrl = `${base}/push`;
      await waitReady(`${base}/alive`, proc);
    } else {
      const config = join(dir, 'tenantwire.yaml');
      const rails = spec.guardrails === true ? guardrailsConfig(dir) : undefined;
      authorization = rails?.authorization;
      writeFileSync(
        config,
        tenantwireConfig(
          port,
          ctx,
          spec.kind === 'tenantwire-decode' ? 'decode' : 'wire',
          spec.workers,
          spec.coalesce,
          spec.queue && queueDir !== undefined ? { dir: queueDir, spec: spec.queue } : undefined,
          rails,
        ),
      );
      proc = spawnTracked(
        'tenantwire',
        process.execPath,
        [...nodeArgs(), tenantwireMain(ctx.repoRoot), '--config', config],
        { cwd: dir },
      );
      pushUrl = `${base}/push`;
      await waitReady(`${base}/ready`, proc);
    }
  } catch (e) {
    await proc?.stop();
    temp?.remove();
    throw e;
  }
  const running = proc;
  return {
    spec,
    pushUrl,
    process: running,
    metricsUrl,
    ...(queueDir !== undefined ? { queueDir } : {}),
    ...(authorization !== undefined ? { authorization } : {}),
    async stop() {
      await running.stop();
      temp?.remove();
    },
  };
}
