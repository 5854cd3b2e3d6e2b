/** Arguments of `alerting.cortex_sync`: strict, with defaults; errors name the key. */
import { z } from 'zod';
import { DEFAULT_CORTEX_PREFIX } from '../../alerting/alertmanager-api.js';

const durationMs = z.union([
  z.number().int().positive(),
  z
    .string()
    .regex(/^\d+(ms|s|m|h)$/, 'a duration like 500ms, 30s, 5m or 1h')
    .transform((s) => {
      const n = Number.parseInt(s, 10);
      const unit = s.replace(/^\d+/, '');
      return n * (unit === 'ms' ? 1 : unit === 's' ? 1_000 : unit === 'm' ? 60_000 : 3_600_000);
    }),
]);

export const alertingCortexSyncArgsSchema = z.strictObject({
  /** The alerting model (YAML or JSON); watched for changes. */
  model_file: z.string().min(1),
  /** Cortex's base URL. */
  cortex_url: z.url({ protocol: /^https?$/ }),
  /** Where Cortex mounts the tenant Alertmanager API. */
  alertmanager_prefix: z.string().regex(/^\//, 'a path starting with "/"').default(DEFAULT_CORTEX_PREFIX),
  /** Milliseconds (number) or a duration string. */
  sync_interval: durationMs.default(30_000),
  resync_interval: durationMs.default(600_000),
  /** How often the model file is checked for changes. */
  watch_interval: durationMs.default(1_000),
  concurrency: z.number().int().min(1).max(256).default(8),
  request_timeout: durationMs.default(10_000),
  retry: z
    .strictObject({
      attempts: z.number().int().min(1).max(20).default(5),
      base_delay: durationMs.default(200),
      max_delay: durationMs.default(10_000),
    })
    .default({ attempts: 5, base_delay: 200, max_delay: 10_000 }),
  headers: z.record(z.string(), z.string()).default({}),
  /** A JSON file remembering the clusters stored, so that ones removed while down get deleted. */
  state_file: z.string().min(1).optional(),
});

export type AlertingCortexSyncArgs = z.output<typeof alertingCortexSyncArgsSchema>;
