/**
 * ClusterConfiguration -> the `alertmanager`, `alertmanager_storage`, `api` and `limits` blocks of
 * a Cortex config file. Pure.
 */
import { AlertingError } from '../../errors.js';
import { stableYaml } from '../stable-yaml.js';
import type { ClusterConfiguration } from './model.js';

export interface CortexConfigBlocks {
  alertmanager: Record<string, unknown>;
  alertmanager_storage: Record<string, unknown>;
  api: Record<string, unknown>;
  limits: Record<string, unknown>;
}

export function renderCortexBlocks(c: ClusterConfiguration): CortexConfigBlocks {
  if (c.mode !== 'cortex')
    throw new AlertingError(
      'cluster_configuration_mode',
      'a vanilla cluster configuration has no Cortex config: render its flags instead',
    );
  const alertmanager: Record<string, unknown> = {
    external_url: c.external_url,
    data_dir: c.data_dir,
    retention: c.retention,
    poll_interval: c.poll_interval,
    enable_api: c.enable_api,
    sharding_enabled: c.sharding.enabled,
    cluster: {
      listen_address: c.sharding.enabled ? '' : c.cluster.listen_address,
      peers: c.cluster.peers.join(','),
      peer_timeout: c.cluster.peer_timeout,
      gossip_interval: c.cluster.gossip_interval,
      push_pull_interval: c.cluster.push_pull_interval,
    },
  };
  if (c.sharding.enabled) {
    alertmanager.sharding_ring = {
      kvstore: { store: c.sharding.kvstore },
      replication_factor: c.sharding.replication_factor,
    };
    if (c.persist_interval !== undefined) alertmanager.persist_interval = c.persist_interval;
  }
  if (c.fallback_config_file !== undefined) alertmanager.fallback_config_file = c.fallback_config_file;
  if (c.enabled_tenants.length > 0) alertmanager.enabled_tenants = c.enabled_tenants.join(',');
  if (c.disabled_tenants.length > 0) alertmanager.disabled_tenants = c.disabled_tenants.join(',');
  const backend = c.storage.backend;
  const alertmanager_storage: Record<string, unknown> = { backend, [backend]: { ...c.storage[backend] } };
  const api = { alertmanager_http_prefix: c.api.alertmanager_http_prefix, http_prefix: c.api.http_prefix };
  const l = c.limits;
  const limits: Record<string, unknown> = l
    ? {
        alertmanager_max_config_size_bytes: l.max_config_size_bytes,
        alertmanager_max_templates_count: l.max_templates_count,
        alertmanager_max_template_size_bytes: l.max_template_size_bytes,
        alertmanager_notification_rate_limit: l.notification_rate_limit,
        alertmanager_max_alerts_count: l.max_alerts_count,
        alertmanager_receivers_firewall_block_private_addresses: l.receivers_firewall_block_private_addresses,
        alertmanager_receivers_firewall_block_cidr_networks: l.receivers_firewall_block_cidr_networks.join(','),
      }
    : {};
  return { alertmanager, alertmanager_storage, api, limits };
}

export const renderCortexConfigYaml = (c: ClusterConfiguration): string => stableYaml(renderCortexBlocks(c));

/** Where Cortex serves the tenant Alertmanager API under this configuration. */
export const cortexAlertmanagerPrefixes = (c: ClusterConfiguration): string[] => [
  c.api.alertmanager_http_prefix,
  `${c.api.http_prefix.replace(/\/+$/, '')}/alertmanager`,
];
