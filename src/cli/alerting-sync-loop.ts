/**
 * The loop of `tenantwire alerting sync`: reconcile, log what happened, wait an interval; a
 * full resync (read back every cluster) every resync interval. Every reconcile's outcome is one
 * log line: the clusters stored, deleted, confirmed applied and failed (with the reason).
 */
import type { AlertingSyncer, SyncReport } from '../alerting/syncer.js';
import type { Logger } from '../logger.js';
import { realSleep, type Sleep } from '../transport/sleep.js';

/** Ids listed per outcome in one log line; the counts are always complete. */
const MAX_LISTED = 20;

export interface SyncLoopOptions {
  readonly intervalMs: number;
  readonly resyncIntervalMs: number;
  readonly logger: Logger;
  readonly clock?: () => number;
  readonly sleep?: Sleep;
}

/** Logs one reconcile: info when nothing failed, warn otherwise. */
export function logSyncReport(logger: Logger, report: SyncReport): void {
  const list = <T>(a: readonly T[]): T[] => a.slice(0, MAX_LISTED);
  const fields = {
    full: report.full,
    stored: list(report.posted),
    deleted: list(report.deleted),
    confirmed: list(report.applied),
    failed: list(report.failed).map((f) => ({ cluster: f.clusterId, reason: f.error })),
    counts: {
      stored: report.posted.length,
      deleted: report.deleted.length,
      confirmed: report.applied.length,
      failed: report.failed.length,
    },
  };
  const summary =
    `alerting reconcile${report.full ? ' (full)' : ''}: ${report.posted.length} stored, ${report.deleted.length} ` +
    `deleted, ${report.applied.length} confirmed, ${report.failed.length} failed`;
  if (report.failed.length > 0) logger.warn(fields, summary);
  else logger.info(fields, summary);
}

export async function runSyncLoop(
  syncer: Pick<AlertingSyncer, 'reconcile'>,
  signal: AbortSignal,
  options: SyncLoopOptions,
): Promise<void> {
  const clock = options.clock ?? Date.now;
  const sleep = options.sleep ?? realSleep;
  let lastFull: number | undefined;
  while (!signal.aborted) {
    const full = lastFull === undefined || clock() - lastFull >= options.resyncIntervalMs;
    if (full) lastFull = clock();
    try {
      logSyncReport(options.logger, await syncer.reconcile({ full, signal }));
    } catch (e) {
      options.logger.error({ err: e instanceof Error ? e.message : String(e) }, 'alerting reconcile failed');
    }
    if (signal.aborted) break;
    await sleep(options.intervalMs, signal);
  }
}
