/**
 * deploy/systemd/tenantwire.service: checked with `systemd-analyze verify` where systemd is
 * installed (the issue allows its absence: the test says it skipped), and against the config
 * it starts with.
 */
import { execFile, spawnSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, describe, expect, it } from 'vitest';
import { shutdownDeadlineMs } from '../../src/cli/shutdown-deadline.js';
import { parseCortexTenantConfig } from '../../src/config/cortex-tenant.js';
import { parseGoDurationMs } from '../../src/config/duration.js';
import { repoRoot, tempDir } from '../helpers/peers.js';

const run = promisify(execFile);
const unitText = readFileSync(join(repoRoot, 'deploy/systemd/tenantwire.service'), 'utf8');
const hasAnalyze = spawnSync('systemd-analyze', ['--version']).status === 0;

/** `Key=value` lines of the [Service] section (a key may repeat). */
function section(name: string): Array<[string, string]> {
  const out: Array<[string, string]> = [];
  let current = '';
  for (const line of unitText.split('\n')) {
    const t = line.trim();
    if (t.startsWith('#') || t === '') continue;
    const head = /^\[(\w+)\]$/.exec(t);
    if (head) current = head[1] ?? '';
    else if (current === name) {
      const i = t.indexOf('=');
      out.push([t.slice(0, i), t.slice(i + 1)]);
    }
  }
  return out;
}
const service = section('Service');
const value = (key: string) => service.filter(([k]) => k === key).map(([, v]) => v);

describe('the systemd unit', () => {
  const dir = tempDir('systemd');
  afterAll(() => dir.remove());
  const imageConfig = readFileSync(join(repoRoot, 'deploy/docker/cortex-tenant.yml'), 'utf8');

  it('runs the CLI with the config path as a dedicated user, restarts on failure, hardened', () => {
    expect(value('ExecStart')).toEqual(['/usr/local/bin/tenantwire --config /etc/tenantwire/cortex-tenant.yml']);
    expect(value('User')).toEqual(['tenantwire']);
    expect(readFileSync(join(repoRoot, 'deploy/systemd/tenantwire.sysusers'), 'utf8')).toMatch(/^u tenantwire /m);
    expect(value('Restart')).toEqual(['on-failure']);
    for (const [key, v] of [
      ['NoNewPrivileges', 'yes'],
      ['ProtectSystem', 'strict'],
      ['ProtectHome', 'yes'],
      ['PrivateTmp', 'yes'],
      ['CapabilityBoundingSet', ''],
    ] as const) {
      expect(value(key), key).toEqual([v]);
    }
    // ProtectSystem=strict: the state directory is the one writable place, the config's data_dir.
    const config = parseCortexTenantConfig(imageConfig, 'cortex-tenant.yml', { env: {} });
    expect(`/var/lib/${value('StateDirectory')[0]}`).toBe(config.dataDir);
  });

  it('gives the graceful stop more time than its deadline, queue mode included', () => {
    const queued = parseCortexTenantConfig(imageConfig, 'c.yml', { env: { TENANTWIRE_QUEUE_DIR: 'queue' } });
    expect(parseGoDurationMs(value('TimeoutStopSec')[0] ?? '')).toBeGreaterThan(shutdownDeadlineMs(queued));
  });

  it.skipIf(!hasAnalyze)(
    'passes `systemd-analyze verify` with no warning (skipped: no systemd-analyze here)',
    async () => {
      // verify needs ExecStart to exist: point it at the built CLI, executable like the installed bin.
      const unit = join(dir.path, 'tenantwire.service');
      writeFileSync(
        unit,
        unitText.replace('ExecStart=/usr/local/bin/tenantwire', `ExecStart=${join(repoRoot, 'dist/main.js')}`),
      );
      const ok = await run('systemd-analyze', ['verify', unit], { timeout: 30_000 }).catch(
        (e: { stderr?: string; message: string }) => {
          throw new Error(`${e.message}: ${e.stderr}`);
        },
      );
      expect(`${ok.stdout}${ok.stderr}`).toBe('');
      // The check can fail: a misspelt key is reported.
      const bad = join(dir.path, 'bad.service');
      writeFileSync(
        bad,
        unitText
          .replace('ExecStart=/usr/local/bin/tenantwire', `ExecStart=${join(repoRoot, 'dist/main.js')}`)
          .replace('Restart=', 'Restrat='),
      );
      const warned = await run('systemd-analyze', ['verify', bad], { timeout: 30_000 });
      expect(warned.stderr).toContain("Unknown key 'Restrat'");
    },
    40_000,
  );
});
