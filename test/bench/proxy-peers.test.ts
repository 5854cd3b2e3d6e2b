import { chmodSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseArgs } from '../../bench/lib/args.js';
import { CORTEX_TENANT_ENV, locateCortexTenant } from '../../bench/lib/cortex-tenant-path.js';
import { cortexTenantConfig, cortexTenantVersion } from '../../bench/proxy/cortex-tenant-config.js';
import { LABELS, repeatsFor, selected, TARGETS } from '../../bench/proxy/target-list.js';
import { tempDir } from '../helpers/peers.js';

const ROOT = '/srv/repo';

describe('where the bench finds cortex-tenant', () => {
  const only =
    (...paths: string[]) =>
    (p: string): boolean =>
      paths.includes(p);

  it('takes --cortex-tenant first, then the environment, then ../shared/peers beside the repository', () => {
    const env = { [CORTEX_TENANT_ENV]: '/opt/ct-env' };
    const all = only('/opt/ct-flag', '/opt/ct-env', '/srv/shared/peers/cortex-tenant');
    expect(locateCortexTenant({ repoRoot: ROOT, flag: '/opt/ct-flag', env, executable: all })).toEqual({
      found: true,
      path: '/opt/ct-flag',
      source: 'flag',
    });
    expect(locateCortexTenant({ repoRoot: ROOT, env, executable: all })).toMatchObject({
      found: true,
      path: '/opt/ct-env',
      source: 'env',
    });
    expect(locateCortexTenant({ repoRoot: ROOT, env: {}, executable: all })).toMatchObject({
      found: true,
      path: '/srv/shared/peers/cortex-tenant',
      source: 'default',
    });
    // An empty variable is as good as none.
    expect(locateCortexTenant({ repoRoot: ROOT, env: { [CORTEX_TENANT_ENV]: '' }, executable: all }).source).toBe(
      'default',
    );
  });

  it('resolves a relative flag against the repository root', () => {
    const found = locateCortexTenant({ repoRoot: ROOT, flag: 'bin/ct', env: {}, executable: only('/srv/repo/bin/ct') });
    expect(found).toMatchObject({ found: true, path: '/srv/repo/bin/ct' });
  });

  it('reports a missing binary with a note naming where it looked, without falling back', () => {
    const env = { [CORTEX_TENANT_ENV]: '/opt/ct-env' };
    const missing = locateCortexTenant({ repoRoot: ROOT, flag: '/opt/nope', env, executable: only('/opt/ct-env') });
    expect(missing.found).toBe(false);
    if (missing.found) return;
    expect(missing.source).toBe('flag');
    expect(missing.note).toMatch(/cortex-tenant is not installed/);
    expect(missing.note).toContain('/opt/nope');
    expect(missing.note).toContain('--cortex-tenant');
    expect(missing.note).toMatch(/rows are missing/);
    const absent = locateCortexTenant({ repoRoot: ROOT, env: {}, executable: () => false });
    expect(absent).toMatchObject({ found: false, source: 'default', path: '/srv/shared/peers/cortex-tenant' });
  });

  it('checks the file really is executable', () => {
    const dir = tempDir('ct-path');
    try {
      const bin = join(dir.path, 'cortex-tenant');
      writeFileSync(bin, '#!/bin/sh\n');
      chmodSync(bin, 0o644);
      expect(locateCortexTenant({ repoRoot: ROOT, flag: bin, env: {} }).found).toBe(false);
      chmodSync(bin, 0o755);
      expect(locateCortexTenant({ repoRoot: ROOT, flag: bin, env: {} }).found).toBe(true);
    } finally {
      dir.remove();
    }
  });

  it('reads --cortex-tenant from the command line and refuses it without a path', () => {
    expect(parseArgs(['--cortex-tenant', '/x/ct']).cortexTenant).toBe('/x/ct');
    expect(parseArgs(['--cortex-tenant=/y/ct', '--quick'])).toMatchObject({ cortexTenant: '/y/ct', quick: true });
    expect(parseArgs([]).cortexTenant).toBeUndefined();
    expect(() => parseArgs(['--cortex-tenant'])).toThrow(/--cortex-tenant needs a value/);
  });
});

