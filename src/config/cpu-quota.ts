import { readFileSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { posix } from 'node:path';

/**
 * The default `workers`: one per two CPUs this process may really use, at least 1. A worker is
 * one JS thread, but it does not have a core to itself: V8's GC threads, the kernel's network
 * work and the upstream share the rest. Measured on 2 cores (bench/proxy): one process delivers
 * what two do at 2 connections and 0.6x at 8, at 0.44x their peak RSS (no primary, no second
 * heap), so the default leans to memory; `workers` set to the CPUs buys the rest. availableParallelism() counts
 * the host's cores (and the affinity mask), not a container's CPU quota, so a 1-CPU pod on a
 * 64-core node would start 64 workers of ~150 MiB each. The cgroup quota (v2 `cpu.max`, v1
 * `cpu.cfs_quota_us` / `cpu.cfs_period_us`) of the process's cgroup and of every ancestor is
 * read; the smallest limit wins, rounded up, at least 1, never more than the cores.
 * The parsers are pure; `hostWorkerDefault` does the reading through a small seam.
 */
export interface WorkerDefault {
  readonly workers: number;
  /** Why: the cgroup CPU quota, or the available cores when there is no (smaller) quota. */
  readonly basis: 'cpu_quota' | 'cores';
  readonly cores: number;
  /** The CPU quota in CPUs (e.g. 1.5), when one is set. */
  readonly cpuQuota?: number;
}

/** Reads a text file; undefined when it does not exist or cannot be read. */
export type ReadText = (path: string) => string | undefined;

const CGROUP_ROOT = '/sys/fs/cgroup';
/** Where cgroup v1's cpu controller is usually mounted. */
const V1_CPU_MOUNTS = ['/sys/fs/cgroup/cpu', '/sys/fs/cgroup/cpu,cpuacct', '/sys/fs/cgroup/cpuacct,cpu'];

const positiveInt = (s: string | undefined): number | undefined => {
  if (s === undefined || !/^\d+$/.test(s)) return undefined;
  const n = Number(s);
  return Number.isSafeInteger(n) && n > 0 ? n : undefined;
};

/** cgroup v2 `cpu.max` ("150000 100000", "max 100000") -> CPUs, or undefined for none/garbage. */
export function parseCpuMax(text: string): number | undefined {
  const [quota, period, ...rest] = text.trim().split(/\s+/);
  if (rest.length > 0 || quota === 'max') return undefined;
  const q = positiveInt(quota);
  const p = positiveInt(period);
  return q !== undefined && p !== undefined ? q / p : undefined;
}

/** cgroup v1 `cpu.cfs_quota_us` and `cpu.cfs_period_us` -> CPUs; -1 (no quota) or garbage -> undefined. */
export function parseCfsQuota(quotaText: string, periodText: string): number | undefined {
  const q = positiveInt(quotaText.trim());
  const p = positiveInt(periodText.trim());
  return q !== undefined && p !== undefined ? q / p : undefined;
}

/** A cgroup path and all its ancestors, under `base`, deepest first, ending with `base` itself. */
function withAncestors(base: string, cgroupPath: string): string[] {
  const dirs: string[] = [];
  let p = posix.normalize(`/${cgroupPath}`);
  for (;;) {
    dirs.push(p === '/' ? base : posix.join(base, p));
    if (p === '/') return dirs;
    p = posix.dirname(p);
  }
}

/** The directories whose quota applies to this process, from `/proc/self/cgroup`'s text. */
export function cgroupCpuDirs(procSelfCgroup: string | undefined): { v2: string[]; v1: string[] } {
  let v2Path = '/';
  let v1Path = '/';
  for (const line of (procSelfCgroup ?? '').split('\n')) {
    const m = /^(\d+):([^:]*):(.*)$/.exec(line.trim());
    if (!m) continue;
    if (m[1] === '0' && m[2] === '') v2Path = m[3] || '/';
    else if ((m[2] ?? '').split(',').includes('cpu')) v1Path = m[3] || '/';
  }
  const unique = (dirs: string[]) => [...new Set(dirs)];
  return {
    v2: unique(withAncestors(CGROUP_ROOT, v2Path)),
    v1: unique(V1_CPU_MOUNTS.flatMap((mount) => withAncestors(mount, v1Path))),
  };
}

/** The smallest CPU quota found for this process, in CPUs; undefined when there is none. */
export function cgroupCpuQuota(read: ReadText): number | undefined {
  const dirs = cgroupCpuDirs(read('/proc/self/cgroup'));
  const limits: number[] = [];
  for (const dir of dirs.v2) {
    const text = read(posix.join(dir, 'cpu.max'));
    const limit = text === undefined ? undefined : parseCpuMax(text);
    if (limit !== undefined) limits.push(limit);
  }
  for (const dir of dirs.v1) {
    const quota = read(posix.join(dir, 'cpu.cfs_quota_us'));
    const period = read(posix.join(dir, 'cpu.cfs_period_us'));
    const limit = quota === undefined || period === undefined ? undefined : parseCfsQuota(quota, period);
    if (limit !== undefined) limits.push(limit);
  }
  return limits.length > 0 ? Math.min(...limits) : undefined;
}

/** CPUs per worker of the default (see above: memory first, more workers for throughput). */
export const CPUS_PER_WORKER = 2;

/** Workers for `cores` available cores under an optional quota of `cpuQuota` CPUs. */
export function workerDefaultFor(cores: number, cpuQuota: number | undefined): WorkerDefault {
  const available = Math.max(1, Math.floor(cores));
  const per = (cpus: number) => Math.max(1, Math.ceil(cpus / CPUS_PER_WORKER));
  if (cpuQuota === undefined || !(cpuQuota > 0)) return { workers: per(available), basis: 'cores', cores: available };
  // A float quotient like 2.0000000001 must not become 3.
  const fromQuota = Math.max(1, Math.ceil(Math.round(cpuQuota * 1e6) / 1e6));
  if (fromQuota >= available) return { workers: per(available), basis: 'cores', cores: available, cpuQuota };
  return { workers: per(fromQuota), basis: 'cpu_quota', cores: available, cpuQuota };
}

const readTextOrUndefined: ReadText = (path) => {
  try {
    return readFileSync(path, 'utf8');
  } catch {
    return undefined;
  }
};

/** The default `workers` of this process: the cgroup CPU quota when set and smaller, else the cores. */
export function hostWorkerDefault(
  read: ReadText = readTextOrUndefined,
  cores: number = availableParallelism(),
): WorkerDefault {
  return workerDefaultFor(cores, cgroupCpuQuota(read));
}
