/**
 * OTLP through the built CLI in each forwarding mode, against a recording upstream: remote write
 * 1.0 out by default and 2.0 with `forward_protocol: 2.0`; upstream 503/429/404 mapped to OTLP's
 * statuses with Retry-After passed on; queue mode answering 200 once the export is on disk;
 * ingress authentication (401 without credentials, 403 for a tenant not granted).
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eventually } from '../helpers/eventually.js';
import { otlpExport, otlpProtobuf, readExportResponse, readStatus, type ResourceSpec } from '../helpers/otlp-bodies.js';
import { tempDir } from '../helpers/peers.js';
import { startQueueDropIn } from '../helpers/queue-mode.js';
import { startRecordingUpstream, type RecordingUpstream } from '../helpers/recording-upstream.js';
import { decodeBody } from '../helpers/series.js';
import { startProxyCli, type TenantwireProcess } from '../helpers/tenantwire-process.js';

const tmp = tempDir('e2e-otlp-modes');
const procs: TenantwireProcess[] = [];
let upstream: RecordingUpstream;
const urls = { v1: '', v2: '', queue: '', auth: '' };
const TENANT = ['tenant:', '  label: tenant', 'otlp:', '  promote_resource_attributes: [tenant]'];

beforeAll(async () => {
  upstream = await startRecordingUpstream();
  const v1 = await startProxyCli(tmp.path, upstream.url, ['timeout: 5s', ...TENANT]);
  const v2 = await startProxyCli(tmp.path, upstream.url, ['timeout: 5s', 'forward_protocol: "2.0"', ...TENANT]);
  const queued = await startQueueDropIn(tmp.path, upstream.url, `${tmp.path}/queue`, ['timeout: 2s', ...TENANT]);
  const secret = join(tmp.path, 'team-a.pass');
  writeFileSync(secret, 'pw-a\n', { mode: 0o600 });
  const auth = await startProxyCli(tmp.path, upstream.url, [
    'timeout: 5s',
    'auth:',
    '  ingress:',
    `    users: [{ username: team-a, password_file: ${secret}, tenants: [team-a] }]`,
    ...TENANT,
  ]);
  procs.push(v1.tw, v2.tw, queued.tw, auth.tw);
  urls.auth = `http://127.0.0.1:${auth.port}`;
  urls.v1 = `http://127.0.0.1:${v1.port}`;
  urls.v2 = `http://127.0.0.1:${v2.port}`;
  urls.queue = queued.url;
}, 60_000);

afterAll(async () => {
  for (const p of procs) await p.stop();
  await upstream?.close();
  tmp.remove();
}, 30_000);

const exportFor = (tenant: string, name: string): Uint8Array =>
  otlpProtobuf(
    otlpExport([
      { attrs: { tenant, 'service.name': 'svc' }, metrics: [{ name, kind: 'gauge', points: [{ value: 1 }] }] },
    ] satisfies ResourceSpec[]),
  );

async function post(base: string, body: Uint8Array, headers: Record<string, string> = {}) {
  const r = await fetch(`${base}/v1/metrics`, {
    method: 'POST',
    headers: { 'content-type': 'application/x-protobuf', ...headers },
    body,
  });
  return { status: r.status, retryAfter: r.headers.get('retry-after'), body: new Uint8Array(await r.arrayBuffer()) };
}

const receivedFor = (tenant: string) => upstream.received.filter((r) => r.tenant === tenant);

describe('OTLP in each forwarding mode', () => {
  it('forwards remote write 1.0 by default', async () => {
    expect((await post(urls.v1, exportFor('t-v1', 'modes_v1'))).status).toBe(200);
    const got = receivedFor('t-v1');
    expect(got).toHaveLength(1);
    expect(String(got[0]!.headers['content-type'])).not.toContain('io.prometheus.write.v2.Request');
    const names = decodeBody(got[0]!.body).timeseries.map((ts) => ts.labels.find((l) => l.name === '__name__')?.value);
    expect(names).toContain('modes_v1');
  });

  it('forwards remote write 2.0 with forward_protocol: 2.0', async () => {
    expect((await post(urls.v2, exportFor('t-v2', 'modes_v2'))).status).toBe(200);
    const got = receivedFor('t-v2');
    expect(got).toHaveLength(1);
    expect(String(got[0]!.headers['content-type'])).toContain('io.prometheus.write.v2.Request');
  });

  it.each([
    [503, '9', 503],
    [429, '4', 429],
    [500, undefined, 502],
    [404, undefined, 400],
  ] as const)('maps an upstream %i to %i with its Retry-After', async (status, retryAfter, expected) => {
    const tenant = `t-up-${status}`;
    upstream.replies[tenant] = {
      status,
      body: `upstream refuses ${status}`,
      ...(retryAfter ? { headers: { 'retry-after': retryAfter } } : {}),
    };
    const r = await post(urls.v1, exportFor(tenant, 'modes_up'));
    expect(r.status).toBe(expected);
    expect(r.retryAfter).toBe(retryAfter ?? null);
    const s = readStatus(r.body);
    expect(s.message).toContain(tenant);
    expect(s.message).toContain(`upstream refuses ${status}`);
  });

  it('answers 200 in queue mode once on disk, and delivers later', async () => {
    const r = await post(urls.queue, exportFor('t-queued', 'modes_queued'));
    expect(r.status).toBe(200);
    expect(readExportResponse(r.body)).toEqual({ rejectedDataPoints: 0, errorMessage: '' });
    await eventually(() => expect(receivedFor('t-queued').length).toBeGreaterThan(0), { timeoutMs: 10_000 });
  });

  it('applies ingress authentication: 401 without credentials, 403 for a tenant not granted', async () => {
    const basic = `Basic ${Buffer.from('team-a:pw-a').toString('base64')}`;
    const none = await post(urls.auth, exportFor('team-a', 'modes_auth'));
    expect(none.status).toBe(401);
    expect(readStatus(none.body)).toMatchObject({ code: 16 });
    const other = await post(urls.auth, exportFor('team-b', 'modes_auth'), { authorization: basic });
    expect(other.status).toBe(403);
    expect(readStatus(other.body).message).toContain('team-b');
    expect(receivedFor('team-b')).toHaveLength(0);
    expect((await post(urls.auth, exportFor('team-a', 'modes_auth'), { authorization: basic })).status).toBe(200);
    expect(receivedFor('team-a')).toHaveLength(1);
  });
});
