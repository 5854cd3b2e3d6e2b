import { describe, expect, it } from 'vitest';
import { DEFAULT_FLUSH_DEADLINE_MS, flushDeadlineFrom } from '../../src/cli/flush-deadline.js';
import { topLevelUsage } from '../../src/cli/usage.js';

describe('TENANTWIRE_FLUSH_DEADLINE', () => {
  it('defaults to Prometheus flush deadline and takes Go durations', () => {
    expect(flushDeadlineFrom({})).toBe(DEFAULT_FLUSH_DEADLINE_MS);
    expect(flushDeadlineFrom({ TENANTWIRE_FLUSH_DEADLINE: '' })).toBe(DEFAULT_FLUSH_DEADLINE_MS);
    expect(flushDeadlineFrom({ TENANTWIRE_FLUSH_DEADLINE: '1m30s' })).toBe(90_000);
  });

  it.each(['soon', '30', '-5s'])('refuses %j naming the variable', (raw) => {
    expect(() => flushDeadlineFrom({ TENANTWIRE_FLUSH_DEADLINE: raw })).toThrow(/TENANTWIRE_FLUSH_DEADLINE=/);
  });

  it('is listed in the help with the other variables', () => {
    expect(topLevelUsage()).toMatch(/TENANTWIRE_FLUSH_DEADLINE +pipelines: .*default 60s/);
  });
});
