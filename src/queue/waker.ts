/**
 * A wake-up call between the loops of one tenant (the log reader, the shards): `wait` resolves
 * on the next `wake`, when `signal` aborts, or after `timeoutMs`; every timer and listener it
 * sets is removed when it resolves, so a stopped queue leaves nothing behind.
 */
export interface Waker {
  wait(signal: AbortSignal, timeoutMs?: number): Promise<void>;
  wake(): void;
}

export function createWaker(): Waker {
  let waiters: Array<() => void> = [];
  return {
    wait(signal, timeoutMs) {
      return new Promise<void>((resolve) => {
        if (signal.aborted) {
          resolve();
          return;
        }
        let timer: NodeJS.Timeout | undefined;
        const done = () => {
          if (timer !== undefined) clearTimeout(timer);
          signal.removeEventListener('abort', done);
          waiters = waiters.filter((w) => w !== done);
          resolve();
        };
        waiters.push(done);
        signal.addEventListener('abort', done, { once: true });
        if (timeoutMs !== undefined) timer = setTimeout(done, Math.max(0, timeoutMs));
      });
    },
    wake() {
      const now = waiters;
      waiters = [];
      for (const w of now) w();
    },
  };
}
