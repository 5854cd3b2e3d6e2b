import cluster from 'node:cluster';
import { AggregatorRegistry, type Registry } from 'prom-client';
import type { Logger } from '../logger.js';
import { startMetricsListener } from './metrics-listener.js';

/**
 * Multi-core serving: the primary forks `workers` processes that share the listening socket
 * (node:cluster), restarts a worker that dies unexpectedly, forwards SIGTERM/SIGINT and waits
 * for every worker to drain. Metrics stay one view: any worker's /metrics asks the primary,
 * which aggregates every worker's registry (prom-client's AggregatorRegistry).
 */
const METRICS_REQ = 'tenantwire:metrics-req';
const METRICS_RES = 'tenantwire:metrics-res';

interface MetricsMessage {
  readonly type: string;
  readonly id: number;
  readonly text?: string;
  readonly error?: string;
}

export interface PrimaryOptions {
  readonly workers: number;
  readonly logger: Logger;
  /** How long workers get to drain after SIGTERM before they are killed (ms). */
  readonly drainTimeoutMs: number;
  /** Serve the aggregated /metrics here too (cortex-tenant's listen_metrics_address). */
  readonly metricsAddress?: string;
}

/** Runs the primary until a signal stops it; resolves with the exit code. */
export async function runPrimary(options: PrimaryOptions): Promise<number> {
  const { logger } = options;
  const aggregator = new AggregatorRegistry();
  let stopping = false;
  let restarts = 0;

  const fork = () => {
    const worker = cluster.fork();
    worker.on('message', (message: MetricsMessage) => {
      if (message?.type !== METRICS_REQ) return;
      aggregator.clusterMetrics().then(
        (text) => worker.send({ type: METRICS_RES, id: message.id, text }),
        (error: Error) => worker.send({ type: METRICS_RES, id: message.id, error: error.message }),
      );
    });
  };
  for (let i = 0; i < options.workers; i++) fork();
  const metricsServer = options.metricsAddress
    ? await startMetricsListener(options.metricsAddress, async () => ({ contentType: aggregator.contentType, text: await aggregator.clusterMetrics() }), logger)
    : undefined;

  return new Promise<number>((resolve) => {
    cluster.on('exit', (worker, code, signal) => {
      if (stopping) {
        if (Object.keys(cluster.workers ?? {}).length === 0) resolve(0);
        return;
      }
      restarts++;
      logger.error({ pid: worker.process.pid, code, signal, restarts }, 'worker exited unexpectedly; starting a new one');
      const delay = Math.min(5_000, 100 * 2 ** Math.min(restarts, 6));
      setTimeout(fork, delay).unref();
    });
    const stop = (sig: NodeJS.Signals) => {
      if (stopping) return;
      stopping = true;
      metricsServer?.close();
      logger.info({ signal: sig }, 'stopping workers');
      const live = Object.values(cluster.workers ?? {});
      if (live.length === 0) resolve(0);
      for (const w of live) w?.process.kill('SIGTERM');
      setTimeout(() => {
        for (const w of Object.values(cluster.workers ?? {})) w?.process.kill('SIGKILL');
        resolve(1);
      }, options.drainTimeoutMs + 10_000).unref();
    };
    process.once('SIGTERM', () => stop('SIGTERM'));
    process.once('SIGINT', () => stop('SIGINT'));
  });
}

/** In a worker: make `registry` the one the primary aggregates. */
export function shareWorkerRegistry(registry: Registry): void {
  AggregatorRegistry.setRegistries([registry]);
  // Constructing one installs prom-client's worker-side listener.
  void new AggregatorRegistry();
}

let nextId = 0;
const pending = new Map<number, { resolve(text: string): void; reject(e: Error): void }>();
let listening = false;

/** In a worker: the metrics of every worker, aggregated by the primary. */
export function clusterMetricsText(timeoutMs = 5_000): Promise<string> {
  if (!listening) {
    listening = true;
    process.on('message', (message: MetricsMessage) => {
      if (message?.type !== METRICS_RES) return;
      const p = pending.get(message.id);
      if (!p) return;
      pending.delete(message.id);
      if (message.error !== undefined) p.reject(new Error(message.error));
      else p.resolve(message.text ?? '');
    });
  }
  const id = nextId++;
  return new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => {
      pending.delete(id);
      reject(new Error('metrics aggregation timed out'));
    }, timeoutMs);
    pending.set(id, {
      resolve: (t) => {
        clearTimeout(timer);
        resolve(t);
      },
      reject: (e) => {
        clearTimeout(timer);
        reject(e);
      },
    });
    process.send?.({ type: METRICS_REQ, id });
  });
}

export const isClusterWorker = (): boolean => cluster.isWorker;
