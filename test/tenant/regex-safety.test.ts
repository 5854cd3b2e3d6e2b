import { describe, expect, it } from 'vitest';
import { checkRegexSafety, MAX_MAPPED_VALUE_BYTES } from '../../src/tenant/regex-safety.js';

const why = (p: string): string => {
  const r = checkRegexSafety(p);
  return r.ok ? 'ok' : r.why;
};

describe('regex safety check', () => {
  it.each([
    'team-(.+)',
    '^team-(.+)$',
    '([a-z]+)-(prod|dev)',
    '(beep|boop)+',
    '(?:ab|cd){3}',
    '(a+)?',
    '(a{3})+',
    '[a-z]{1,20}',
    '\\d+x\\.y',
    'ns-(?<team>[a-z0-9-]+)',
    '\\p{L}+',
    '(?:(a|b)c)+',
  ])('accepts %s', (p) => {
    expect(why(p)).toBe('ok');
  });

  it.each<[string, RegExp]>([
    ['(a+)+', /nested quantifier/],
    ['(a*)*', /nested quantifier/],
    ['(x+x+)+y', /nested quantifier/],
    ['(a+){10}', /nested quantifier/],
    ['(?:a?){20}', /nested quantifier/],
    ['((a+))+', /nested quantifier/],
    ['(a|aa)+', /alternation/],
    ['(a|a)*', /alternation/],
    ['(ab|a)+', /alternation/],
    ['(a|[ab])+', /alternation/],
    ['(a|)*', /alternation/],
    ['((a|aa))+', /alternation/],
    ['(?:(a|aa)b){50}', /alternation/],
    ['(a)\\1', /backreference/],
    ['(?<x>a)\\k<x>', /backreference/],
    ['a(?=b)', /lookahead/],
    ['a(?!b)', /lookahead/],
    ['(?<=a)b', /lookbehind/],
    ['(?<!a)b', /lookbehind/],
    ['.*a.*a.*b', /too many repetitions/],
    ['a{0,5000}b{0,5000}c{0,50}', /too many repetitions/],
  ])('refuses %s', (p, reason) => {
    expect(why(p)).toMatch(reason);
  });

  it('counts groups and names them for the template', () => {
    const r = checkRegexSafety('(a)(?:b)(?<c>d)[(]\\(');
    expect(r).toEqual({ ok: true, shape: { groups: 2, names: new Set(['c']) } });
  });

  it('the worst accepted shape still ends on the longest value that is matched', () => {
    // Not a timing assertion: two unbounded repetitions on a hostile 1,024-byte value must finish.
    const value = `${'-'.repeat(MAX_MAPPED_VALUE_BYTES - 1)}!`;
    expect(checkRegexSafety('(.*)-(.*)-').ok).toBe(true);
    expect(/^(?:(.*)-(.*)-)$/u.exec(value)).toBeNull();
  });
});
