import { describe, expect, it } from 'vitest';
import { TenantError } from '../../src/errors.js';
import { normalizeTenantOptions, type TenantOptionsInput } from '../../src/tenant/options.js';
import { describeLabels, resolveSeriesTenant, tenantPrefixFor } from '../../src/tenant/resolve.js';
import type { Label } from '../../src/wire/types.js';

const L = (o: Record<string, string>): Label[] => Object.entries(o).map(([name, value]) => ({ name, value }));

function resolve(input: TenantOptionsInput, labels: Record<string, string>, source?: string) {
  const o = normalizeTenantOptions(input);
  return resolveSeriesTenant(o, tenantPrefixFor(o, source), L(labels));
}

describe('resolving a series tenant', () => {
  it.each<[string, TenantOptionsInput, Record<string, string>, string | undefined, string, number]>([
    ['default label', {}, { __name__: 'up', __tenant__: 'a' }, undefined, 'a', 1],
    ['custom label', { label: 'team' }, { team: 'x', __tenant__: 'a' }, undefined, 'x', 0],
    ['list priority: first listed wins', { label_list: ['t1', 't2'] }, { t2: 'two', t1: 'one' }, undefined, 'one', 1],
    ['list priority: second when first absent', { label_list: ['t1', 't2'] }, { t2: 'two' }, undefined, 'two', 0],
    ['list priority: empty value skipped', { label_list: ['t1', 't2'] }, { t1: '', t2: 'two' }, undefined, 'two', 1],
    ['default when missing', { default: 'dflt' }, { __name__: 'up' }, undefined, 'dflt', -1],
    ['default when empty', { default: 'dflt' }, { __tenant__: '' }, undefined, 'dflt', -1],
    ['prefix', { prefix: 'p-' }, { __tenant__: 'a' }, undefined, 'p-a', 0],
    ['prefix on default', { prefix: 'p-', default: 'd' }, {}, undefined, 'p-d', -1],
    ['prefer source', { prefix: 'p-', prefix_prefer_source: true }, { __tenant__: 'a' }, 'src', 'src-a', 0],
    [
      'prefer source, empty header keeps prefix',
      { prefix: 'p-', prefix_prefer_source: true },
      { __tenant__: 'a' },
      '',
      'p-a',
      0,
    ],
    ['prefer source off ignores header', { prefix: 'p-' }, { __tenant__: 'a' }, 'src', 'p-a', 0],
  ])('%s', (_name, input, labels, source, tenant, labelIndex) => {
    expect(resolve(input, labels, source)).toEqual({ tenant, labelIndex });
  });

  it('missing tenant without default: missing_tenant naming the labels and the series', () => {
    try {
      resolve({ label_list: ['team', 'tenant'] }, { __name__: 'http_requests_total', job: 'api' });
      expect.unreachable();
    } catch (e) {
      expect(e).toBeInstanceOf(TenantError);
      expect((e as TenantError).code).toBe('missing_tenant');
      expect((e as TenantError).message).toMatch(/"team", "tenant"/);
      expect((e as TenantError).message).toMatch(/http_requests_total\{job="api"\}/);
    }
  });

  it('invalid final id: invalid_tenant, value escaped', () => {
    try {
      resolve({}, { __name__: 'up', __tenant__: 'a\r\nX-Injected: 1' });
      expect.unreachable();
    } catch (e) {
      expect((e as TenantError).code).toBe('invalid_tenant');
      expect((e as TenantError).message).toContain('a\\r\\nX-Injected: 1');
      expect((e as TenantError).message).not.toMatch(/[\r\n]/);
      expect((e as TenantError).message).toMatch(/up\{/);
    }
  });

  it('validates the final id, prefix included', () => {
    expect(() => resolve({ prefix_prefer_source: true }, { __tenant__: 'a' }, 'x|y')).toThrow(/federation/);
    expect(() => resolve({ prefix: 'p' }, { __tenant__: 'a'.repeat(150) })).toThrow(/151 bytes/);
  });

  it('describes a series safely', () => {
    expect(describeLabels(L({ __name__: 'up', a: 'x"y' }))).toBe('up{a="x\\"y"}');
    expect(describeLabels(L({ a: 'v'.repeat(500) })).length).toBeLessThan(320);
  });
});
