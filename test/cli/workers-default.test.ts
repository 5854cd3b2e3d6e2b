import { afterEach, describe, expect, it } from 'vitest';
import { existsSync, mkdirSync, rmdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { freePort, repoRoot, tempDir, waitForHttp } from '../helpers/peers.js';
import { startCommand } from '../helpers/tenantwire-process.js';

/**
 * The `workers` default under a real CPU quota: the built CLI runs inside a cgroup limited to
 * one CPU, so it must start one process however many cores the host has. Needs permission to
 * create a cgroup (root on cgroup v1, or a delegated v2 subtree); skipped otherwise.
 */
interface CpuCgroup {
  readonly procs: string;
  remove(): void;
}

function makeOneCpuCgroup(): CpuCgroup | undefined {
  const name = `tenantwire-test-${process.pid}-${Date.now()}`;
  const attempts: { dir: string; limit: (dir: string) => void }[] = [
    { dir: join('/sys/fs/cgroup/cpu', name), limit: (d) => writeFileSync(join(d, 'cpu.cfs_quota_us'), '100000') },
    { dir: join('/sys/fs/cgroup', name), limit: (d) => writeFileSync(join(d, 'cpu.max'), '100000 100000') },
  ];
  for (const { dir, limit } of attempts) {
    try {
      mkdirSync(dir);
    } catch {
      continue;
    }
    try {
      limit(dir);
      if (existsSync(join(dir, 'cgroup.procs')))
        return { procs: join(dir, 'cgroup.procs'), remove: () => rmdirSync(dir) };
    } catch {
      // not this hierarchy
    }
    rmdirSync(dir);
  }
  return undefined;
}

const probe = makeOneCpuCgroup();
probe?.remove();

const cleanups: (() => unknown)[] = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

describe('workers default under a CPU quota', () => {
  it.skipIf(probe === undefined)(
    'a 1-CPU cgroup gets one worker, and the log says it came from the quota',
    async () => {
      const cgroup = makeOneCpuCgroup();
      if (!cgroup) throw new Error('cannot create the cgroup any more');
      const dir = tempDir('workers-default');
      cleanups.push(() => dir.remove());
      const port = await freePort();
      const config = join(dir.path, 'cortex-tenant.yml');
      writeFileSync(
        config,
        `listen: 127.0.0.1:${port}\nlisten_metrics_address: 127.0.0.1:0\ntarget: ` +
          `http://127.0.0.1:9/push\nlog_level: info\ntimeout_shutdown: 0s\n`,
      );
      // The shell moves itself into the cgroup, then becomes tenantwire (same pid).
      const tw = startCommand(
        'sh',
        [
          '-c',
          `echo $$ > "${cgroup.procs}" && exec "$0" "$@"`,
          process.execPath,
          join(repoRoot, 'dist/main.js'),
          '--config',
          config,
        ],
        {
          env: { TENANTWIRE_WORKERS: '' },
        },
      );
      cleanups.push(async () => {
        await tw.stop(5_000);
        cgroup.remove();
      });
      await waitForHttp(`http://127.0.0.1:${port}/alive`, undefined, 20_000).catch((e: Error) => {
        throw new Error(`${e.message}\n${tw.output()}`);
      });
      const out = tw.output();
      const line = out.split('\n').find((l) => l.includes('"msg":"serving in one process"'));
      expect(line, out).toBeDefined();
      expect(JSON.parse(line ?? '{}')).toMatchObject({ workers: 1, workers_from: 'cpu_quota', cpu_quota: 1 });
      const config_ = (
        JSON.parse(out.split('\n').find((l) => l.includes('"msg":"effective configuration"')) ?? '{}') as {
          config: { workers: number };
        }
      ).config;
      expect(config_.workers).toBe(1);
      expect(out).not.toContain('starting workers');
    },
    40_000,
  );
});
