/**
 * The smallest pipeline file: `prometheus.receive_http.ingest` on 127.0.0.1:`port` forwarding
 * to `prometheus.remote_write.up`, which splits by the `__tenant__` label and sends to `url`.
 */
export interface ReceiveToRemoteWrite {
  readonly port: number;
  readonly url: string;
  /** Tenant of series without the label; none when unset. */
  readonly tenantDefault?: string;
  readonly batchSendDeadline: string;
}

export function receiveToRemoteWriteYaml(o: ReceiveToRemoteWrite): string {
  const tenant =
    o.tenantDefault === undefined ? '{ label: __tenant__ }' : `{ label: __tenant__, default: ${o.tenantDefault} }`;
  return [
    'prometheus.receive_http:',
    '  ingest:',
    `    listen: 127.0.0.1:${o.port}`,
    '    forward_to: [prometheus.remote_write.up.receiver]',
    'prometheus.remote_write:',
    '  up:',
    '    endpoint:',
    `      - url: ${o.url}`,
    `        tenant: ${tenant}`,
    `    queue_config: { batch_send_deadline: ${o.batchSendDeadline} }`,
    '',
  ].join('\n');
}
