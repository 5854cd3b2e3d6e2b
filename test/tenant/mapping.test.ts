// biome-ignore-all lint/suspicious/noTemplateCurlyInString: ${name} is the mapping template syntax under test
import { describe, expect, it } from 'vitest';
import { ConfigError, TenantError } from '../../src/errors.js';
import { compileMapping, type MappingRuleInput, utf8LengthAtMost } from '../../src/tenant/mapping.js';
import { normalizeTenantOptions, tenantOptionsFrom, type TenantOptionsInput } from '../../src/tenant/options.js';
import { finalizeTenant, resolveSeriesTenant } from '../../src/tenant/resolve.js';
import { isValidTenantId } from '../../src/tenant/tenant-id.js';
import { labelList } from '../helpers/series.js';

const map = (rules: MappingRuleInput[], value: string) => compileMapping(rules, 'tenant.mapping')!.apply(value);

describe('tenant.mapping rules', () => {
  it('the first matching rule wins; no match keeps the value', () => {
    const rules: MappingRuleInput[] = [
      { match: 'team-(.+)', tenant: '$1' },
      { values: { payments: 'finance', billing: 'finance' } },
      { match: '(.*)', tenant: 'never' },
    ];
    expect(map(rules, 'team-core')).toBe('core');
    expect(map(rules, 'payments')).toBe('finance');
    expect(map(rules, 'other')).toBe('never');
    expect(map(rules.slice(0, 2), 'other')).toBe('other');
  });

  it('anchors the regex at both ends, even when the user did not', () => {
    const rules: MappingRuleInput[] = [{ match: 'team-(.+)', tenant: '$1' }];
    expect(map(rules, 'x-team-core')).toBe('x-team-core');
    expect(map([{ match: 'a|b', tenant: 'ab' }], 'abc')).toBe('abc');
    expect(map([{ match: 'a|b', tenant: 'ab' }], 'b')).toBe('ab');
  });

  it('fills $1..$9, ${name} and $$; a group that took no part is empty', () => {
    expect(map([{ match: '(\\w+)-(prod|dev)', tenant: '$2_$1' }], 'shop-prod')).toBe('prod_shop');
    expect(map([{ match: 'ns-(?<team>[a-z]+)', tenant: 't-${team}' }], 'ns-core')).toBe('t-core');
    expect(map([{ match: 'a(x)?b', tenant: 'y$1z' }], 'ab')).toBe('yz');
    expect(map([{ match: '(1)(2)(3)(4)(5)(6)(7)(8)(9)', tenant: '$9$1' }], '123456789')).toBe('91');
  });

  it('a number in YAML is a tenant text', () => {
    expect(map([{ values: { a: 123 } }], 'a')).toBe('123');
    expect(map([{ match: 'x', tenant: 7 }], 'x')).toBe('7');
  });

  it('values longer than 1,024 bytes skip regex rules, lookup tables still apply', () => {
    const long = `team-${'a'.repeat(1_020)}`;
    const rules: MappingRuleInput[] = [{ match: 'team-(.+)', tenant: 'matched' }, { values: { [long]: 'table' } }];
    expect(map(rules, long)).toBe('table');
    expect(map(rules, `team-${'a'.repeat(1_019)}`)).toBe('matched');
    // Multi-byte characters count by their UTF-8 bytes: 342 x 3 bytes is past the bound.
    expect(map([{ match: '(.+)', tenant: 'm' }], 'é'.repeat(512))).toBe('m');
    expect(map([{ match: '(.+)', tenant: 'm' }], '€'.repeat(342))).toBe('€'.repeat(342));
  });

  it('utf8LengthAtMost counts UTF-8 bytes', () => {
    expect(utf8LengthAtMost('a'.repeat(10), 10)).toBe(true);
    expect(utf8LengthAtMost('a'.repeat(11), 10)).toBe(false);
    expect(utf8LengthAtMost('€'.repeat(341), 1023)).toBe(true);
    expect(utf8LengthAtMost('€'.repeat(342), 1024)).toBe(false);
    expect(utf8LengthAtMost('😀'.repeat(256), 1024)).toBe(true);
    expect(utf8LengthAtMost('😀'.repeat(257), 1024)).toBe(false);
  });

  it.each<[MappingRuleInput[], RegExp]>([
    [[{ match: '(', tenant: 'x' }], /tenant\.mapping\[0\]\.match: "\(" is not a valid regular expression/],
    [[{ values: {} }, { match: '(a+)+', tenant: 'x' }], /tenant\.mapping\[1\]\.match: .*nested quantifier/],
    [[{ match: '(a|aa)*', tenant: 'x' }], /tenant\.mapping\[0\]\.match: .*alternation/],
    [[{ match: '(a)\\1', tenant: 'x' }], /tenant\.mapping\[0\]\.match: .*backreference/],
    [[{ match: 'a(?=b)', tenant: 'x' }], /tenant\.mapping\[0\]\.match: .*lookahead/],
    [[{ match: '(a)', tenant: '$2' }], /tenant\.mapping\[0\]\.tenant: \$2 but the match has 1 group/],
    [[{ match: '(a)', tenant: '${nope}' }], /tenant\.mapping\[0\]\.tenant: \$\{nope\} names no group/],
    [[{ match: '(a)', tenant: '$x' }], /tenant\.mapping\[0\]\.tenant: "\$" must be followed/],
    [[{ match: '(a)', tenant: 'a|$1' }], /tenant\.mapping\[0\]\.tenant: .*federation/],
    [[{ match: '(a)' }], /tenant\.mapping\[0\]\.tenant: a match rule needs a tenant/],
    [[{ values: { a: 'b' }, tenant: 'x' }], /tenant\.mapping\[0\]\.tenant: only a match rule/],
    [[{ values: { a: 'b' }, match: 'x', tenant: 'y' }], /tenant\.mapping\[0\]: a mapping rule has either/],
    [[{}], /tenant\.mapping\[0\]: a mapping rule has either/],
    [[{ values: { a: 'x y' } }], /tenant\.mapping\[0\]\.values\.a: "x y" is not a valid tenant id/],
    [[{ values: { a: '__mimir_cluster' } }], /tenant\.mapping\[0\]\.values\.a: .*Mimir reserves it/],
  ])('refuses a bad rule at load, naming its key: %j', (rules, message) => {
    const err = (() => {
      try {
        compileMapping(rules, 'tenant.mapping');
      } catch (e) {
        return e;
      }
      return undefined;
    })();
    expect(err).toBeInstanceOf(ConfigError);
    expect((err as ConfigError).code).toBe('invalid_value');
    expect((err as ConfigError).message).toMatch(message);
  });
});

