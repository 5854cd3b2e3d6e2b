import { resolve } from 'node:path';
import { z } from 'zod';
import { sizeBytes } from '../pipeline/byte-size.js';
import { durationMs } from '../pipeline/duration.js';
import { DEFAULT_MAX_TENANTS_PER_REQUEST } from '../../defaults.js';
import {
  DEFAULT_MAX_DISK_BYTES,
  DEFAULT_QUEUE_CONFIG as Q,
  defaultMaxTenantDiskBytes,
} from '../../queue/config-defaults.js';
import type { DurableQueueConfig } from '../../queue/types.js';
import { tenantLimitsSchema } from '../../limits/schema.js';
import { tenantOptionsSchema } from '../../tenant/options.js';
import { endpointName } from './endpoint-name.js';

/**
 * `prometheus.remote_write` arguments, Alloy's block names with Prometheus' defaults. Strict:
 * unknown keys are errors naming the key. Durations accept `30ms`, `5s`, `1m` or milliseconds.
 */
const headerValue = z.string().refine((v) => !/[\r\n\0]/.test(v), 'header values may not contain CR, LF or NUL');

const basicAuthSchema = z.strictObject({
  username: z.string().refine((u) => !u.includes(':'), 'the username may not contain ":"'),
  password: z.string().default(''),
});

const tlsSchema = z.strictObject({
  ca_pem: z.string().optional(),
  ca_file: z.string().optional(),
  insecure_skip_verify: z.boolean().default(false),
});

export const endpointSchema = z
  .strictObject({
    url: z.url({ protocol: /^(https?|dir)$/, message: 'expected an http(s):// or dir:// URL' }),
    name: z
      .string()
      .regex(/^[A-Za-z0-9_.-]*$/, 'letters, digits, "_", "." and "-" only')
      .optional(),
    headers: z
      .record(z.string().regex(/^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/, 'not a valid header name'), headerValue)
      .default({}),
    basic_auth: basicAuthSchema.optional(),
    bearer_token: headerValue.optional(),
    tls: tlsSchema.optional(),
    /** The tenant rule, plus this endpoint's per-tenant `limits` (the drop-in's `limits` block). */
    tenant: tenantOptionsSchema.extend({ limits: tenantLimitsSchema(durationMs).nullish() }).optional(),
    protocol: z.enum(['1.0', '2.0']).default('1.0'),
    remote_timeout: durationMs.default(30_000),
    /** Most tenant queues at once (0: no limit); a request that would pass it gets 400. */
    max_tenants: z.number().int().nonnegative().default(DEFAULT_MAX_TENANTS_PER_REQUEST),
    /** A tenant queue that holds nothing and got nothing for this long is retired. */
    tenant_idle_timeout: durationMs.default(600_000),
  })
  .refine((e) => !(e.basic_auth && e.bearer_token), { message: 'set basic_auth or bearer_token, not both' })
  .refine((e) => !(e.tls?.ca_pem && e.tls.ca_file), { message: 'tls: set ca_pem or ca_file, not both' });

export const queueConfigSchema = z.strictObject({
  /** Samples buffered per shard before appends are refused (back-pressure). */
  capacity: z.number().int().positive().default(Q.capacity),
  min_shards: z.number().int().positive().default(Q.minShards),
  max_shards: z.number().int().positive().default(Q.maxShards),
  max_samples_per_send: z.number().int().positive().default(Q.maxSamplesPerSend),
  batch_send_deadline: durationMs.default(Q.batchSendDeadlineMs),
  min_backoff: durationMs.default(Q.minBackoffMs),
  max_backoff: durationMs.default(Q.maxBackoffMs),
  retry_on_http_429: z.boolean().default(Q.retryOnHttp429),
});

/**
 * `wal`: queue on disk (a durable per-tenant queue under `dir`) instead of in memory. A relative
 * `dir` is resolved against the working directory, as `tls.ca_file` and `dir://` URLs are.
 */
export const walSchema = z
  .strictObject({
    dir: z
      .string()
      .refine((d) => d.trim() !== '', 'expected a directory')
      .transform((d) => resolve(d)),
    max_disk_bytes: sizeBytes.default(DEFAULT_MAX_DISK_BYTES),
    /** Default: half of max_disk_bytes. */
    max_tenant_disk_bytes: sizeBytes.optional(),
  })
  .refine((w) => w.max_tenant_disk_bytes === undefined || w.max_tenant_disk_bytes <= w.max_disk_bytes, {
    message: 'max_tenant_disk_bytes must not exceed max_disk_bytes',
    path: ['max_tenant_disk_bytes'],
  })
  .transform((w) => ({
    ...w,
    max_tenant_disk_bytes: w.max_tenant_disk_bytes ?? defaultMaxTenantDiskBytes(w.max_disk_bytes),
  }));

export const metadataConfigSchema = z.strictObject({
  send: z.boolean().default(true),
  send_interval: durationMs.default(60_000),
  max_samples_per_send: z.number().int().positive().default(2_000),
});

export const remoteWriteArgsSchema = z
  .strictObject({
    endpoint: z.array(endpointSchema).min(1, 'at least one endpoint is needed'),
    queue_config: queueConfigSchema.prefault({}),
    metadata_config: metadataConfigSchema.prefault({}),
    /** Labels added to every series (Alloy's external_labels). */
    external_labels: z.record(z.string(), z.string()).default({}),
    /** Unset: the queues are in memory. */
    wal: walSchema.optional(),
  })
  .refine((a) => a.queue_config.min_shards <= a.queue_config.max_shards, {
    message: 'min_shards must not exceed max_shards',
    path: ['queue_config', 'min_shards'],
  })
  .superRefine((a, ctx) => {
    // With wal each endpoint's log lives in <wal.dir>/<its name>: two of one name would share it.
    if (!a.wal) return;
    const seen = new Map<string, number>();
    a.endpoint.forEach((e, i) => {
      const name = endpointName(e);
      const first = seen.get(name);
      if (first === undefined) seen.set(name, i);
      else
        ctx.addIssue({
          code: 'custom',
          message: `with wal every endpoint needs its own name: endpoint[${first}] is named ${name} too`,
          path: ['endpoint', i, 'name'],
        });
    });
  });

export type RemoteWriteArgs = z.output<typeof remoteWriteArgsSchema>;
export type RemoteWriteArgsInput = z.input<typeof remoteWriteArgsSchema>;
export type EndpointArgs = z.output<typeof endpointSchema>;
export type QueueConfig = z.output<typeof queueConfigSchema>;
export type MetadataConfig = z.output<typeof metadataConfigSchema>;
export type WalArgs = z.output<typeof walSchema>;

/** `queue_config` as the durable queue takes it (durations in milliseconds). */
export function durableQueueConfigOf(q: QueueConfig): DurableQueueConfig {
  return {
    maxSamplesPerSend: q.max_samples_per_send,
    batchSendDeadlineMs: q.batch_send_deadline,
    minBackoffMs: q.min_backoff,
    maxBackoffMs: q.max_backoff,
    minShards: q.min_shards,
    maxShards: q.max_shards,
    retryOnHttp429: q.retry_on_http_429,
    capacity: q.capacity,
  };
}
