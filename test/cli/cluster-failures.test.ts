import { afterEach, describe, expect, it } from 'vitest';
import { createServer, type Server } from 'node:net';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { WORKER_RESTART_LIMIT } from '../../src/cli/restart-budget.js';
import { startTenantwire, type TenantwireProcess } from '../helpers/tenantwire-process.js';
import { freePort, tempDir, waitForHttp } from '../helpers/peers.js';

/**
 * Cluster mode with real processes: a worker that cannot start stops the whole process with the
 * reason, and a crash loop ends in a non-zero exit instead of restarting forever.
 */
const cleanups: (() => unknown)[] = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

async function configFile(listenPort: number, lines: string[] = []): Promise<string> {
  const dir = tempDir('cluster');
  cleanups.push(() => dir.remove());
  const path = join(dir.path, 'cortex-tenant.yml');
  writeFileSync(
    path,
    [
      `listen: 127.0.0.1:${listenPort}`,
      `listen_metrics_address: 127.0.0.1:${await freePort()}`,
      'target: http://127.0.0.1:9/api/v1/push',
      'timeout_shutdown: 100ms',
      'workers: 2',
      ...lines,
      '',
    ].join('\n'),
  );
  return path;
}

function start(config: string): TenantwireProcess {
  const tw = startTenantwire(['--config', config]);
  cleanups.push(() => tw.stop(2_000));
  return tw;
}

/** The exit code, or 'still running' after `ms`. */
async function exitWithin(tw: TenantwireProcess, ms: number): Promise<number | null | 'still running'> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<'still running'>((r) => {
    timer = setTimeout(() => r('still running'), ms);
  });
  const result = await Promise.race([tw.exited, timeout]);
  clearTimeout(timer);
  return result;
}

/** Pids of the workers that logged `listening`, in order. */
function listeningPids(output: string): number[] {
  const pids: number[] = [];
  for (const line of output.split('\n')) {
    if (!line.includes('"msg":"listening"')) continue;
    try {
      const pid = (JSON.parse(line) as { pid?: number }).pid;
      if (typeof pid === 'number') pids.push(pid);
    } catch {
      // a line split across chunks: the next poll sees it whole
    }
  }
  return pids;
}

describe('cluster mode failures', () => {
  it('exits non-zero with the reason on stderr when the workers cannot bind the port', async () => {
    const busy: Server = createServer();
    await new Promise<void>((r) => busy.listen(0, '127.0.0.1', r));
    cleanups.push(() => new Promise((r) => busy.close(r)));
    const address = busy.address();
    const port = typeof address === 'object' && address ? address.port : 0;

    const tw = start(await configFile(port));
    const code = await exitWithin(tw, 20_000);
    expect(code, tw.output()).not.toBe('still running');
    expect(code).not.toBe(0);
    expect(tw.output()).toMatch(/failed to start: .*EADDRINUSE/);
  }, 30_000);

  it(`gives up and exits non-zero when workers crash more than ${WORKER_RESTART_LIMIT} ` +
    `times in the window`, async () => {
    const port = await freePort();
    const tw = start(await configFile(port, ['log_level: info']));
    await waitForHttp(`http://127.0.0.1:${port}/alive`, undefined, 20_000);

    const killed = new Set<number>();
    const deadline = Date.now() + 45_000;
    while (tw.process.exitCode === null && killed.size < WORKER_RESTART_LIMIT + 4 && Date.now() < deadline) {
      const victim = listeningPids(tw.output()).find((pid) => !killed.has(pid));
      if (victim === undefined) {
        await new Promise((r) => setTimeout(r, 25));
        continue;
      }
      killed.add(victim);
      process.kill(victim, 'SIGKILL');
      // Replaced after the first crash: the port still answers.
      if (killed.size === 1) await waitForHttp(`http://127.0.0.1:${port}/alive`, undefined, 10_000);
    }
    const code = await exitWithin(tw, 15_000);
    expect(code, tw.output().slice(-3000)).not.toBe('still running');
    expect(code).not.toBe(0);
    expect(killed.size).toBeGreaterThan(WORKER_RESTART_LIMIT);
    expect(tw.output()).toContain(`more than the ${WORKER_RESTART_LIMIT} restarts allowed`);
  }, 70_000);
});
