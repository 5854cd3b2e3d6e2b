import type { Worker } from 'node:cluster';
import { AggregatorRegistry, type RegistryContentType, type Registry } from 'prom-client';

/**
 * One /metrics view over every cluster worker: any worker's /metrics asks the primary, which
 * aggregates every worker's registry (prom-client's AggregatorRegistry) and answers over IPC.
 */
const METRICS_REQ = 'tenantwire:metrics-req';
const METRICS_RES = 'tenantwire:metrics-res';

interface MetricsMessage {
  readonly type: string;
  readonly id: number;
  readonly text?: string;
  readonly error?: string;
}

/** In the primary: answer `worker`'s metrics requests from `aggregator`. */
export function answerMetricsRequests(worker: Worker, aggregator: AggregatorRegistry<RegistryContentType>): void {
  worker.on('message', (message: MetricsMessage) => {
    if (message?.type !== METRICS_REQ) return;
    aggregator.clusterMetrics().then(
      (text) => worker.send({ type: METRICS_RES, id: message.id, text }),
      (error: Error) => worker.send({ type: METRICS_RES, id: message.id, error: error.message }),
    );
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
