/**
 * AlertingAdmin v2's ClusterConfiguration: how the Alertmanager cluster itself runs (Cortex's
 * multi-tenant Alertmanager, or a vanilla one), with the cross-field checks Cortex would make at
 * startup reported up front, each naming its key.
 */
import { z } from 'zod';
import { durationSchema } from '../model.js';
import { tenantIdSchema } from '../../tenant/tenant-id.js';
import { configErrorFromZodSummary } from '../../zod-errors.js';

export const STORAGE_BACKENDS = ['s3', 'gcs', 'azure', 'swift', 'filesystem', 'local'] as const;
/** Backends that keep full state shared by every replica: what sharding needs. */
export const FULL_STATE_BACKENDS: ReadonlySet<string> = new Set(['s3', 'gcs', 'azure', 'swift']);

const prefix = z.string().regex(/^\/[A-Za-z0-9/_.-]*$/, 'a path starting with "/"');

const storageSchema = z.strictObject({
  backend: z.enum(STORAGE_BACKENDS),
  s3: z
    .strictObject({
      bucket_name: z.string().min(1),
      endpoint: z.string().min(1),
      region: z.string().optional(),
      access_key_id: z.string().optional(),
      secret_access_key: z.string().optional(),
      insecure: z.boolean().optional(),
    })
    .optional(),
  gcs: z.strictObject({ bucket_name: z.string().min(1), service_account: z.string().optional() }).optional(),
  azure: z
    .strictObject({
      container_name: z.string().min(1),
      account_name: z.string().min(1),
      account_key: z.string().optional(),
    })
    .optional(),
  swift: z
    .strictObject({
      container_name: z.string().min(1),
      auth_url: z.string().min(1),
      username: z.string().optional(),
      password: z.string().optional(),
    })
    .optional(),
  filesystem: z.strictObject({ dir: z.string().min(1) }).optional(),
  local: z.strictObject({ path: z.string().min(1) }).optional(),
});

export const clusterConfigurationSchema = z
  .strictObject({
    mode: z.enum(['cortex', 'vanilla']).default('cortex'),
    external_url: z.url({ protocol: /^https?$/, error: 'external_url is required: an absolute http(s) URL' }),
    enable_api: z.boolean().default(true),
    data_dir: z.string().min(1).default('/data/alertmanager'),
    retention: durationSchema.default('120h'),
    poll_interval: durationSchema.default('15s'),
    persist_interval: durationSchema.optional(),
    fallback_config_file: z.string().min(1).optional(),
    api: z
      .strictObject({
        alertmanager_http_prefix: prefix.default('/alertmanager'),
        http_prefix: prefix.default('/api/prom'),
      })
      .default({ alertmanager_http_prefix: '/alertmanager', http_prefix: '/api/prom' }),
    sharding: z
      .strictObject({
        enabled: z.boolean().default(false),
        kvstore: z.enum(['memberlist', 'consul', 'etcd', 'inmemory']).default('memberlist'),
        replication_factor: z.number().int().min(1).default(3),
      })
      .default({ enabled: false, kvstore: 'memberlist', replication_factor: 3 }),
    cluster: z
      .strictObject({
        listen_address: z.string().default('0.0.0.0:9094'),
        peers: z.array(z.string().regex(/^[^\s,]+:\d+$/, 'a peer is host:port')).default([]),
        peer_timeout: durationSchema.default('15s'),
        gossip_interval: durationSchema.default('200ms'),
        push_pull_interval: durationSchema.default('1m'),
      })
      .default({
        listen_address: '0.0.0.0:9094',
        peers: [],
        peer_timeout: '15s',
        gossip_interval: '200ms',
        push_pull_interval: '1m',
      }),
    enabled_tenants: z.array(tenantIdSchema).default([]),
    disabled_tenants: z.array(tenantIdSchema).default([]),
    storage: storageSchema.default({ backend: 'local', local: { path: '/etc/alertmanager/configs' } }),
    limits: z
      .strictObject({
        max_config_size_bytes: z.number().int().min(0).default(0),
        max_templates_count: z.number().int().min(0).default(0),
        max_template_size_bytes: z.number().int().min(0).default(0),
        notification_rate_limit: z.number().min(0).default(0),
        max_alerts_count: z.number().int().min(0).default(0),
        receivers_firewall_block_private_addresses: z.boolean().default(false),
        receivers_firewall_block_cidr_networks: z.array(z.string()).default([]),
      })
      .optional(),
  })
  .superRefine((c, ctx) => {
    const backend = c.storage.backend;
    if (c.storage[backend] === undefined) {
      ctx.addIssue({
        code: 'custom',
        path: ['storage', backend],
        message: `storage backend ${backend} needs its ${backend} block`,
      });
    }
    if (c.mode === 'vanilla' && c.sharding.enabled) {
      ctx.addIssue({
        code: 'custom',
        path: ['sharding', 'enabled'],
        message: 'a vanilla Alertmanager has no sharding: use mode cortex',
      });
    }
    if (c.mode === 'cortex' && c.sharding.enabled && !FULL_STATE_BACKENDS.has(backend)) {
      ctx.addIssue({
        code: 'custom',
        path: ['sharding', 'enabled'],
        message: `sharding needs a storage backend that keeps full state (s3, gcs, azure, swift), not ${backend}`,
      });
    }
    if (
      c.mode === 'cortex' &&
      c.sharding.enabled &&
      c.sharding.kvstore === 'inmemory' &&
      c.sharding.replication_factor > 1
    ) {
      ctx.addIssue({
        code: 'custom',
        path: ['sharding', 'replication_factor'],
        message: 'the inmemory kvstore serves one replica: replication_factor must be 1',
      });
    }
    if (c.mode === 'cortex' && backend === 'local' && c.enable_api) {
      ctx.addIssue({
        code: 'custom',
        path: ['enable_api'],
        message:
          'the local storage backend is read only: the config API cannot store configs (set enable_api: false ' +
          'or pick another backend)',
      });
    }
    const disabled = new Set(c.disabled_tenants);
    c.enabled_tenants.forEach((t, i) => {
      if (disabled.has(t))
        ctx.addIssue({
          code: 'custom',
          path: ['enabled_tenants', i],
          message: `tenant ${t} is both enabled and disabled`,
        });
    });
    if (c.persist_interval !== undefined && !c.sharding.enabled) {
      ctx.addIssue({
        code: 'custom',
        path: ['persist_interval'],
        message: 'persist_interval only applies with sharding enabled',
      });
    }
  });

export type ClusterConfiguration = z.output<typeof clusterConfigurationSchema>;

/** Validates a ClusterConfiguration; throws ConfigError `cluster_configuration_invalid` naming the keys. */
export function validateClusterConfiguration(value: unknown): ClusterConfiguration {
  const r = clusterConfigurationSchema.safeParse(value);
  if (!r.success)
    throw configErrorFromZodSummary('cluster_configuration_invalid', 'invalid cluster configuration', r.error);
  return r.data;
}
