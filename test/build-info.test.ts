import { afterEach, describe, expect, it, vi } from 'vitest';
import { AggregatorRegistry, Registry } from 'prom-client';
import { currentBuildInfo, registerBuildInfo, snappyFallbackWarning, warnIfSnappyFallback } from '../src/build-info.js';
import { createProxyMetrics } from '../src/proxy/metrics.js';
import { activeSnappyBackend, napiSnappy, selectSnappyBackend } from '../src/wire/snappy.js';
import { VERSION } from '../src/version.js';
import type { Logger } from '../src/logger.js';

const initial = activeSnappyBackend();
afterEach(() => {
  selectSnappyBackend(initial);
});

describe('tenantwire_build_info', () => {
  it('is 1 with the version, Node.js version and snappy backend as labels, on the proxy registry', async () => {
    const text = await createProxyMetrics({ includeTenant: false, defaultMetrics: false }).registry.metrics();
    const backend = napiSnappy ? 'napi' : 'js';
    expect(text).toContain(
      `tenantwire_build_info{version="${VERSION}",node_version="${process.version}",snappy_backend="${backend}"} 1`,
    );
    expect(text).toMatch(/# TYPE tenantwire_build_info gauge/);
  });

  it('says which backend is active when it is registered', async () => {
    selectSnappyBackend('js');
    const registry = new Registry();
    registerBuildInfo(registry);
    expect(currentBuildInfo().snappyBackend).toBe('js');
    expect(await registry.metrics()).toContain('snappy_backend="js"} 1');
  });

  it('stays 1 when the cluster primary aggregates several workers', async () => {
    const workers = await Promise.all(
      [0, 1, 2].map(async () => {
        const r = new Registry();
        registerBuildInfo(r);
        return r.getMetricsAsJSON();
      }),
    );
    const text = await AggregatorRegistry.aggregate(workers).metrics();
    expect(text).toMatch(/tenantwire_build_info\{[^}]*\} 1\n/);
  });
});

describe('the snappy fallback warning', () => {
  it('names the fallback, the cost, the reason and the fix; nothing with napi', () => {
    const w = snappyFallbackWarning('js', "Cannot find module 'snappy'");
    expect(w).toMatch(/portable JavaScript fallback/);
    expect(w).toMatch(/5x slower/);
    expect(w).toContain("Cannot find module 'snappy'");
    expect(w).toMatch(/npm install snappy/);
    expect(snappyFallbackWarning('napi', undefined)).toBeUndefined();
  });

  it('is logged as a warning only when the fallback is active', () => {
    const warn = vi.fn();
    const logger = { warn } as unknown as Logger;
    selectSnappyBackend('js');
    warnIfSnappyFallback(logger);
    expect(warn).toHaveBeenCalledTimes(1);
    expect(warn.mock.calls[0]?.[1]).toMatch(/did not load/);
    if (selectSnappyBackend('napi')) {
      warnIfSnappyFallback(logger);
      expect(warn).toHaveBeenCalledTimes(1);
    }
  });
});
