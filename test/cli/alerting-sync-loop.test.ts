import { PassThrough } from 'node:stream';
import { describe, expect, it } from 'vitest';
import type { SyncReport } from '../../src/alerting/syncer.js';
import { runSyncLoop } from '../../src/cli/alerting-sync-loop.js';
import { createLogger } from '../../src/logger.js';

function capturedLogger() {
  const stream = new PassThrough();
  const lines: Record<string, unknown>[] = [];
  stream.on('data', (b: Buffer) => {
    for (const l of b.toString().split('\n')) if (l) lines.push(JSON.parse(l) as Record<string, unknown>);
  });
  return { logger: createLogger('info', stream), lines };
}

describe('alerting sync loop', () => {
  it(
    'waits the interval between reconciles, resyncs fully on its own interval, ' + 'logs each outcome at info',
    async () => {
      const { logger, lines } = capturedLogger();
      const stop = new AbortController();
      const fulls: boolean[] = [];
      const sleeps: number[] = [];
      let now = 0;
      const reports: SyncReport[] = [
        { full: true, posted: ['c1'], deleted: [], applied: ['c1'], failed: [] },
        {
          full: false,
          posted: [],
          deleted: ['old'],
          applied: [],
          failed: [{ clusterId: 'c2', error: 'store: 500 boom' }],
        },
        { full: true, posted: [], deleted: [], applied: [], failed: [] },
      ];
      const syncer = {
        reconcile: async (o?: { full?: boolean }) => {
          fulls.push(o?.full ?? false);
          const r = reports[fulls.length - 1] as SyncReport;
          if (fulls.length === reports.length) stop.abort();
          return r;
        },
      };
      await runSyncLoop(syncer, stop.signal, {
        intervalMs: 30_000,
        resyncIntervalMs: 50_000,
        logger,
        clock: () => now,
        sleep: async (ms) => {
          sleeps.push(ms);
          now += ms;
          return true;
        },
      });
      expect(sleeps).toEqual([30_000, 30_000]);
      expect(fulls).toEqual([true, false, true]);
      expect(lines.map((l) => l.level)).toEqual(['info', 'warn', 'info']);
      expect(lines[0]).toMatchObject({
        stored: ['c1'],
        confirmed: ['c1'],
        counts: { stored: 1, confirmed: 1, failed: 0 },
      });
      expect(lines[1]).toMatchObject({ deleted: ['old'], failed: [{ cluster: 'c2', reason: 'store: 500 boom' }] });
      expect(String(lines[1]?.msg)).toMatch(/1 deleted, 0 confirmed, 1 failed/);
    },
  );
});
