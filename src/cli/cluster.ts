import cluster, { type Worker } from 'node:cluster';
import { AggregatorRegistry } from 'prom-client';
import type { Logger } from '../logger.js';
import { answerMetricsRequests } from './cluster-metrics.js';
import { startMetricsListener } from './metrics-listener.js';
import {
  createRestartBudget,
  WORKER_RESTART_LIMIT,
  WORKER_RESTART_WINDOW_MS,
  type RestartBudgetOptions,
} from './restart-budget.js';

export { clusterMetricsText, shareWorkerRegistry } from './cluster-metrics.js';

/**
 * Multi-core serving: the primary forks `workers` processes that share the listening socket
 * (node:cluster), forwards SIGTERM/SIGINT and waits for every worker to drain. A worker that
 * exits before it listens (a busy port, an unreadable certificate) stops the whole process
 * with that reason: the others cannot serve it either, and a primary that kept answering
 * /metrics would look alive. A worker that crashes after it started is replaced with backoff
 * until it crashes more than the restart budget allows (restart-budget.ts); then the primary
 * gives up the same way.
 */
const WORKER_FAILED = 'tenantwire:worker-failed';

export interface PrimaryOptions {
  readonly workers: number;
  readonly logger: Logger;
  /** How long workers get to drain after SIGTERM before they are killed (ms). */
  readonly drainTimeoutMs: number;
  /** Serve the aggregated /metrics here too (cortex-tenant's listen_metrics_address). */
  readonly metricsAddress?: string;
  /** Overrides for tests; the defaults are WORKER_RESTART_*. */
  readonly restartBudget?: RestartBudgetOptions;
}

