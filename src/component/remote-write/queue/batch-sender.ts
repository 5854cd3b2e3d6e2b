import type { Logger } from '../../../logger.js';
import type { RetryPolicy } from '../../../transport/retry-policy.js';
import type { Transport } from '../../../transport/types.js';
import type { ProtocolVersion } from '../../../wire/types.js';
import type { Clock } from '../clock.js';
import type { QueueLabels, RemoteWriteMetrics } from '../metrics.js';
import { buildRequest } from '../request-builder.js';
import type { QueuedSeries } from './shard-buffer.js';

/**
 * Sends one batch until it is delivered, refused (4xx: dropped and counted), or the hard stop
 * aborts (dropped and counted). Retries go through the pure policy with the injected clock,
 * so every attempt resends the same compressed bytes.
 */
export interface BatchTarget {
  readonly transport: Transport;
  readonly url: string;
  readonly protocol: ProtocolVersion;
  /** Header name and value of the tenant, when the endpoint splits by tenant. */
  readonly tenantHeader?: readonly [string, string];
  readonly timeoutMs: number;
  readonly policy: RetryPolicy;
  readonly clock: Clock;
  readonly metrics: RemoteWriteMetrics;
  readonly labels: QueueLabels;
  readonly logger: Logger;
  /** Newest timestamp delivered so far by this queue (ms), updated here. */
  readonly sent: { highestMs: number };
  /** Told of every recoverable error before its backoff (the queue holds resharding then). */
  readonly onRecoverableError?: (delayMs: number) => void;
}

export type BatchOutcome = 'sent' | 'dropped' | 'aborted';

const utf8 = new TextDecoder();

export async function sendBatch(
  t: BatchTarget,
  batch: readonly QueuedSeries[],
  hard: AbortSignal,
): Promise<BatchOutcome> {
  const req = buildRequest(batch, t.protocol);
  const headers = t.tenantHeader ? { ...req.headers, [t.tenantHeader[0]]: t.tenantHeader[1] } : req.headers;
  const m = t.metrics;
  const started = t.clock.now();
  for (let attempt = 1; ; attempt++) {
    if (hard.aborted) return dropAtDeadline(t, req.samples);
    const before = t.clock.now();
    const result = await t.transport.send({
      url: t.url,
      headers,
      body: req.body,
      timeoutMs: t.timeoutMs,
      signal: hard,
    });
    // The deadline cut this very send: that is the drop's reason, not the error the cut caused.
    if (hard.aborted && result.kind === 'error') return dropAtDeadline(t, req.samples);
    m.batchDuration.observe(t.labels, (t.clock.now() - before) / 1000);
    m.samplesTotal.inc(t.labels, req.samples);
    m.histogramsTotal.inc(t.labels, req.histograms);
    m.exemplarsTotal.inc(t.labels, req.exemplars);
    m.bytesTotal.inc(t.labels, req.body.length);
    const decision = t.policy.decide(result, { attempt, elapsedMs: t.clock.now() - started, random: t.clock.random() });
    if (decision.action === 'done' && decision.verdict === 'success') {
      if (req.highestTimestampMs > t.sent.highestMs) {
        t.sent.highestMs = req.highestTimestampMs;
        m.highestSentTimestamp.set(t.labels, req.highestTimestampMs / 1000);
      }
      return 'sent';
    }
    if (decision.action === 'done') {
      m.samplesFailed.inc(t.labels, req.samples);
      m.samplesDropped.inc(
        { ...t.labels, reason: decision.verdict === 'exhausted' ? 'retries_exhausted' : 'upstream_rejected' },
        req.samples,
      );
      const why =
        result.kind === 'response'
          ? `status ${result.status}: ${utf8.decode(result.body.subarray(0, 512)).trim()}`
          : result.error.message;
      t.logger.error(
        { samples: req.samples, tenant: t.labels.tenant, url: t.url },
        `non-recoverable error, dropping a batch (${why})`,
      );
      return 'dropped';
    }
    m.samplesRetried.inc(t.labels, req.samples);
    const why = result.kind === 'response' ? `status ${result.status}` : result.error.code;
    t.logger.warn(
      { attempt, delayMs: decision.delayMs, tenant: t.labels.tenant },
      `recoverable error (${why}), retrying`,
    );
    t.onRecoverableError?.(decision.delayMs);
    await t.clock.sleep(decision.delayMs, hard);
  }
}

function dropAtDeadline(t: BatchTarget, samples: number): BatchOutcome {
  t.metrics.samplesFailed.inc(t.labels, samples);
  t.metrics.samplesDropped.inc({ ...t.labels, reason: 'flush_deadline' }, samples);
  t.logger.warn({ samples, tenant: t.labels.tenant }, 'dropping a batch: the flush deadline passed while stopping');
  return 'aborted';
}
