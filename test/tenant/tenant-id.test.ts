import { describe, expect, it } from 'vitest';
import { escapeForMessage, isValidTenantId, MAX_TENANT_ID_BYTES, tenantIdProblem } from '../../src/tenant/tenant-id.js';

describe('tenant id validation', () => {
  it.each([['team-a'], ['A_b.c'], ["x!*'()"], ['0'], ['...'], ['a'.repeat(MAX_TENANT_ID_BYTES)]])(
    'accepts %j',
    (id) => {
      expect(tenantIdProblem(id)).toBeUndefined();
      expect(isValidTenantId(id)).toBe(true);
    },
  );

  it.each([
    ['', /empty/],
    ['.', /may not be "\."/],
    ['..', /may not be "\.\."/],
    ['a|b', /'\|', the query federation separator/],
    ['a\r\nX-Evil: 1', /line break/],
    ['a\nb', /line break/],
    ['a\tb', /control character \\t/],
    ['a b', /" " at position 1/],
    ['a/b', /"\/" at position 1/],
    ['tenant\u00e9', /"é" at position 6/],
    ['a'.repeat(MAX_TENANT_ID_BYTES + 1), /151 bytes long, more than 150/],
  ])('refuses %j', (id, reason) => {
    expect(tenantIdProblem(id)).toMatch(reason);
    expect(isValidTenantId(id)).toBe(false);
  });

  it('escapes control characters and quotes for messages', () => {
    expect(escapeForMessage('a\r\nb"\\')).toBe('a\\r\\nb\\"\\\\');
    expect(escapeForMessage('\u0000')).toBe('\\x00');
    expect(escapeForMessage('x'.repeat(10), 4)).toBe('xxxx...(10 chars)');
  });
});
