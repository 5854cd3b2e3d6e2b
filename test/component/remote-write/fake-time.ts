/**
 * The remote_write tests' time: vitest's fake timers drive Date.now and setTimeout, so `clock`
 * (the queue's Clock over them) is fake too. `useFakeTime()` installs them around every test and
 * stops, after each test, the components `startComponent` started.
 */
import { afterEach, beforeEach, vi } from 'vitest';
import type { RemoteWriteComponent } from '../../../src/component/remote-write/component.js';
import { realSleep } from '../../../src/transport/sleep.js';

export const clock = { now: () => Date.now(), sleep: realSleep, random: () => 0 };
export const URL_ = 'http://cortex.invalid/api/v1/push';

const stops: (() => Promise<void>)[] = [];

export function useFakeTime(): void {
  beforeEach(() => {
    vi.useFakeTimers({ now: 1_700_000_000_000 });
  });
  afterEach(async () => {
    for (const s of stops.splice(0)) await s();
    vi.useRealTimers();
  });
}

/** Runs `c` until the end of the test, then aborts it and lets it flush under the fake timers. */
export function startComponent(c: RemoteWriteComponent): void {
  const ac = new AbortController();
  const done = c.run(ac.signal);
  stops.push(async () => {
    ac.abort();
    await vi.runAllTimersAsync();
    await done;
  });
}
