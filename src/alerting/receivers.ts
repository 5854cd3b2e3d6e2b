/**
 * Endpoints -> Alertmanager 0.25 receiver integrations. One receiver per condition holds one
 * integration per attached endpoint; the default hook is its own receiver.
 */
import type { ConditionType } from './condition-types.js';
import { DEFAULT_HOOK_RECEIVER, conditionReceiverName, markerReceiverName } from './condition-types.js';
import type { Endpoint } from './endpoint-schema.js';
import { INLINE_TEMPLATES } from './templates.js';

export type Receiver = { name: string } & Record<string, unknown>;

function httpConfig(h: NonNullable<NonNullable<Endpoint['webhook']>['http_config']>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  if (h.basic_auth) out.basic_auth = { username: h.basic_auth.username, password: h.basic_auth.password };
  if (h.authorization) out.authorization = { type: h.authorization.type, credentials: h.authorization.credentials };
  if (h.tls_config) out.tls_config = { ...h.tls_config };
  return out;
}

/** The integration list key and its one entry for an endpoint. */
export function integrationFor(e: Endpoint): [string, Record<string, unknown>] {
  if (e.slack) {
    return [
      'slack_configs',
      {
        api_url: e.slack.webhook_url,
        channel: e.slack.channel,
        send_resolved: e.slack.send_resolved,
        title: INLINE_TEMPLATES.slackTitle,
        text: INLINE_TEMPLATES.slackText,
      },
    ];
  }
  if (e.pagerduty) {
    return [
      'pagerduty_configs',
      {
        routing_key: e.pagerduty.integration_key,
        send_resolved: e.pagerduty.send_resolved,
        description: INLINE_TEMPLATES.pagerdutyDescription,
        severity: INLINE_TEMPLATES.pagerdutySeverity,
      },
    ];
  }
  if (e.email) {
    // Alertmanager's own subject and HTML body are kept: Opni overwrote them with its own.
    const cfg: Record<string, unknown> = {
      to: e.email.to,
      from: e.email.from,
      smarthost: e.email.smarthost,
      send_resolved: e.email.send_resolved,
    };
    if (e.email.auth) {
      cfg.auth_username = e.email.auth.username;
      cfg.auth_password = e.email.auth.password;
      if (e.email.auth.identity !== undefined) cfg.auth_identity = e.email.auth.identity;
    }
    if (e.email.require_tls !== undefined) cfg.require_tls = e.email.require_tls;
    return ['email_configs', cfg];
  }
  if (e.webhook) {
    const cfg: Record<string, unknown> = { url: e.webhook.url, send_resolved: e.webhook.send_resolved };
    if (e.webhook.http_config) cfg.http_config = httpConfig(e.webhook.http_config);
    if (e.webhook.max_alerts !== undefined) cfg.max_alerts = e.webhook.max_alerts;
    return ['webhook_configs', cfg];
  }
  if (e.opsgenie) {
    const cfg: Record<string, unknown> = {
      api_key: e.opsgenie.api_key,
      send_resolved: e.opsgenie.send_resolved,
      message: INLINE_TEMPLATES.opsgenieMessage,
    };
    if (e.opsgenie.api_url) cfg.api_url = e.opsgenie.api_url;
    return ['opsgenie_configs', cfg];
  }
  throw new Error(`endpoint ${e.id} has no kind`); // unreachable: the schema requires one kind
}

/** The receiver of one condition: one integration per endpoint, in the condition's order. */
export function conditionReceiver(type: ConditionType, conditionId: string, endpoints: readonly Endpoint[]): Receiver {
  const receiver: Receiver = { name: conditionReceiverName(type, conditionId) };
  for (const e of endpoints) {
    const [key, cfg] = integrationFor(e);
    const list = (receiver[key] as Record<string, unknown>[] | undefined) ?? [];
    list.push(cfg);
    receiver[key] = list;
  }
  return receiver;
}

export const defaultHookReceiver = (url: string): Receiver => ({
  name: DEFAULT_HOOK_RECEIVER,
  webhook_configs: [{ url, send_resolved: true }],
});

/** A receiver no route uses: its presence in `/api/v2/receivers` proves this config is applied. */
export const markerReceiver = (hash: string): Receiver => ({ name: markerReceiverName(hash) });
