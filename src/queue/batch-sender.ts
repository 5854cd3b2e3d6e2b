/**
 * Sends one batch of one tenant to the upstream until it is settled: delivered (2xx), dropped
 * (a 4xx other than a retried 429, or a transport error retrying cannot fix), or aborted (the
 * queue stopped: the batch is not acknowledged and is sent again on the next start). Network
 * errors, 5xx and 429 (with retryOnHttp429) are retried forever with the retry policy's
 * exponential backoff and jitter, or the upstream's Retry-After (capped). The sleep belongs to
 * this tenant's shard alone: another tenant never waits for it.
 */
import type { Logger } from '../logger.js';
import type { RetryPolicy } from '../transport/retry-policy.js';
import type { Transport, TransportResult } from '../transport/types.js';
import type { ProtocolVersion } from '../wire/types.js';
import type { QueueMetrics, TenantLabels } from './metrics.js';

export type SendOutcome = 'delivered' | 'dropped' | 'aborted';

export interface BatchCounts {
  readonly samples: number;
  readonly histograms: number;
  readonly exemplars: number;
}

export interface BatchSenderOptions {
  readonly transport: Transport;
  readonly url: string;
  /** The request headers of each protocol version (tenant header included). */
  readonly headers: Readonly<Record<ProtocolVersion, Readonly<Record<string, string>>>>;
  readonly timeoutMs: number;
  readonly policy: RetryPolicy;
  /** Longest wait a Retry-After may ask for. */
  readonly retryAfterCapMs: number;
  readonly now: () => number;
  readonly random: () => number;
  readonly logger: Logger;
  readonly metrics: QueueMetrics;
  readonly labels: TenantLabels;
}

/** Transport error codes that mean "we are closing", not "the upstream refused". */
const CLOSING = new Set(['aborted', 'closed']);
/** At most one warning per tenant this often about dropped batches; the rest are counted. */
const DROP_LOG_INTERVAL_MS = 10_000;
const REASON_CHARS = 256;

function describe(result: TransportResult): string {
  if (result.kind === 'error') return result.error.message;
  const text = Buffer.from(result.body.subarray(0, REASON_CHARS)).toString('utf8');
  return `HTTP ${result.status}${text.length > 0 ? `: ${text}` : ''}`;
}

function sleep(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise<void>((resolve) => {
    if (signal.aborted) return resolve();
    const done = () => {
      clearTimeout(timer);
      signal.removeEventListener('abort', done);
      resolve();
    };
    const timer = setTimeout(done, ms);
    signal.addEventListener('abort', done, { once: true });
  });
}

export interface BatchSender {
  send(version: ProtocolVersion, body: Uint8Array, counts: BatchCounts, signal: AbortSignal): Promise<SendOutcome>;
}

export function createBatchSender(o: BatchSenderOptions): BatchSender {
  const { metrics: m, labels } = o;
  let lastDropLog = Number.NEGATIVE_INFINITY;
  let unlogged = 0;

  function dropped(result: TransportResult, counts: BatchCounts): void {
    m.requests.inc({ ...labels, result: 'dropped' });
    const items = counts.samples + counts.histograms + counts.exemplars;
    m.samplesFailed.inc(labels, items);
    m.samplesDropped.inc({ ...labels, reason: 'upstream_rejected' }, items);
    const now = o.now();
    if (now - lastDropLog < DROP_LOG_INTERVAL_MS) {
      unlogged++;
      return;
    }
    lastDropLog = now;
    o.logger.warn(
      { tenant: labels.tenant, samples: items, reason: describe(result), droppedSinceLastLog: unlogged },
      'upstream refused a batch; dropped',
    );
    unlogged = 0;
  }

  async function send(
    version: ProtocolVersion,
    body: Uint8Array,
    counts: BatchCounts,
    signal: AbortSignal,
  ): Promise<SendOutcome> {
    const headers = o.headers[version];
    const started = o.now();
    for (let attempt = 1; ; attempt++) {
      if (signal.aborted) return 'aborted';
      m.samplesSent.inc(labels, counts.samples);
      if (counts.histograms > 0) m.histogramsSent.inc(labels, counts.histograms);
      if (counts.exemplars > 0) m.exemplarsSent.inc(labels, counts.exemplars);
      m.bytesSent.inc(labels, body.length);
      const t0 = o.now();
      const result = await o.transport.send({ url: o.url, headers, body, signal, timeoutMs: o.timeoutMs });
      m.batchDuration.observe(labels, Math.max(0, o.now() - t0) / 1000);
      if (signal.aborted || (result.kind === 'error' && CLOSING.has(result.error.code))) {
        m.requests.inc({ ...labels, result: 'aborted' });
        return 'aborted';
      }
      const d = o.policy.decide(result, { attempt, elapsedMs: o.now() - started, random: o.random() });
      if (d.action === 'done') {
        if (d.verdict === 'success') {
          m.requests.inc({ ...labels, result: 'success' });
          return 'delivered';
        }
        dropped(result, counts);
        return 'dropped';
      }
      m.requests.inc({ ...labels, result: 'retry' });
      m.samplesRetried.inc(labels, counts.samples + counts.histograms + counts.exemplars);
      if (attempt === 1 || attempt % 10 === 0) {
        o.logger.debug({ tenant: labels.tenant, attempt, reason: describe(result) }, 'retrying a batch');
      }
      await sleep(Math.min(d.delayMs, o.retryAfterCapMs), signal);
    }
  }

  return { send };
}
