import { describe, expect, it } from 'vitest';
import { compileTenantPattern, compileTenantPatterns } from '../../src/auth/tenant-pattern.js';

describe('tenant patterns', () => {
  it.each([
    ['team-a', 'team-a', true],
    ['team-a', 'team-ab', false],
    ['team-a', 'Team-a', false],
    ['team-a-*', 'team-a-x', true],
    ['team-a-*', 'team-a-', true],
    ['team-a-*', 'team-a', false],
    ['team-a-*', 'team-b-x', false],
    ['*', 'anything', true],
    ['*-prod', 'eu-prod', true],
    ['*-prod', 'eu-prod-x', false],
    ['a*b*c', 'abc', true],
    ['a*b*c', 'axxbyyc', true],
    ['a*b*c', 'axxcyyb', false],
    ['a*b*c', 'ac', false],
    ['ab*ba', 'aba', false],
    ['ab*ba', 'abba', true],
    ['x**y', 'xy', true],
    ['*a*', 'bab', true],
    ['*a*', 'bbb', false],
  ])('%s against %s: %s', (pattern, tenant, expected) => {
    expect(compileTenantPattern(pattern)(tenant)).toBe(expected);
  });

  it('a list matches when any pattern does; an empty list matches nothing', () => {
    const m = compileTenantPatterns(['team-a', 'team-a-*']);
    expect(['team-a', 'team-a-dev', 'team-b', 'team-ab'].map(m)).toEqual([true, true, false, false]);
    expect(compileTenantPatterns([])('team-a')).toBe(false);
  });

  it('a literal * in a tenant id is matched by the wildcard too (there is no escape)', () => {
    expect(compileTenantPattern('a*')('a*')).toBe(true);
    expect(compileTenantPattern('a*')('ab')).toBe(true);
  });

  it('a long hostile tenant id is matched without backtracking blow-up', () => {
    const m = compileTenantPattern(`${'a*'.repeat(40)}b`);
    expect(m('a'.repeat(150))).toBe(false);
    expect(m(`${'a'.repeat(149)}b`)).toBe(true);
    expect(m(`${'a'.repeat(39)}b`)).toBe(false);
    expect(m(`${'a'.repeat(40)}b`)).toBe(true);
  });
});
