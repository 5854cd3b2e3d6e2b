import { describe, expect, it } from 'vitest';
import { effectiveConfigDocument } from '../../src/cli/effective-config.js';
import { parseCortexTenantConfig } from '../../src/config/cortex-tenant.js';
import { ConfigError } from '../../src/errors.js';

const parse = (text: string) => parseCortexTenantConfig(text, 'test.yml', { env: {}, defaultWorkers: 1 });

function refusal(text: string): ConfigError {
  try {
    parse(text);
  } catch (e) {
    expect(e).toBeInstanceOf(ConfigError);
    return e as ConfigError;
  }
  throw new Error('expected a ConfigError');
}

describe('tenant.mapping and tenant.on_missing in the cortex-tenant file', () => {
  it('reads the rules and on_missing, and maps with them', () => {
    const c = parse(
      [
        'tenant:',
        '  label_list: [namespace, team]',
        '  mapping:',
        "    - match: '^team-(.+)$'",
        "      tenant: '$1'",
        '    - values: { payments: finance, billing: 42 }',
        '  on_missing: drop',
      ].join('\n'),
    );
    expect(c.tenant.onMissing).toBe('drop');
    expect(c.tenant.mapping?.rules.map((r) => r.kind)).toEqual(['match', 'values']);
    expect(c.tenant.mapping?.apply('team-core')).toBe('core');
    expect(c.tenant.mapping?.apply('billing')).toBe('42');
    expect(c.tenant.mapping?.apply('other')).toBe('other');
  });

  it('keeps the old behaviour when on_missing is unset', () => {
    expect(parse('tenant: { default: d }').tenant.onMissing).toBe('default');
    expect(parse('tenant: { label: t }').tenant.onMissing).toBe('reject');
    expect(parse('tenant: { mapping: [] }').tenant.mapping).toBeUndefined();
    expect(parse('tenant: { mapping: null }').tenant.mapping).toBeUndefined();
  });

  it.each<[string, RegExp]>([
    ["tenant: { mapping: [ { match: '(a+)+b', tenant: x } ] }", /^test\.yml: tenant\.mapping\[0\]\.match: .*nested/],
    [
      "tenant: { mapping: [ { values: {} }, { match: '[', tenant: x } ] }",
      /tenant\.mapping\[1\]\.match: .*not a valid/,
    ],
    ["tenant: { mapping: [ { match: '(a)', tenant: '$3' } ] }", /tenant\.mapping\[0\]\.tenant: \$3/],
    ['tenant: { mapping: [ { values: { a: "b c" } } ] }', /tenant\.mapping\[0\]\.values\.a: "b c"/],
    ['tenant: { on_missing: default }', /tenant\.on_missing: "default" needs tenant\.default/],
    ['tenant: { default: __mimir_cluster }', /Mimir reserves it/],
  ])('refuses %s naming the key', (text, message) => {
    const e = refusal(text);
    expect(e.code).toBe('invalid_value');
    expect(e.message).toMatch(message);
  });

  it('refuses an unknown rule key or on_missing value with the line', () => {
    const unknown = refusal(['tenant:', '  mapping:', '    - matches: x', '      tenant: y'].join('\n'));
    expect(unknown.code).toBe('unknown_key');
    expect(unknown.message).toMatch(/test\.yml:3: tenant\.mapping\.0\.matches: unknown key/);
    const bad = refusal(['tenant:', '  on_missing: ignore'].join('\n'));
    expect(bad.message).toMatch(/test\.yml:2: tenant\.on_missing/);
  });

  it('the effective configuration logged at start shows the rules and on_missing as written', () => {
    const c = parse(
      ['tenant:', '  mapping:', "    - { match: 'team-(.+)', tenant: '$1' }", '    - values: { a: b }'].join('\n'),
    );
    expect(effectiveConfigDocument(c).tenant).toMatchObject({
      mapping: [{ match: 'team-(.+)', tenant: '$1' }, { values: { a: 'b' } }],
      on_missing: 'reject',
    });
  });
});
