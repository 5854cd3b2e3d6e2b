/**
 * Notification endpoints: exactly one kind per endpoint. Secrets are inline values only: Cortex
 * rejects every `*_file` key, so the schema has none.
 */
import { z } from 'zod';

const httpUrl = z.url({ protocol: /^https?$/ });
const idSchema = z
  .string()
  .min(1)
  .max(128)
  .regex(/^[A-Za-z0-9][A-Za-z0-9_.-]*$/, 'ids use letters, digits, "_", "." and "-" and start with a letter or digit');

export const httpConfigSchema = z.strictObject({
  basic_auth: z.strictObject({ username: z.string().min(1), password: z.string() }).optional(),
  authorization: z
    .strictObject({ type: z.string().min(1).default('Bearer'), credentials: z.string().min(1) })
    .optional(),
  tls_config: z
    .strictObject({ insecure_skip_verify: z.boolean().optional(), server_name: z.string().optional() })
    .optional(),
});

export const slackSchema = z.strictObject({
  webhook_url: httpUrl,
  channel: z.string().min(1),
  send_resolved: z.boolean().default(true),
});

export const pagerdutySchema = z.strictObject({
  /** An Events API v2 integration key: rendered as `routing_key`, never `service_key`. */
  integration_key: z.string().min(1),
  send_resolved: z.boolean().default(true),
});

export const emailSchema = z.strictObject({
  to: z.string().min(3),
  from: z.string().min(3),
  smarthost: z.string().regex(/^[^:\s]+:\d+$/, 'smarthost is host:port'),
  auth: z
    .strictObject({ username: z.string().min(1), password: z.string(), identity: z.string().optional() })
    .optional(),
  require_tls: z.boolean().optional(),
  send_resolved: z.boolean().default(false),
});

export const webhookSchema = z.strictObject({
  url: httpUrl,
  http_config: httpConfigSchema.optional(),
  max_alerts: z.number().int().min(0).optional(),
  send_resolved: z.boolean().default(true),
});

export const opsgenieSchema = z.strictObject({
  api_key: z.string().min(1),
  api_url: httpUrl.optional(),
  send_resolved: z.boolean().default(true),
});

export const ENDPOINT_KINDS = ['slack', 'pagerduty', 'email', 'webhook', 'opsgenie'] as const;
export type EndpointKind = (typeof ENDPOINT_KINDS)[number];

export const endpointSchema = z
  .strictObject({
    id: idSchema,
    name: z.string().optional(),
    slack: slackSchema.optional(),
    pagerduty: pagerdutySchema.optional(),
    email: emailSchema.optional(),
    webhook: webhookSchema.optional(),
    opsgenie: opsgenieSchema.optional(),
  })
  .superRefine((e, ctx) => {
    const kinds = ENDPOINT_KINDS.filter((k) => e[k] !== undefined);
    if (kinds.length !== 1) {
      ctx.addIssue({
        code: 'custom',
        message:
          `an endpoint has exactly one of ${ENDPOINT_KINDS.join(', ')} (found ` +
          `${kinds.length === 0 ? 'none' : kinds.join(', ')})`,
      });
    }
  });

export type Endpoint = z.output<typeof endpointSchema>;
