/**
 * The alerting model users declare: clusters, endpoints and conditions, validated with strict
 * zod schemas (unknown keys rejected, every error names its path) plus cross-reference checks.
 * Pure: parses text, never reads files.
 */
import yaml from 'js-yaml';
import { z } from 'zod';
import { ConfigError } from '../errors.js';
import { CONDITION_TYPES, SEVERITIES, isBackendType } from './condition-types.js';
import { endpointSchema } from './endpoint-schema.js';
import { tenantIdSchema } from '../tenant/tenant-id.js';
import { configErrorFromZodSummary } from '../zod-errors.js';

/** Prometheus/Alertmanager duration, e.g. `30s`, `1h30m`. */
export const durationSchema = z
  .string()
  .regex(/^(?:\d+y)?(?:\d+w)?(?:\d+d)?(?:\d+h)?(?:\d+m)?(?:\d+s)?(?:\d+ms)?$/, 'not a duration like 30s, 5m or 1h')
  .refine((s) => s.length > 0, 'duration is empty');

const positiveDuration = durationSchema.refine((s) => /[1-9]/.test(s), 'must be greater than zero');

/** Ids used inside label values and receiver names: kept to a safe alphabet. */
export const objectIdSchema = z
  .string()
  .min(1)
  .max(128)
  .regex(/^[A-Za-z0-9][A-Za-z0-9_.-]*$/, 'ids use letters, digits, "_", "." and "-" and start with a letter or digit');

export const clusterSchema = z.strictObject({ id: tenantIdSchema, name: z.string().min(1).max(256) });

export const conditionSchema = z.strictObject({
  id: objectIdSchema,
  name: z.string().min(1).max(256),
  type: z.enum(CONDITION_TYPES),
  cluster: tenantIdSchema.optional(),
  severity: z.enum(SEVERITIES),
  endpoints: z.array(objectIdSchema).default([]),
  initial_delay: durationSchema.optional(),
  throttling: positiveDuration.optional(),
  repeat: positiveDuration.optional(),
});

const baseModelSchema = z.strictObject({
  global_cluster_id: tenantIdSchema.default('UPSTREAM_CLUSTER_ID'),
  default_hook: z.url({ protocol: /^https?$/ }),
  clusters: z.array(clusterSchema).default([]),
  endpoints: z.array(endpointSchema).default([]),
  conditions: z.array(conditionSchema).default([]),
});

function duplicates(ids: readonly string[]): Map<string, number> {
  const seen = new Map<string, number>();
  const dup = new Map<string, number>();
  ids.forEach((id, i) => {
    if (seen.has(id)) dup.set(id, i);
    else seen.set(id, i);
  });
  return dup;
}

export const alertingModelSchema = baseModelSchema.superRefine((m, ctx) => {
  for (const [id, i] of duplicates(m.clusters.map((c) => c.id))) {
    ctx.addIssue({
      code: 'custom',
      path: ['clusters', i, 'id'],
      message: `duplicate cluster id ${JSON.stringify(id)}`,
    });
  }
  for (const [id, i] of duplicates(m.endpoints.map((e) => e.id))) {
    ctx.addIssue({
      code: 'custom',
      path: ['endpoints', i, 'id'],
      message: `duplicate endpoint id ${JSON.stringify(id)}`,
    });
  }
  for (const [id, i] of duplicates(m.conditions.map((c) => c.id))) {
    ctx.addIssue({
      code: 'custom',
      path: ['conditions', i, 'id'],
      message: `duplicate condition id ${JSON.stringify(id)}`,
    });
  }
  m.clusters.forEach((c, i) => {
    if (c.id === m.global_cluster_id) {
      ctx.addIssue({
        code: 'custom',
        path: ['clusters', i, 'id'],
        message: `cluster id equals global_cluster_id ${JSON.stringify(c.id)}`,
      });
    }
  });
  const clusters = new Set(m.clusters.map((c) => c.id));
  const endpoints = new Set(m.endpoints.map((e) => e.id));
  m.conditions.forEach((c, i) => {
    if (isBackendType(c.type)) {
      if (c.cluster !== undefined && c.cluster !== m.global_cluster_id) {
        ctx.addIssue({
          code: 'custom',
          path: ['conditions', i, 'cluster'],
          message: `a ${c.type} condition belongs to the global cluster id ${JSON.stringify(m.global_cluster_id)}`,
        });
      }
    } else if (c.cluster === undefined) {
      ctx.addIssue({
        code: 'custom',
        path: ['conditions', i, 'cluster'],
        message: `a ${c.type} condition must name a cluster`,
      });
    } else if (!clusters.has(c.cluster)) {
      ctx.addIssue({
        code: 'custom',
        path: ['conditions', i, 'cluster'],
        message: `unknown cluster ${JSON.stringify(c.cluster)}`,
      });
    }
    c.endpoints.forEach((e, j) => {
      if (!endpoints.has(e))
        ctx.addIssue({
          code: 'custom',
          path: ['conditions', i, 'endpoints', j],
          message: `unknown endpoint ${JSON.stringify(e)}`,
        });
    });
    for (const [id, j] of duplicates(c.endpoints)) {
      ctx.addIssue({
        code: 'custom',
        path: ['conditions', i, 'endpoints', j],
        message: `endpoint ${JSON.stringify(id)} listed twice`,
      });
    }
  });
});

export type AlertingModel = z.output<typeof alertingModelSchema>;
export type AlertingModelInput = z.input<typeof alertingModelSchema>;
export type Cluster = z.output<typeof clusterSchema>;
export type Condition = z.output<typeof conditionSchema>;

/** The cluster a condition belongs to (backend conditions: the global id). */
export const conditionCluster = (model: Pick<AlertingModel, 'global_cluster_id'>, c: Condition): string =>
  isBackendType(c.type) ? model.global_cluster_id : (c.cluster ?? model.global_cluster_id);

/** Validates an already-decoded value. Throws ConfigError `alerting_model_invalid`. */
export function validateAlertingModel(value: unknown): AlertingModel {
  const r = alertingModelSchema.safeParse(value);
  if (!r.success) throw configErrorFromZodSummary('alerting_model_invalid', 'invalid alerting model', r.error);
  return r.data;
}

/** Parses YAML (JSON is YAML) text into a validated model. */
export function parseAlertingModel(text: string): AlertingModel {
  let value: unknown;
  try {
    value = yaml.load(text);
  } catch (e) {
    throw new ConfigError(
      'alerting_model_syntax',
      `alerting model is not valid YAML or JSON: ${(e as Error).message}`,
      { cause: e },
    );
  }
  return validateAlertingModel(value);
}
