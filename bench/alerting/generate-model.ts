/** A deterministic alerting model: N clusters with K conditions each, over a few shared endpoints. */
import { CONDITION_TYPES, SEVERITIES } from '../../src/alerting/condition-types.js';
import { validateAlertingModel } from '../../src/alerting/model.js';
import type { AlertingModel } from '../../src/alerting/model.js';

export function generateModel(clusters: number, perCluster: number): AlertingModel {
  const types = CONDITION_TYPES.filter((t) => t !== 'monitoring_backend' && t !== 'logging_backend');
  const endpoints = [
    { id: 'slack', slack: { webhook_url: 'https://hooks.slack.com/services/T/B/X', channel: '#alerts' } },
    { id: 'pager', pagerduty: { integration_key: '0123456789abcdef' } },
    { id: 'mail', email: { to: 'ops@example.com', from: 'am@example.com', smarthost: 'smtp.example.com:587' } },
    { id: 'hook', webhook: { url: 'https://audit.example.com/hook' } },
  ];
  const cs = Array.from({ length: clusters }, (_, i) => ({ id: `cluster-${i}`, name: `cluster ${i}` }));
  const conditions = cs.flatMap((c, i) =>
    Array.from({ length: perCluster }, (_, j) => ({
      id: `cond-${i}-${j}`,
      name: `condition ${j} of ${c.id}`,
      type: types[(i + j) % types.length],
      cluster: c.id,
      severity: SEVERITIES[j % SEVERITIES.length],
      endpoints: [endpoints[j % endpoints.length]!.id, endpoints[(j + 1) % endpoints.length]!.id],
      initial_delay: '30s',
      throttling: '5m',
      repeat: '1h',
    })),
  );
  conditions.push({
    id: 'backend-down',
    name: 'backend',
    type: 'monitoring_backend',
    severity: 'error',
    endpoints: ['mail'],
  } as never);
  return validateAlertingModel({ default_hook: 'http://127.0.0.1:3000/hook', clusters: cs, endpoints, conditions });
}
