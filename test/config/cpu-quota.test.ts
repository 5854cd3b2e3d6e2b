import { describe, expect, it } from 'vitest';
import { availableParallelism } from 'node:os';
import {
  cgroupCpuDirs,
  cgroupCpuQuota,
  hostWorkerDefault,
  parseCfsQuota,
  parseCpuMax,
  workerDefaultFor,
  type ReadText,
} from '../../src/config/cpu-quota.js';
import { parseCortexTenantConfig } from '../../src/config/cortex-tenant.js';

const files =
  (map: Record<string, string>): ReadText =>
  (path) =>
    map[path];

describe('cgroup CPU quota parsing', () => {
  it('reads cgroup v2 cpu.max', () => {
    expect(parseCpuMax('150000 100000\n')).toBe(1.5);
    expect(parseCpuMax('100000 100000')).toBe(1);
    expect(parseCpuMax('max 100000\n')).toBeUndefined();
    for (const garbage of ['', 'max', 'abc def', '-5 100000', '100000 0', '1e5 100000', '100 200 300', '0 100000']) {
      expect(parseCpuMax(garbage), garbage).toBeUndefined();
    }
  });

  it('reads cgroup v1 cfs quota and period (-1: no quota)', () => {
    expect(parseCfsQuota('200000\n', '100000\n')).toBe(2);
    expect(parseCfsQuota('50000', '100000')).toBe(0.5);
    expect(parseCfsQuota('-1\n', '100000\n')).toBeUndefined();
    for (const [q, p] of [
      ['', '100000'],
      ['x', '100000'],
      ['100000', '0'],
      ['100000', 'y'],
      ['0', '100000'],
    ] as const) {
      expect(parseCfsQuota(q, p), `${q}/${p}`).toBeUndefined();
    }
  });

  it("finds the process's cgroup directories and their ancestors from /proc/self/cgroup", () => {
    const dirs = cgroupCpuDirs('12:cpu,cpuacct:/kubepods/pod1/abc\n0::/system.slice/tw.service\n');
    expect(dirs.v2).toEqual([
      '/sys/fs/cgroup/system.slice/tw.service',
      '/sys/fs/cgroup/system.slice',
      '/sys/fs/cgroup',
    ]);
    expect(dirs.v1).toContain('/sys/fs/cgroup/cpu,cpuacct/kubepods/pod1/abc');
    expect(dirs.v1).toContain('/sys/fs/cgroup/cpu/kubepods');
    expect(dirs.v1).toContain('/sys/fs/cgroup/cpu');
    expect(cgroupCpuDirs(undefined)).toEqual({
      v2: ['/sys/fs/cgroup'],
      v1: ['/sys/fs/cgroup/cpu', '/sys/fs/cgroup/cpu,cpuacct', '/sys/fs/cgroup/cpuacct,cpu'],
    });
  });

  it('takes the smallest quota of the cgroup and its ancestors, v2 or v1', () => {
    // A container with its own cgroup namespace: the quota sits at the root.
    expect(cgroupCpuQuota(files({ '/proc/self/cgroup': '0::/\n', '/sys/fs/cgroup/cpu.max': '100000 100000\n' }))).toBe(
      1,
    );
    // A systemd service: its slice is smaller than its own limit.
    expect(
      cgroupCpuQuota(
        files({
          '/proc/self/cgroup': '0::/a.slice/b.service\n',
          '/sys/fs/cgroup/a.slice/b.service/cpu.max': '400000 100000',
          '/sys/fs/cgroup/a.slice/cpu.max': '250000 100000',
          '/sys/fs/cgroup/cpu.max': 'max 100000',
        }),
      ),
    ).toBe(2.5);
    expect(
      cgroupCpuQuota(
        files({
          '/proc/self/cgroup': '4:cpu,cpuacct:/docker/abc\n',
          '/sys/fs/cgroup/cpu,cpuacct/cpu.cfs_quota_us': '150000\n',
          '/sys/fs/cgroup/cpu,cpuacct/cpu.cfs_period_us': '100000\n',
        }),
      ),
    ).toBe(1.5);
    expect(
      cgroupCpuQuota(
        files({
          '/sys/fs/cgroup/cpu/cpu.cfs_quota_us': '-1\n',
          '/sys/fs/cgroup/cpu/cpu.cfs_period_us': '100000\n',
          '/sys/fs/cgroup/cpu.max': 'max 100000\n',
        }),
      ),
    ).toBeUndefined();
    expect(cgroupCpuQuota(files({}))).toBeUndefined();
    expect(cgroupCpuQuota(files({ '/sys/fs/cgroup/cpu.max': 'garbage' }))).toBeUndefined();
  });
});

describe('the default worker count', () => {
  it('one worker per two CPUs: a quota rounded up, at least 1, never above the cores', () => {
    expect(workerDefaultFor(64, 1)).toEqual({ workers: 1, basis: 'cpu_quota', cores: 64, cpuQuota: 1 });
    expect(workerDefaultFor(64, 1.5)).toMatchObject({ workers: 1, basis: 'cpu_quota' });
    expect(workerDefaultFor(64, 0.1)).toMatchObject({ workers: 1, basis: 'cpu_quota' });
    expect(workerDefaultFor(64, 200_000 / 100_000)).toMatchObject({ workers: 1 });
    expect(workerDefaultFor(64, 2.5)).toMatchObject({ workers: 2, basis: 'cpu_quota' });
    expect(workerDefaultFor(64, 4.000000001)).toMatchObject({ workers: 2, basis: 'cpu_quota' });
    expect(workerDefaultFor(4, 16)).toEqual({ workers: 2, basis: 'cores', cores: 4, cpuQuota: 16 });
    expect(workerDefaultFor(8, undefined)).toEqual({ workers: 4, basis: 'cores', cores: 8 });
    expect(workerDefaultFor(2, undefined)).toEqual({ workers: 1, basis: 'cores', cores: 2 });
    expect(workerDefaultFor(3, undefined).workers).toBe(2);
    expect(workerDefaultFor(0, undefined).workers).toBe(1);
  });

  it('reads through the seam: a 1-CPU pod on a 64-core node gets 1 worker', () => {
    const pod = files({ '/proc/self/cgroup': '0::/\n', '/sys/fs/cgroup/cpu.max': '100000 100000\n' });
    expect(hostWorkerDefault(pod, 64)).toMatchObject({ workers: 1, basis: 'cpu_quota', cores: 64 });
    expect(hostWorkerDefault(files({}), 64)).toMatchObject({ workers: 32, basis: 'cores' });
  });

  it('on this machine: a count between 1 and the available cores, with its reason', () => {
    const d = hostWorkerDefault();
    expect(d.workers).toBeGreaterThanOrEqual(1);
    expect(d.workers).toBeLessThanOrEqual(availableParallelism());
    expect(['cpu_quota', 'cores']).toContain(d.basis);
  });

  it('is the config default of `workers`, which says where its count came from', () => {
    const unset = parseCortexTenantConfig('', 't.yml', { env: {} });
    expect(unset.workersFrom).toEqual(hostWorkerDefault());
    expect(unset.workers).toBe(hostWorkerDefault().workers);
    expect(parseCortexTenantConfig('workers: 3\n', 't.yml', { env: {} })).toMatchObject({
      workers: 3,
      workersFrom: 'config',
    });
    expect(parseCortexTenantConfig('', 't.yml', { env: { TENANTWIRE_WORKERS: '5' } })).toMatchObject({
      workers: 5,
      workersFrom: 'config',
    });
  });
});
