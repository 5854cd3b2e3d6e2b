import { resolve } from 'node:path';
import { z } from 'zod';
import { DEFAULT_MAX_DISK_BYTES, DEFAULT_QUEUE_CONFIG, defaultMaxTenantDiskBytes } from '../queue/config-defaults.js';
import type { DurableQueueConfig } from '../queue/types.js';
import { formatGoDuration } from './duration.js';
import { yamlBool, yamlBytes, yamlDuration, yamlString } from './yaml-scalars.js';

/**
 * The drop-in's `queue:` block (tenantwire only): with `queue.dir` set, every tenant's part of a
 * request is written to a durable per-tenant queue on disk before the sender gets its answer,
 * then delivered from there. The other keys are Prometheus' queue_config, plus the disk bounds.
 */

const positiveInt = z.number().int().positive();
const positiveDuration = yamlDuration.refine((ms) => ms > 0, 'must be more than 0');

const DEFAULT_QUEUE_KEYS = {
  max_samples_per_send: DEFAULT_QUEUE_CONFIG.maxSamplesPerSend,
  min_shards: DEFAULT_QUEUE_CONFIG.minShards,
  max_shards: DEFAULT_QUEUE_CONFIG.maxShards,
  min_backoff: DEFAULT_QUEUE_CONFIG.minBackoffMs,
  max_backoff: DEFAULT_QUEUE_CONFIG.maxBackoffMs,
} as const;

export const queueFileSchema = z
  .strictObject({
    dir: yamlString.refine((d) => !d.includes('\0'), 'a path may not contain NUL').optional(),
    max_disk_bytes: yamlBytes.optional(),
    max_tenant_disk_bytes: yamlBytes.optional(),
    max_samples_per_send: positiveInt.optional(),
    batch_send_deadline: positiveDuration.optional(),
    min_backoff: yamlDuration.optional(),
    max_backoff: positiveDuration.optional(),
    min_shards: positiveInt.optional(),
    max_shards: positiveInt.optional(),
    retry_on_http_429: yamlBool.optional(),
    capacity: positiveInt.optional(),
  })
  .superRefine((q, ctx) => {
    if (!q.dir) {
      ctx.addIssue({
        code: 'custom',
        path: ['dir'],
        message:
          'required: a queue block or a TENANTWIRE_QUEUE_* variable turns queue mode on, ' +
          'and queue mode needs a directory (queue.dir or TENANTWIRE_QUEUE_DIR)',
      });
    }
    const maxDisk = q.max_disk_bytes ?? DEFAULT_MAX_DISK_BYTES;
    if (q.max_tenant_disk_bytes !== undefined && q.max_tenant_disk_bytes > maxDisk) {
      ctx.addIssue({
        code: 'custom',
        path: ['max_tenant_disk_bytes'],
        message:
          `${q.max_tenant_disk_bytes} bytes must not exceed queue.max_disk_bytes ` +
          `(${maxDisk}${q.max_disk_bytes === undefined ? ', the default' : ''})`,
      });
    }
    orderedPair(q, ctx, 'min_shards', 'max_shards', String);
    orderedPair(q, ctx, 'min_backoff', 'max_backoff', formatGoDuration);
  });

/** Refuses `low` > `high` (either may be the default), naming the key the user set. */
function orderedPair(
  q: Partial<Record<keyof typeof DEFAULT_QUEUE_KEYS, number>>,
  ctx: z.RefinementCtx,
  low: keyof typeof DEFAULT_QUEUE_KEYS,
  high: keyof typeof DEFAULT_QUEUE_KEYS,
  show: (v: number) => string,
): void {
  const [lo, hi] = [q[low] ?? DEFAULT_QUEUE_KEYS[low], q[high] ?? DEFAULT_QUEUE_KEYS[high]];
  if (lo <= hi) return;
  const dflt = (key: typeof low): string => (q[key] === undefined ? ', the default' : '');
  ctx.addIssue({
    code: 'custom',
    path: [q[low] !== undefined ? low : high],
    message: `queue.${low} (${show(lo)}${dflt(low)}) must not exceed queue.${high} (${show(hi)}${dflt(high)})`,
  });
}

export type QueueFile = z.output<typeof queueFileSchema>;

/** Queue mode's settings, normalized; what the queue and its log are opened with. */
export interface QueueSettings {
  /** Absolute: a relative `queue.dir` is resolved under `data_dir`, else the working directory. */
  readonly dir: string;
  /** Bound on the log of all tenants together. */
  readonly maxDiskBytes: number;
  /** Bound on one tenant's log; default: half of maxDiskBytes. */
  readonly maxTenantDiskBytes: number;
  readonly config: DurableQueueConfig;
}

/** Undefined when queue mode is off (no `queue` block). The schema checked the block already. */
export function normalizeQueue(
  q: QueueFile | null | undefined,
  dataDir: string | undefined,
): QueueSettings | undefined {
  if (q === null || q === undefined || !q.dir) return undefined;
  const d = DEFAULT_QUEUE_CONFIG;
  const maxDiskBytes = q.max_disk_bytes ?? DEFAULT_MAX_DISK_BYTES;
  return {
    dir: resolve(dataDir ?? '.', q.dir),
    maxDiskBytes,
    maxTenantDiskBytes: q.max_tenant_disk_bytes ?? defaultMaxTenantDiskBytes(maxDiskBytes),
    config: {
      maxSamplesPerSend: q.max_samples_per_send ?? d.maxSamplesPerSend,
      batchSendDeadlineMs: q.batch_send_deadline ?? d.batchSendDeadlineMs,
      minBackoffMs: q.min_backoff ?? d.minBackoffMs,
      maxBackoffMs: q.max_backoff ?? d.maxBackoffMs,
      minShards: q.min_shards ?? d.minShards,
      maxShards: q.max_shards ?? d.maxShards,
      retryOnHttp429: q.retry_on_http_429 ?? d.retryOnHttp429,
      capacity: q.capacity ?? d.capacity,
    },
  };
}
