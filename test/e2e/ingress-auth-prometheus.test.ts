/**
 * End to end with a real sender: Debian's Prometheus 2.42 scrapes itself under three jobs whose
 * relabelling sets a tenant (team-a, team-a-dev, team-b) and remote-writes into tenantwire with
 * `basic_auth` as user team-a, whose credential may write `team-a` and `team-a-*` only
 * (on_forbidden: drop, so Prometheus keeps sending). A second remote_write queue sends with a
 * wrong password. Upstream must see team-a and team-a-dev, never team-b, never the sender's
 * Authorization header; tenantwire counts the dropped samples and the refused requests.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eventually } from '../helpers/eventually.js';
import { freePort, startPeer, tempDir, waitForHttp, type RunningPeer } from '../helpers/peers.js';
import { startRecordingUpstream, type RecordingUpstream } from '../helpers/recording-upstream.js';
import { startProxyCli, type TenantwireProcess } from '../helpers/tenantwire-process.js';

const tmp = tempDir('e2e-ingress-auth');
const peers: RunningPeer[] = [];
let tw: TenantwireProcess | undefined;
let upstream: RecordingUpstream | undefined;
let twUrl = '';

beforeAll(async () => {
  upstream = await startRecordingUpstream();
  const file = (name: string, content: string) => {
    const path = join(tmp.path, name);
    writeFileSync(path, content, { mode: 0o600 });
    return path;
  };
  let port: number;
  ({ tw, port } = await startProxyCli(tmp.path, upstream.url, [
    'timeout: 10s',
    'tenant:',
    '  label: tenant',
    '  label_remove: true',
    'auth:',
    '  ingress:',
    '    users:',
    `      - { username: team-a, password_file: ${file('tw-a.pass', 'e2e-pass-A\n')}, tenants: ['team-a', 'team-a-*'] }`,
    '    on_forbidden: drop',
  ]));
  twUrl = `http://127.0.0.1:${port}`;

  const senderPort = await freePort();
  const job = (name: string, tenant: string) =>
    [
      `  - job_name: ${name}`,
      `    static_configs: [{ targets: ['127.0.0.1:${senderPort}'] }]`,
      '    relabel_configs:',
      `      - { target_label: tenant, replacement: ${tenant} }`,
    ].join('\n');
  const queue = '    queue_config: { batch_send_deadline: 1s, max_samples_per_send: 500 }';
  const senderCfg = file(
    'sender.yml',
    [
      'global: { scrape_interval: 1s }',
      'scrape_configs:',
      job('job-a', 'team-a'),
      job('job-a-dev', 'team-a-dev'),
      job('job-b', 'team-b'),
      'remote_write:',
      `  - url: ${twUrl}/api/v1/push`,
      '    name: right',
      `    basic_auth: { username: team-a, password_file: ${file('prom-a.pass', 'e2e-pass-A')} }`,
      queue,
      '    metadata_config: { send: false }',
      `  - url: ${twUrl}/api/v1/push`,
      '    name: wrong',
      `    basic_auth: { username: team-a, password: not-the-password }`,
      queue,
      '    metadata_config: { send: false }',
      '',
    ].join('\n'),
  );
  const sender = startPeer('prometheus', [
    `--config.file=${senderCfg}`,
    `--storage.tsdb.path=${join(tmp.path, 'sender-data')}`,
    `--web.listen-address=127.0.0.1:${senderPort}`,
  ]);
  peers.push(sender);
  await waitForHttp(`http://127.0.0.1:${senderPort}/-/ready`, sender);
}, 90_000);

afterAll(async () => {
  for (const p of peers.reverse()) await p.stop();
  await tw?.stop();
  await upstream?.close();
  tmp.remove();
}, 60_000);

async function metric(pattern: RegExp): Promise<number> {
  const text = await (await fetch(`${twUrl}/metrics`)).text();
  return Number(pattern.exec(text)?.[1] ?? 0);
}

describe('Prometheus 2.42 with basic_auth -> tenantwire with ingress credentials', () => {
  it('delivers the allowed tenants only, drops and counts the forbidden one, refuses the wrong password', async () => {
    await eventually(
      async () => {
        const tenants = new Set(upstream!.received.map((r) => r.tenant));
        expect(tenants.has('team-a') && tenants.has('team-a-dev'), [...tenants].join(',')).toBe(true);
        expect(await metric(/tenantwire_samples_dropped_total\{reason="forbidden_tenant"\} (\d+)/)).toBeGreaterThan(0);
        expect(await metric(/tenantwire_ingress_refused_total\{reason="wrong_credentials"\} (\d+)/)).toBeGreaterThan(0);
      },
      { timeoutMs: 45_000, intervalMs: 250, message: 'team-a and team-a-dev delivered, drops and refusals counted' },
    );
    const received = upstream!.received;
    expect(new Set(received.map((r) => r.tenant))).toEqual(new Set(['team-a', 'team-a-dev']));
    for (const r of received) expect(r.headers.authorization).toBeUndefined();
    expect(tw!.output()).not.toContain('e2e-pass-A');
  }, 60_000);
});
