import { z } from 'zod';
import { durationMs } from '../pipeline/duration.js';
import { DEFAULT_MAX_TENANTS_PER_REQUEST } from '../../defaults.js';
import { tenantOptionsSchema } from '../../tenant/options.js';

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
    tenant: tenantOptionsSchema.optional(),
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
  capacity: z.number().int().positive().default(10_000),
  min_shards: z.number().int().positive().default(1),
  max_shards: z.number().int().positive().default(50),
  max_samples_per_send: z.number().int().positive().default(2_000),
  batch_send_deadline: durationMs.default(5_000),
  min_backoff: durationMs.default(30),
  max_backoff: durationMs.default(5_000),
  retry_on_http_429: z.boolean().default(true),
});

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
  })
  .refine((a) => a.queue_config.min_shards <= a.queue_config.max_shards, {
    message: 'min_shards must not exceed max_shards',
    path: ['queue_config', 'min_shards'],
  });

export type RemoteWriteArgs = z.output<typeof remoteWriteArgsSchema>;
export type RemoteWriteArgsInput = z.input<typeof remoteWriteArgsSchema>;
export type EndpointArgs = z.output<typeof endpointSchema>;
export type QueueConfig = z.output<typeof queueConfigSchema>;
export type MetadataConfig = z.output<typeof metadataConfigSchema>;
