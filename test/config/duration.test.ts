import { describe, expect, it } from 'vitest';
import { formatGoDuration, parseGoDurationMs } from '../../src/config/duration.js';

describe('Go durations', () => {
  it.each([
    ['10s', 10_000],
    ['1m30s', 90_000],
    ['500ms', 500],
    ['1.5h', 5_400_000],
    ['0', 0],
    ['0s', 0],
    ['-2s', -2000],
    ['+1s', 1000],
    ['100us', 0.1],
    ['100µs', 0.1],
    ['1000000ns', 1],
    ['1h2m3s4ms', 3_723_004],
    ['.5s', 500],
  ])('%s', (text, ms) => expect(parseGoDurationMs(text)).toBeCloseTo(ms, 9));

  it.each(['', '10', 's', '1d', '1 s', '1s2', '--1s', '1.s.s'])('refuses %j', (text) => {
    expect(parseGoDurationMs(text)).toBeUndefined();
  });

  it('formats back', () => {
    expect(formatGoDuration(90_000)).toBe('1m30s');
    expect(formatGoDuration(500)).toBe('500ms');
    expect(formatGoDuration(0)).toBe('0s');
    expect(formatGoDuration(3_600_000)).toBe('1h0m0s');
  });
});