describe('tenant.on_missing', () => {
  const resolve = (input: TenantOptionsInput, labels: Record<string, string>) => {
    const o = normalizeTenantOptions(input);
    return resolveSeriesTenant(o, o.prefix, labelList(labels)).tenant;
  };

  it('unset: default when a default is set, else reject (as before)', () => {
    expect(normalizeTenantOptions({}).onMissing).toBe('reject');
    expect(normalizeTenantOptions({ default: 'd' }).onMissing).toBe('default');
    expect(resolve({ default: 'd' }, { job: 'x' })).toBe('d');
    expect(() => resolve({}, { job: 'x' })).toThrow(/no default tenant is configured/);
  });

  it('reject refuses a series without a tenant even with a default (kept for metadata)', () => {
    const err = (() => {
      try {
        resolve({ default: 'd', on_missing: 'reject' }, { job: 'x' });
      } catch (e) {
        return e as TenantError;
      }
      return undefined;
    })();
    expect(err).toBeInstanceOf(TenantError);
    expect(err?.code).toBe('missing_tenant');
    expect(err?.message).toMatch(/series \{job="x"\} has no tenant: .*on_missing is reject/);
  });

  it('drop drops a series without a tenant, with or without a default', () => {
    expect(resolve({ on_missing: 'drop' }, { job: 'x' })).toBeUndefined();
    expect(resolve({ on_missing: 'drop', default: 'd' }, { job: 'x' })).toBeUndefined();
    expect(resolve({ on_missing: 'drop' }, { __tenant__: 't' })).toBe('t');
  });

  it('default without a default tenant is refused at load, naming both keys', () => {
    expect(() => tenantOptionsFrom({ on_missing: 'default' }, { path: 'tenant' })).toThrow(
      /tenant\.on_missing: "default" needs tenant\.default to be set/,
    );
    expect(() => tenantOptionsFrom({ on_missing: 'sometimes' }, { path: 'tenant' })).toThrow(/tenant\.on_missing/);
  });

  it('the default tenant is not mapped (it is a tenant id already)', () => {
    const o = normalizeTenantOptions({
      default: 'payments',
      mapping: [{ values: { payments: 'finance' } }],
    });
    expect(finalizeTenant(o, '', undefined, () => '')).toBe('payments');
    expect(finalizeTenant(o, '', 'payments', () => '')).toBe('finance');
  });

  it('mapping comes before the prefix and the tenant id check', () => {
    const o = normalizeTenantOptions({ prefix: 'p-', mapping: [{ match: 'team-(.+)', tenant: '$1' }] });
    expect(finalizeTenant(o, o.prefix, 'team-a', () => 's')).toBe('p-a');
    expect(() => finalizeTenant(o, o.prefix, 'team-a b', () => 'up{}')).toThrow(
      /invalid tenant "p-a b" \(mapped from "team-a b"\) for series up\{\}/,
    );
  });
});

describe('__mimir_cluster', () => {
  it('is not a valid tenant id, whether labelled, mapped, prefixed or the default', () => {
    expect(isValidTenantId('__mimir_cluster')).toBe(false);
    expect(isValidTenantId('__mimir_cluster2')).toBe(true);
    const o = normalizeTenantOptions({ mapping: [{ match: 'x', tenant: '__mimir_cluster' }] });
    expect(() => finalizeTenant(o, '', 'x', () => 's')).toThrow(/Mimir reserves it/);
    expect(() => finalizeTenant(o, '', '__mimir_cluster', () => 's')).toThrow(TenantError);
    expect(() => normalizeTenantOptions({ default: '__mimir_cluster' }, { path: 'tenant' })).toThrow(
      /tenant\.default: .*Mimir reserves it/,
    );
    expect(() => normalizeTenantOptions({ prefix: '__mimir', default: '_cluster' })).toThrow(ConfigError);
  });
});
