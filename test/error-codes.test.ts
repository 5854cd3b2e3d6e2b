/**
 * Each error family is typed by the union of its codes: an unknown code does not compile (the
 * `@ts-expect-error` lines fail `npm run typecheck` if it ever does), `err.code` narrows after
 * `instanceof`, and the README's "Error codes" table lists exactly the codes in src/errors.ts.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, expectTypeOf, it } from 'vitest';
import { BackPressureError, ReceiverClosedError } from '../src/component/receiver.js';
import {
  AlertingError,
  type AlertingErrorCode,
  ConfigError,
  type ConfigErrorCode,
  ERROR_CODES,
  LimitError,
  type OtlpErrorCode,
  TenantError,
  type TenantErrorCode,
  TenantwireError,
  type TenantwireErrorCode,
  TransportError,
  type TransportErrorCode,
  WireError,
} from '../src/errors.js';
import type { LokiErrorCode } from '../src/loki/loki-errors.js';
import type { LimitErrorCode, WireErrorCode } from '../src/wire/wire-errors.js';
import { repoRoot } from './helpers/peers.js';

describe('error codes at type level', () => {
  it('refuses a code outside the family', () => {
    const made = [
      // @ts-expect-error not a TenantError code
      new TenantError('typo', 'x'),
      // @ts-expect-error not a WireError code
      new WireError('bad_snappy', 'x'),
      // @ts-expect-error a WireError code is not a LimitError code
      new LimitError('truncated', 'x'),
      // @ts-expect-error not a ConfigError code
      new ConfigError('invalid', 'x'),
      // @ts-expect-error lower case is no system code, and not a named transport code
      new TransportError('econnrefused', 'x'),
      // @ts-expect-error not an AlertingError code
      new AlertingError('alertmanager_http_bad', 'x'),
    ];
    // The checks are the compiler's; at run time the classes take any string.
    expect(made.map((e) => e.code)).toEqual([
      'typo',
      'bad_snappy',
      'truncated',
      'invalid',
      'econnrefused',
      'alertmanager_http_bad',
    ]);
  });

  it('accepts the codes and patterns of each family', () => {
    expect(new TransportError('ECONNREFUSED', 'x').code).toBe('ECONNREFUSED');
    expect(new AlertingError('http_timeout', 'x').code).toBe('http_timeout');
    expect(new AlertingError('alertmanager_http_503', 'x').code).toBe('alertmanager_http_503');
    expect(new WireError('bad_json', 'x').code).toBe('bad_json');
    expect(new LimitError('body_too_large', 'x').code).toBe('body_too_large');
  });

  it('narrows err.code after instanceof', () => {
    const codeOf = (e: unknown) => {
      if (e instanceof TenantError) {
        expectTypeOf(e.code).toEqualTypeOf<TenantErrorCode>();
        return e.code;
      }
      if (e instanceof WireError) {
        expectTypeOf(e.code).toEqualTypeOf<
          WireErrorCode | LokiErrorCode | OtlpErrorCode | 'body_unreadable' | 'body_aborted'
        >();
        return e.code;
      }
      if (e instanceof LimitError) {
        expectTypeOf(e.code).toEqualTypeOf<LimitErrorCode | 'body_too_large'>();
        return e.code;
      }
      if (e instanceof ConfigError) expectTypeOf(e.code).toEqualTypeOf<ConfigErrorCode>();
      if (e instanceof TransportError) expectTypeOf(e.code).toEqualTypeOf<TransportErrorCode>();
      if (e instanceof AlertingError) expectTypeOf(e.code).toEqualTypeOf<AlertingErrorCode>();
      if (e instanceof BackPressureError) expectTypeOf(e.code).toEqualTypeOf<'queue_full'>();
      if (e instanceof ReceiverClosedError) expectTypeOf(e.code).toEqualTypeOf<'receiver_closed'>();
      return undefined;
    };
    expect(codeOf(new TenantError('missing_tenant', 'x'))).toBe('missing_tenant');
    expect(codeOf(new LimitError('too_many_elements', 'x'))).toBe('too_many_elements');
    expect(codeOf(new Error('x'))).toBeUndefined();
    // The base stays open for codes raised on it directly; every family fits the root union.
    expectTypeOf(new TenantwireError('queue_full', 'x').code).toEqualTypeOf<'queue_full'>();
    expectTypeOf<TenantErrorCode | ConfigErrorCode | 'queue_full'>().toExtend<TenantwireErrorCode>();
  });

  it('derives each union from its list', () => {
    expectTypeOf<(typeof ERROR_CODES.TenantError)[number]>().toEqualTypeOf<TenantErrorCode>();
    expectTypeOf<(typeof ERROR_CODES.ConfigError)[number]>().toEqualTypeOf<ConfigErrorCode>();
    expectTypeOf<(typeof ERROR_CODES.WireError)[number]>().toEqualTypeOf<WireError['code']>();
    expectTypeOf<(typeof ERROR_CODES.LimitError)[number]>().toEqualTypeOf<LimitError['code']>();
    expectTypeOf<(typeof ERROR_CODES.TransportError)[number]>().toExtend<TransportErrorCode>();
    expectTypeOf<(typeof ERROR_CODES.AlertingError)[number]>().toExtend<AlertingErrorCode>();
  });
});

/** The README's "Error codes" table: class name -> the backquoted codes of its Codes cell. */
function readmeCodes(): Map<string, string[]> {
  const readme = readFileSync(join(repoRoot, 'README.md'), 'utf8');
  const section = readme.split('\n### Error codes\n')[1]?.split(/\n#{2,3} /)[0] ?? '';
  const rows = new Map<string, string[]>();
  for (const line of section.split('\n')) {
    const cells = line.split('|').map((c) => c.trim());
    const name = /^`(\w+Error)`$/.exec(cells[1] ?? '')?.[1];
    const codes = [...(cells[2] ?? '').matchAll(/`([^`]+)`/g)].map((m) => m[1]!);
    if (name) rows.set(name, codes);
  }
  return rows;
}

describe('the README lists every code', () => {
  it('has one row per family, in any order', () => {
    expect([...readmeCodes().keys()].sort()).toEqual(Object.keys(ERROR_CODES).sort());
  });

  it.each(Object.entries(ERROR_CODES))('%s: the README row matches the union', (name, codes) => {
    const listed = readmeCodes().get(name) ?? [];
    expect([...listed].sort()).toEqual([...codes].sort());
    expect(new Set(listed).size).toBe(listed.length);
  });

  it('no family lists a code twice', () => {
    for (const codes of Object.values(ERROR_CODES)) expect(new Set(codes).size).toBe(codes.length);
  });
});
