import { describe, expect, it } from 'vitest';
import { ConfigError } from '../../src/errors.js';
import {
  compileTenantOptions,
  normalizeTenantOptions,
  tenantOptionsFrom,
  tenantOptionsSchema,
} from '../../src/tenant/options.js';

describe('tenant options', () => {
  it('defaults like cortex-tenant', () => {
    expect(normalizeTenantOptions(undefined)).toEqual({
      labels: ['__tenant__'],
      prefix: '',
      prefixPreferSource: false,
      labelRemove: false,
      header: 'X-Scope-OrgID',
      default: undefined,
      acceptAll: false,
      mapping: undefined,
      onMissing: 'reject',
      metadata: false,
    });
  });

  it('treats empty label, header and default as unset', () => {
    const o = normalizeTenantOptions({ label: '', header: '', default: '' });
    expect(o.labels).toEqual(['__tenant__']);
    expect(o.header).toBe('X-Scope-OrgID');
    expect(o.default).toBeUndefined();
  });

  it('label_list replaces label and keeps its order (the priority)', () => {
    const o = normalizeTenantOptions({ label: 'ignored', label_list: ['b', 'a', 'b'] });
    expect(o.labels).toEqual(['b', 'a']);
  });

  it('an empty label_list falls back to label', () => {
    expect(normalizeTenantOptions({ label: 'team', label_list: [] }).labels).toEqual(['team']);
  });

  it('maps every key', () => {
    const o = normalizeTenantOptions(
      {
        label: 't',
        prefix: 'p-',
        prefix_prefer_source: true,
        label_remove: true,
        header: 'X-Tenant',
        default: 'd',
        accept_all: true,
      },
      { metadata: true },
    );
    expect(o).toEqual({
      labels: ['t'],
      prefix: 'p-',
      prefixPreferSource: true,
      labelRemove: true,
      header: 'X-Tenant',
      default: 'd',
      acceptAll: true,
      mapping: undefined,
      onMissing: 'default',
      metadata: true,
    });
  });

  it('refuses an invalid default tenant, naming the key', () => {
    expect(() => normalizeTenantOptions({ default: 'a|b' }, { path: 'tenant' })).toThrow(
      /tenant\.default: .*query federation/,
    );
    expect(() => normalizeTenantOptions({ prefix: 'x y', default: 'a' })).toThrow(ConfigError);
  });

  it('refuses a bad header name and empty label names', () => {
    expect(() => normalizeTenantOptions({ header: 'X Scope' })).toThrow(/header/);
    expect(() => normalizeTenantOptions({ label_list: ['a', ''] })).toThrow(/label_list/);
  });

  it('the schema is strict', () => {
    expect(tenantOptionsSchema.safeParse({ lable: 'x' }).success).toBe(false);
    expect(() => tenantOptionsFrom({ lable: 'x' }, { path: 'tenant' })).toThrow(/tenant: .*lable/);
  });

  it('compiles label names to UTF-8 bytes in priority order', () => {
    const c = compileTenantOptions(normalizeTenantOptions({ label_list: ['é', 'b'], header: 'X-Scope-OrgID' }));
    expect(c.labelBytes.map((b) => [...b])).toEqual([[0xc3, 0xa9], [0x62]]);
    expect(c.headerLower).toBe('x-scope-orgid');
  });
});
