import { describe, expect, it } from 'vitest';
import { parseArgs } from '../../bench/lib/args.js';
import { cpuBetween, cpuSeconds, processTree, treePeakRss } from '../../bench/lib/proc-stats.js';
import { suiteNames } from '../../bench/lib/discover.js';
import { tenantwireConfig } from '../../bench/proxy/targets.js';
import { join } from 'node:path';
import { repoRoot } from '../helpers/peers.js';

describe('bench command line', () => {
  it('reads --quick, --only lists (repeated or with =) and --out', () => {
    expect(parseArgs([])).toEqual({ quick: false, list: false, help: false });
    const a = parseArgs(['--quick', '--only', 'proxy,split', '--only=wire', '--out', '/tmp/x']);
    expect(a).toMatchObject({ quick: true, only: ['proxy', 'split', 'wire'], out: '/tmp/x' });
  });

  it('refuses unknown arguments and missing values', () => {
    expect(() => parseArgs(['--fast'])).toThrow(/unknown argument/);
    expect(() => parseArgs(['--only'])).toThrow(/needs a value/);
  });
});

describe('bench suite discovery and configs', () => {
  it('finds the suites in run order and skips lib, payloads and results', () => {
    const names = suiteNames(join(repoRoot, 'bench'));
    expect(names).toContain('split');
    expect(names).toContain('proxy');
    expect(names).not.toContain('lib');
    expect(names.indexOf('split')).toBeLessThan(names.indexOf('proxy'));
  });

  it('writes a cortex-tenant config with the tenantwire extensions', () => {
    const yaml = tenantwireConfig(
      8080,
      { repoRoot, peersBin: '', sinkPushUrl: 'http://127.0.0.1:9/push', tenantLabel: 'tenant', workers: 2 },
      'decode',
    );
    expect(yaml).toContain('listen: 127.0.0.1:8080\n');
    expect(yaml).toContain('target: http://127.0.0.1:9/push\n');
    expect(yaml).toContain('  label: tenant\n');
    expect(yaml).toContain('split_mode: decode\n');
  });
});

describe('/proc figures', () => {
  it('reads CPU seconds and peak RSS of this process', () => {
    let x = 0;
    for (let i = 0; i < 2e7; i++) x += i % 7;
    expect(x).toBeGreaterThan(0);
    expect(cpuSeconds(process.pid)).toBeGreaterThan(0);
    expect(processTree(process.pid)[0]).toBe(process.pid);
    expect(treePeakRss(process.pid)).toBeGreaterThan(10 * 2 ** 20);
    expect(cpuSeconds(2 ** 22 + 12345)).toBe(0);
  });

  it('counts processes that appeared between snapshots from zero', () => {
    expect(
      cpuBetween(
        new Map([[1, 2]]),
        new Map([
          [1, 3],
          [2, 0.5],
        ]),
      ),
    ).toBeCloseTo(1.5);
  });
});
