/**
 * The guardrails in pipeline mode over real HTTP: receive_http's `auth` (401 without valid
 * credentials, 403 for a tenant the credential may not write, secrets re-read on a reload that
 * leaves the arguments unchanged) and a remote_write endpoint's `tenant.limits` (429 +
 * Retry-After), the rights travelling with the push to the endpoint's final tenants.
 */
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Registry } from 'prom-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createDefaultRegistry } from '../../../src/component/default-registry.js';
import { createHost, type Host } from '../../../src/component/host.js';
import { createSilentLogger } from '../../../src/logger.js';
import { encodeWriteRequest } from '../../../src/wire/encode-v1.js';
import { snappyCompress } from '../../../src/wire/snappy.js';
import { eventually } from '../../helpers/eventually.js';
import { recordingTransport, sampleCount, series } from '../remote-write/recording-transport.js';

let host: Host;
let dir = '';
let address = '';
let pipeline = '';
const controller = new AbortController();
let running: Promise<void>;
const rec = recordingTransport();

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'tw-rh-auth-'));
  await writeFile(join(dir, 'a.pass'), 'secret-a\n');
  await writeFile(join(dir, 'ci.token'), 'token-1\n');
  host = createHost({
    registry: createDefaultRegistry({ metrics: new Registry(), remoteWrite: { transport: rec.transport } }),
    logger: createSilentLogger(),
  });
  pipeline = `
prometheus.receive_http:
  in:
    listen: 127.0.0.1:0
    forward_to: [prometheus.remote_write.out.receiver]
    auth:
      users:
        - { username: team-a, password_file: ${join(dir, 'a.pass')}, tenants: ['team-a', 'team-a-*'] }
        - { bearer_token_file: ${join(dir, 'ci.token')}, tenants: ['*'] }
prometheus.remote_write:
  out:
    endpoint:
      - url: http://127.0.0.1:9/push
        tenant:
          label: tenant
          limits: { per_tenant: { ingestion_rate: 0.1, ingestion_burst: 5 } }
    queue_config: { batch_send_deadline: 20ms }
`;
  await host.reload(pipeline);
  running = host.run(controller.signal);
  address = await eventually(
    () => (host.exports('prometheus.receive_http.in')?.address as string | undefined) || false,
    { timeoutMs: 10_000, message: 'prometheus.receive_http.in to listen' },
  );
});
afterAll(async () => {
  controller.abort();
  await running;
  await rm(dir, { recursive: true, force: true });
});

const body = (tenants: string[], n = 1) =>
  snappyCompress(
    encodeWriteRequest({
      timeseries: tenants.flatMap((t) =>
        Array.from({ length: n }, (_, i) => series(`m_${i}`, { tenant: t }, [[1_700_000_000_000, i]])),
      ),
      metadata: [],
    }),
  );

const basic = (user: string, pass: string) => `Basic ${Buffer.from(`${user}:${pass}`).toString('base64')}`;

async function post(data: Uint8Array, authorization?: string) {
  const res = await fetch(`http://${address}/api/v1/write`, {
    method: 'POST',
    headers: {
      'content-type': 'application/x-protobuf',
      'content-encoding': 'snappy',
      'x-prometheus-remote-write-version': '0.1.0',
      ...(authorization ? { authorization } : {}),
    },
    body: data,
  });
  return { status: res.status, text: await res.text(), headers: res.headers };
}

describe('prometheus.receive_http auth with remote_write tenant.limits', () => {
  it('answers 401 with WWW-Authenticate without or with wrong credentials', async () => {
    const none = await post(body(['team-a']));
    expect(none.status).toBe(401);
    expect(none.headers.get('www-authenticate')).toMatch(/Basic/);
    expect((await post(body(['team-a']), basic('team-a', 'wrong'))).status).toBe(401);
  });

  it('forwards the tenants a credential may write and refuses another with 403 naming it', async () => {
    expect((await post(body(['team-a', 'team-a-x']), basic('team-a', 'secret-a'))).status).toBe(204);
    const forbidden = await post(body(['team-a', 'team-b']), basic('team-a', 'secret-a'));
    expect(forbidden.status).toBe(403);
    expect(forbidden.text).toContain('may not write tenant "team-b"');
    await eventually(() => sampleCount(rec.sent) >= 2, { timeoutMs: 5_000, message: 'the allowed samples to arrive' });
    const tenants = new Set(rec.sent.map((r) => r.request.headers['X-Scope-OrgID']));
    expect(tenants).toEqual(new Set(['team-a', 'team-a-x']));
  });

  it('answers 429 with Retry-After for a tenant over its ingestion rate', async () => {
    const token = 'Bearer token-1';
    expect((await post(body(['burst'], 5), token)).status).toBe(204);
    const limited = await post(body(['burst'], 5), token);
    expect(limited.status).toBe(429);
    expect(Number(limited.headers.get('retry-after'))).toBeGreaterThanOrEqual(1);
    expect(limited.text).toContain('tenant burst: 5 samples over ingestion_rate');
  });

  it('reads a rotated secret file again on a reload that changes nothing else', async () => {
    await writeFile(join(dir, 'ci.token'), 'token-2\n');
    expect((await post(body(['x']), 'Bearer token-2')).status).toBe(401);
    await host.reload(pipeline);
    expect((await post(body(['x']), 'Bearer token-2')).status).toBe(204);
    expect((await post(body(['x']), 'Bearer token-1')).status).toBe(401);
  });
});
