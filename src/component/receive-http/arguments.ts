import { z } from 'zod';
import { durationMs } from '../pipeline/duration.js';
import { DEFAULT_TENANT_HEADER } from '../../protocol/headers.js';
import { DEFAULT_CONNECTION_LIMITS } from '../../server/http-server.js';
import { DEFAULT_MAX_REQUEST_BYTES, DEFAULT_WIRE_LIMITS } from '../../wire/types.js';
import { otlpOptionsSchema } from '../../otlp/options.js';
import { tenantIdProblem } from '../../tenant/tenant-id.js';
import { isReceiver, type Receiver } from '../receiver.js';

/** A pattern of `auth.users[].tenants`: tenant id characters, `*` a wildcard. */
const tenantPattern = z.string().superRefine((v, ctx) => {
  const why = tenantIdProblem(v);
  if (why !== undefined) ctx.addIssue({ code: 'custom', message: `the tenant pattern ${JSON.stringify(v)} ${why}` });
});

/**
 * Ingress authentication, the drop-in's `auth.ingress` keys: credentials from files, each with
 * the tenants it may write (checked on the final tenants by every remote_write endpoint).
 */
const authSchema = z.strictObject({
  users: z
    .array(
      z.strictObject({
        username: z
          .string()
          .refine((u) => !u.includes(':'), 'the username may not contain ":"')
          .optional(),
        password_file: z.string().optional(),
        bearer_token_file: z.string().optional(),
        tenants: z.array(tenantPattern).min(1, 'an empty list would allow no tenant: list at least one pattern'),
      }),
    )
    .nullish(),
  on_forbidden: z.enum(['reject', 'drop']).optional(),
});

/**
 * `prometheus.receive_http` arguments. `listen` is `host:port` (port 0 picks a free port);
 * `forward_to` lists receivers exported by other components, written as references
 * (`prometheus.remote_write.cortex.receiver`) that the host replaces by the objects.
 */
export const receiveHttpArgsSchema = z.strictObject({
  listen: z
    .string()
    .regex(/^(?:\[[^\]]+\]|[^:]*):\d{1,5}$/, 'must be host:port, e.g. 127.0.0.1:8080')
    .default('127.0.0.1:8080'),
  forward_to: z
    .array(
      z.custom<Receiver>(isReceiver, {
        message: 'must be a receiver exported by another component, e.g. prometheus.remote_write.NAME.receiver',
      }),
    )
    .min(1, 'needs at least one receiver'),
  /** Largest compressed body (413 past it). */
  max_request_bytes: z.number().int().positive().default(DEFAULT_MAX_REQUEST_BYTES),
  /** Largest declared decoded length (400 past it, as Prometheus answers). */
  max_decoded_bytes: z.number().int().positive().default(DEFAULT_WIRE_LIMITS.maxDecodedBytes),
  /** Most series, labels, samples, ... one request may decode to (400 past it). */
  max_decoded_elements: z.number().int().positive().default(DEFAULT_WIRE_LIMITS.maxElements),
  /** Incoming header read as the source tenant (for `prefix_prefer_source` downstream). */
  tenant_header: z.string().min(1).default(DEFAULT_TENANT_HEADER),
  /** A sender's deadline to deliver a whole request, headers and body (408 past it); 0: none. */
  read_timeout: durationMs.default(DEFAULT_CONNECTION_LIMITS.readTimeoutMs),
  /** Idle keep-alive connections are closed after this. */
  idle_timeout: durationMs.default(DEFAULT_CONNECTION_LIMITS.idleTimeoutMs),
  /** Most open client connections; past it a new one is closed at once; 0: no limit. */
  max_connections: z.number().int().nonnegative().default(DEFAULT_CONNECTION_LIMITS.maxConnections),
  /** Credentials required of senders (401 without), each limited to its tenants (403 or dropped). */
  auth: authSchema.optional(),
});

export type ReceiveHttpArgs = z.output<typeof receiveHttpArgsSchema> & {
  /** otlp.receive_http only: the translation options (the drop-in's `otlp:` block). */
  readonly otlp?: unknown;
};

/** The OTLP/HTTP port (4318), as OpenTelemetry's exporters default to it. */
export const DEFAULT_OTLP_LISTEN = '127.0.0.1:4318';

/**
 * `otlp.receive_http` arguments: receive_http's, with OTLP's default port, plus `otlp`, the
 * translation options as the drop-in's `otlp:` block writes them.
 */
export const otlpReceiveHttpArgsSchema = receiveHttpArgsSchema.extend({
  listen: receiveHttpArgsSchema.shape.listen.removeDefault().default(DEFAULT_OTLP_LISTEN),
  otlp: otlpOptionsSchema.nullish(),
});
