import { describe, expect, it } from 'vitest';
import {
  createRestartBudget,
  WORKER_RESTART_LIMIT,
  WORKER_RESTART_MAX_DELAY_MS,
  WORKER_RESTART_WINDOW_MS,
} from '../../src/cli/restart-budget.js';

describe('createRestartBudget', () => {
  it(`restarts up to ${WORKER_RESTART_LIMIT} times within the window with growing delays, then gives up`, () => {
    const budget = createRestartBudget();
    const delays: number[] = [];
    for (let i = 0; i < WORKER_RESTART_LIMIT; i++) {
      const d = budget.crashed(1_000 + i);
      expect(d.restart).toBe(true);
      if (d.restart) delays.push(d.delayMs);
    }
    expect(delays).toEqual([...delays].sort((a, b) => a - b));
    expect(new Set(delays).size).toBe(delays.length);
    expect(Math.max(...delays)).toBeLessThanOrEqual(WORKER_RESTART_MAX_DELAY_MS);
    expect(budget.crashed(1_000 + WORKER_RESTART_LIMIT)).toEqual({ restart: false, recent: WORKER_RESTART_LIMIT + 1 });
  });

  it('forgets crashes older than the window, so rare crashes are always restarted', () => {
    const budget = createRestartBudget();
    for (let i = 0; i < 50; i++) {
      const d = budget.crashed(i * (WORKER_RESTART_WINDOW_MS / 2));
      expect(d.restart).toBe(true);
      expect(d.recent).toBeLessThanOrEqual(2);
    }
  });

  it('takes its limit, window and delays from options', () => {
    const budget = createRestartBudget({ limit: 1, windowMs: 10, baseDelayMs: 7, maxDelayMs: 7 });
    expect(budget.crashed(0)).toEqual({ restart: true, delayMs: 7, recent: 1 });
    expect(budget.crashed(5).restart).toBe(false);
    expect(budget.crashed(100)).toEqual({ restart: true, delayMs: 7, recent: 1 });
  });
});
