/**
 * `--watch` re-applies pipeline files only. With a cortex-tenant config or the embedded default
 * it used to be accepted and silently ignored, promising reloads that never happened; it is now
 * refused at start with exit 2, naming the flag.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { tempDir } from '../helpers/peers.js';
import { startTenantwire } from '../helpers/tenantwire-process.js';

const tmp = tempDir('tenantwire-watch-');
afterAll(() => tmp.remove());

async function exitOf(args: string[]): Promise<{ code: number | null; output: string }> {
  const tw = startTenantwire(args, { cwd: tmp.path });
  const code = await Promise.race([tw.exited, new Promise<'running'>((r) => setTimeout(() => r('running'), 10_000))]);
  if (code === 'running') await tw.stop(2_000);
  return { code: code === 'running' ? -1 : code, output: tw.output() };
}

describe('--watch outside a pipeline file', () => {
  it('is refused with a cortex-tenant config, exit 2, naming the flag and the file', async () => {
    const file = join(tmp.path, 'ct.yml');
    writeFileSync(file, 'listen: 127.0.0.1:0\nlisten_metrics_address: 127.0.0.1:0\nworkers: 1\n');
    const { code, output } = await exitOf(['--config', file, '--watch']);
    expect(code).toBe(2);
    expect(output).toContain('tenantwire: --watch works with pipeline files only');
    expect(output).toContain('ct.yml');
  });
  it('is refused with the embedded default, exit 2', async () => {
    const { code, output } = await exitOf(['--watch']);
    expect(code).toBe(2);
    expect(output).toContain('tenantwire: --watch works with pipeline files only: the embedded default');
  });
});
