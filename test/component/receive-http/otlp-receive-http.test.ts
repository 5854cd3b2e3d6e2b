/**
 * `otlp.receive_http` in a pipeline: OTLP/HTTP exports (protobuf and gzipped JSON) into
 * `POST /v1/metrics`, translated and pushed into prometheus.remote_write, whose tenant block
 * splits them by a promoted resource attribute; the answers are OTLP's (200 with an export
 * response, partial success for delta points, 400 Status for a bad body); the remote-write routes
 * are not served; a bad translation option is refused naming its path.
 */
import { Registry } from 'prom-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createDefaultRegistry } from '../../../src/component/default-registry.js';
import { createHost, type Host } from '../../../src/component/host.js';
import { createSilentLogger } from '../../../src/logger.js';
import { eventually } from '../../helpers/eventually.js';
import {
  gzip,
  otlpExport,
  otlpJsonBytes,
  otlpProtobuf,
  readExportResponse,
  readStatus,
} from '../../helpers/otlp-bodies.js';
import { recordingTransport } from '../remote-write/recording-transport.js';

const rec = recordingTransport();
const metricsRegistry = new Registry();
let host: Host;
let address = '';
const controller = new AbortController();
let running: Promise<void>;

const pipeline = (extra = '') => `
otlp.receive_http:
  in:
    listen: 127.0.0.1:0
    forward_to: [prometheus.remote_write.out.receiver]
    otlp: { promote_resource_attributes: [tenant]${extra} }
prometheus.remote_write:
  out:
    endpoint:
      - url: http://127.0.0.1:9/push
        tenant: { label: tenant, label_remove: true }
    queue_config: { batch_send_deadline: 20ms }
`;

beforeAll(async () => {
  host = createHost({
    registry: createDefaultRegistry({ metrics: metricsRegistry, remoteWrite: { transport: rec.transport } }),
    logger: createSilentLogger(),
  });
  await host.reload(pipeline());
  running = host.run(controller.signal);
  address = await eventually(() => (host.exports('otlp.receive_http.in')?.address as string | undefined) || false, {
    timeoutMs: 10_000,
    message: 'otlp.receive_http.in to listen',
  });
});
afterAll(async () => {
  controller.abort();
  await running;
});

const doc = otlpExport([
  {
    attrs: { 'service.name': 'api', tenant: 'team-a' },
    metrics: [{ name: 'http.requests', kind: 'counter', points: [{ value: 3, attrs: { route: '/x' } }] }],
  },
  {
    attrs: { 'service.name': 'db', tenant: 'team-b' },
    metrics: [
      { name: 'queries', kind: 'counter', points: [{ value: 7 }] },
      { name: 'deltas', kind: 'delta_counter', points: [{ value: 1 }] },
    ],
  },
]);

async function post(body: Uint8Array, type: string, encoding?: string, path = '/v1/metrics') {
  const res = await fetch(`http://${address}${path}`, {
    method: 'POST',
    headers: { 'content-type': type, ...(encoding ? { 'content-encoding': encoding } : {}) },
    body,
  });
  return { status: res.status, type: res.headers.get('content-type'), bytes: new Uint8Array(await res.arrayBuffer()) };
}

describe('otlp.receive_http -> prometheus.remote_write', () => {
  it('translates a protobuf export, splits it by tenant and reports the delta points refused', async () => {
    const res = await post(otlpProtobuf(doc), 'application/x-protobuf');
    expect(res.status).toBe(200);
    expect(res.type).toContain('application/x-protobuf');
    const answer = readExportResponse(res.bytes);
    expect(answer.rejectedDataPoints).toBe(1);
    expect(answer.errorMessage).toContain('delta temporality');
    await eventually(
      () => {
        const tenants = new Set(rec.sent.map((r) => r.request.headers['X-Scope-OrgID']));
        return tenants.has('team-a') && tenants.has('team-b');
      },
      { timeoutMs: 5_000, message: 'both tenants to be forwarded' },
    );
    const names = (t: string) =>
      rec.sent
        .filter((r) => r.request.headers['X-Scope-OrgID'] === t)
        .flatMap((r) => r.decoded.timeseries.map((s) => s.labels.find((l) => l.name === '__name__')?.value));
    expect(names('team-a')).toContain('http_requests_total');
    expect(names('team-a')).not.toContain('queries_total');
    expect(names('team-b')).toContain('queries_total');
  });

  it('takes gzipped JSON and answers in JSON', async () => {
    const res = await post(gzip(otlpJsonBytes(doc)), 'application/json', 'gzip');
    expect(res.status).toBe(200);
    expect(res.type).toContain('application/json');
    // proto3 JSON writes int64 as a string.
    expect(JSON.parse(new TextDecoder().decode(res.bytes))).toMatchObject({
      partialSuccess: { rejectedDataPoints: '1' },
    });
  });

  it('answers a body that does not decode with 400 and a Status naming the problem', async () => {
    const res = await post(new Uint8Array([0x0a, 0xff, 0xff]), 'application/x-protobuf');
    expect(res.status).toBe(400);
    expect(readStatus(res.bytes).message).toMatch(/bad OTLP metrics export/);
  });

  it('serves OTLP only: the remote-write paths are not routes here', async () => {
    const res = await post(new Uint8Array(), 'application/x-protobuf', undefined, '/api/v1/write');
    expect(res.status).toBe(404);
  });

  it('counts the exports by status in the shared registry', async () => {
    const text = await metricsRegistry.metrics();
    expect(text).toMatch(/tenantwire_otlp_requests_total\{code="200"\} [1-9]/);
    expect(text).toMatch(/tenantwire_otlp_data_points_dropped_total\{reason="delta_temporality"\} [1-9]/);
  });

  it('refuses an unknown translation option naming its path, keeping the running pipeline', async () => {
    await expect(host.reload(pipeline(', promote_resource_atributes: [x]'))).rejects.toThrow(
      /otlp\.receive_http\.in.*otlp.*promote_resource_atributes/,
    );
    expect((await post(otlpProtobuf(doc), 'application/x-protobuf')).status).toBe(200);
  });
});