/** Runs the primary until a signal stops it or its workers fail; resolves with the exit code. */
export async function runPrimary(options: PrimaryOptions): Promise<number> {
  const { logger } = options;
  const aggregator = new AggregatorRegistry();
  const budget = createRestartBudget(options.restartBudget);
  const limit = options.restartBudget?.limit ?? WORKER_RESTART_LIMIT;
  const windowMs = options.restartBudget?.windowMs ?? WORKER_RESTART_WINDOW_MS;
  const metricsServer = options.metricsAddress
    ? await startMetricsListener(
        options.metricsAddress,
        async () => ({ contentType: aggregator.contentType, text: await aggregator.clusterMetrics() }),
        logger,
      )
    : undefined;

  const live = new Set<Worker>();
  const started = new Set<Worker>();
  const slots = new Map<Worker, number>();
  const reasons = new Map<Worker, string>();
  const restartTimers = new Set<NodeJS.Timeout>();
  let stopping = false;
  let exitCode = 0;
  let killTimer: NodeJS.Timeout | undefined;
  let finish: (code: number) => void = () => {};
  const done = new Promise<number>((resolve) => {
    finish = resolve;
  });

  const stop = (why: string, code: number) => {
    if (stopping) return;
    stopping = true;
    exitCode = code;
    process.off('SIGTERM', onSignal);
    process.off('SIGINT', onSignal);
    for (const t of restartTimers) clearTimeout(t);
    metricsServer?.close();
    logger.info({ why, workers: live.size }, 'stopping workers');
    if (live.size === 0) return finish(exitCode);
    for (const w of live) w.process.kill('SIGTERM');
    killTimer = setTimeout(() => {
      logger.error({ workers: live.size }, 'workers did not drain in time; killing them');
      exitCode = 1;
      for (const w of live) w.process.kill('SIGKILL');
    }, options.drainTimeoutMs + 10_000);
  };
  function onSignal(signal: NodeJS.Signals) {
    stop(signal, 0);
  }
  const fail = (reason: string) => {
    process.stderr.write(`tenantwire: ${reason}; stopping the other workers\n`);
    logger.error({ reason }, 'giving up: stopping every worker');
    stop('a worker failed', 1);
  };

  const onExit = (worker: Worker, code: number | null, signal: string | null) => {
    live.delete(worker);
    if (stopping) {
      if (live.size === 0) {
        clearTimeout(killTimer);
        finish(exitCode);
      }
      return;
    }
    const who = `worker ${worker.id} (pid ${worker.process.pid})`;
    const how = signal !== null ? `killed by ${signal}` : `exit code ${code}`;
    // Killed by a signal (OOM killer, an operator) is a crash even before it listened.
    if (!started.has(worker) && signal === null) return fail(`${who} failed to start: ${reasons.get(worker) ?? how}`);
    const decision = budget.crashed(Date.now());
    if (!decision.restart) {
      return fail(
        `${who} exited (${how}): ${decision.recent} worker exits within ${windowMs / 1000}s, more than the ` +
          `${limit} restarts allowed`,
      );
    }
    logger.error(
      { pid: worker.process.pid, code, signal, recent_exits: decision.recent, restart_in_ms: decision.delayMs },
      'worker exited unexpectedly; starting a new one',
    );
    const slot = slots.get(worker) ?? 0;
    const timer = setTimeout(() => {
      restartTimers.delete(timer);
      if (!stopping) fork(slot);
    }, decision.delayMs);
    restartTimers.add(timer);
  };

  const hangupPending = new Set<Worker>();

  // A replacement takes the slot of the worker it replaces: its queue directory (queue mode).
  function fork(slot: number) {
    const worker = cluster.fork({ [WORKER_SLOT_ENV]: String(slot) });
    slots.set(worker, slot);
    live.add(worker);
    answerMetricsRequests(worker, aggregator);
    worker.once('listening', () => {
      started.add(worker);
      // Its SIGHUP handlers are in place once it listens: a reload asked for meanwhile is sent now.
      if (hangupPending.delete(worker)) worker.process.kill('SIGHUP');
    });
    worker.on('message', (m: { type?: string; message?: unknown }) => {
      if (m?.type === WORKER_FAILED && typeof m.message === 'string') reasons.set(worker, m.message);
    });
    // A send to a worker that just died (a late metrics answer) must not take the primary down.
    worker.on('error', (e: Error) => logger.warn({ pid: worker.process.pid, err: e.message }, 'worker IPC error'));
    worker.once('exit', (code: number | null, signal: string | null) => {
      hangupPending.delete(worker);
      onExit(worker, code, signal);
    });
  }

  process.on('SIGTERM', onSignal);
  process.on('SIGINT', onSignal);
  // Each worker decides what SIGHUP means for it (re-reading the ingress secret files).
  // A worker still starting may have read its files before the change: it gets the signal
  // once it listens, rather than now, before its handlers are in place.
  process.on('SIGHUP', () => {
    for (const w of live) {
      if (started.has(w)) w.process.kill('SIGHUP');
      else hangupPending.add(w);
    }
  });
  for (let i = 0; i < options.workers; i++) fork(i);
  return done;
}

/**
 * In a worker whose start failed: tell the primary why (it reports the reason and stops the
 * others), then exit 1. The IPC channel would otherwise keep the failed worker alive.
 */
export function exitFailedWorker(error: unknown): void {
  const message = error instanceof Error ? error.message : String(error);
  const exit = () => process.exit(1);
  if (!process.send) {
    exit();
    return;
  }
  try {
    process.send({ type: WORKER_FAILED, message }, exit);
  } catch {
    exit();
  }
}

export const isClusterWorker = (): boolean => cluster.isWorker;

/** Set by the primary for each worker: 0 .. workers-1, kept across restarts. */
export const WORKER_SLOT_ENV = 'TENANTWIRE_WORKER_SLOT';

/** This process' worker slot (0 when not clustered). */
export function workerSlot(): number {
  const n = Number(process.env[WORKER_SLOT_ENV]);
  return cluster.isWorker && Number.isInteger(n) && n >= 0 ? n : 0;
}