describe('cortex-tenant config of the bench', () => {
  it('has the drop-in keys and none of tenantwire’s own', () => {
    const yaml = cortexTenantConfig({
      port: 8081,
      metricsPort: 9191,
      target: 'http://127.0.0.1:9/push',
      tenantLabel: 'tenant',
    });
    expect(yaml).toContain('listen: 127.0.0.1:8081\n');
    expect(yaml).toContain('listen_metrics_address: 127.0.0.1:9191\n');
    expect(yaml).toContain('target: http://127.0.0.1:9/push\n');
    expect(yaml).toContain('log_level: warn\n');
    expect(yaml).toContain('tenant:\n  label: tenant\n  default: bench-default\n');
    for (const key of ['workers', 'split_mode', 'coalesce', 'queue'])
      expect(yaml).not.toMatch(new RegExp(`^${key}:`, 'm'));
  });

  it('reads the version cortex-tenant logs at start', () => {
    expect(cortexTenantVersion('time="x" level=warning msg="Started vv2.0.0"\n')).toBe('2.0.0');
    expect(cortexTenantVersion('level=info msg="Started v1.13.1"')).toBe('1.13.1');
    expect(cortexTenantVersion('nothing here')).toBeUndefined();
  });
});

describe('proxy rows', () => {
  it('runs the peer comparison at 2 and 8 connections, with half load at 2 for tenantwire and cortex-tenant', () => {
    for (const c of [2, 8]) {
      for (const label of [LABELS.wire(c), LABELS.twoWorkers(c), LABELS.cortexTenant(c), LABELS.vmagent(c)]) {
        const spec = TARGETS.find((t) => t.label === label);
        expect(spec?.connections, label).toBe(c);
        expect(spec?.fullOnly, label).toBeUndefined();
      }
    }
    const half = TARGETS.filter((t) => t.halfLoad === true).map((t) => t.label);
    expect(half.sort()).toEqual([LABELS.cortexTenant(2), LABELS.wire(2)].sort());
    expect(TARGETS.find((t) => t.label === LABELS.twoWorkers(2))?.workers).toBe(2);
    expect(TARGETS.find((t) => t.label === LABELS.cortexTenant(8))?.kind).toBe('cortex-tenant');
    // The other rows keep the load's connections.
    expect(TARGETS.find((t) => t.label === LABELS.decode)?.connections).toBeUndefined();
    expect(new Set(TARGETS.map((t) => t.label)).size).toBe(TARGETS.length);
  });

  it('runs full-only rows only in the full run and opt-in rows only when --rows names them', () => {
    const v2 = TARGETS.find((t) => t.label === LABELS.v2);
    const optIn = TARGETS.find((t) => t.optIn === true);
    const wire = TARGETS.find((t) => t.label === LABELS.wire(2));
    if (!v2 || !optIn || !wire) throw new Error('rows missing');
    expect(selected(v2, { quick: true })).toBe(false);
    expect(selected(v2, { quick: false })).toBe(true);
    expect(selected(optIn, { quick: false })).toBe(false);
    expect(selected(optIn, { quick: false, rows: ['queue mode'] })).toBe(true);
    expect(selected(wire, { quick: true })).toBe(true);
    expect(selected(wire, { quick: true, rows: ['cortex-tenant'] })).toBe(false);
    expect(selected(wire, { quick: true, rows: ['2 connections'] })).toBe(true);
  });
});

describe('runs per row', () => {
  it('gives the peer comparison 3 runs and the other rows 2 in the full run, 1 each in --quick', () => {
    const wire = TARGETS.find((t) => t.label === LABELS.wire(8));
    const decode = TARGETS.find((t) => t.label === LABELS.decode);
    if (!wire || !decode) throw new Error('rows missing');
    expect(repeatsFor(wire, false)).toBe(3);
    expect(repeatsFor(decode, false)).toBe(2);
    expect(repeatsFor(wire, true)).toBe(1);
    expect(repeatsFor(decode, true)).toBe(1);
    expect(TARGETS.filter((t) => t.comparison === true)).toHaveLength(8);
  });
});
