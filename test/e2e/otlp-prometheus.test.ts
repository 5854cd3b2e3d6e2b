/**
 * End to end: OTLP/HTTP metrics (hand-built protobuf and JSON bodies) POSTed to the built CLI's
 * /v1/metrics, split by the tenant a promoted resource attribute names, delivered as remote
 * write to two real Prometheus 2.42 receivers (one per tenant, behind a router keyed by
 * X-Scope-OrgID). Each receiver must hold exactly its tenant's series.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eventually } from '../helpers/eventually.js';
import {
  gzip,
  otlpExport,
  otlpJsonBytes,
  otlpProtobuf,
  readExportResponse,
  type ResourceSpec,
} from '../helpers/otlp-bodies.js';
import { tempDir } from '../helpers/peers.js';
import { startTenantReceivers, type TenantReceivers } from '../helpers/prometheus-receivers.js';
import { startProxyCli, type TenantwireProcess } from '../helpers/tenantwire-process.js';

const tmp = tempDir('e2e-otlp');
let tw: TenantwireProcess | undefined;
let receivers: TenantReceivers | undefined;
let base = '';

beforeAll(async () => {
  receivers = await startTenantReceivers(['team-a', 'team-b'], tmp.path);
  const started = await startProxyCli(tmp.path, receivers.url, [
    'timeout: 10s',
    'tenant:',
    '  label: tenant',
    '  label_remove: true',
    'otlp:',
    '  promote_resource_attributes: [tenant]',
  ]);
  tw = started.tw;
  base = `http://127.0.0.1:${started.port}`;
}, 90_000);

afterAll(async () => {
  await tw?.stop();
  await receivers?.stop();
  tmp.remove();
}, 60_000);

const resources = (suffix: string): ResourceSpec[] => [
  {
    attrs: { tenant: 'team-a', 'service.name': 'api', 'service.instance.id': `a-${suffix}` },
    metrics: [
      { name: 'otlp_e2e_queue_depth', kind: 'gauge', points: [{ value: 11, attrs: { queue: 'q1' } }] },
      { name: 'otlp_e2e_jobs', kind: 'counter', points: [{ value: 5, attrs: { kind: suffix } }] },
    ],
  },
  {
    attrs: { tenant: 'team-b', 'service.name': 'db', 'service.instance.id': `b-${suffix}` },
    metrics: [{ name: 'otlp_e2e_queue_depth', kind: 'gauge', points: [{ value: 22, attrs: { queue: 'q2' } }] }],
  },
];

async function post(body: Uint8Array, headers: Record<string, string>) {
  const r = await fetch(`${base}/v1/metrics`, { method: 'POST', headers, body });
  return { status: r.status, type: r.headers.get('content-type'), body: new Uint8Array(await r.arrayBuffer()) };
}

describe('OTLP/HTTP -> tenantwire -> one Prometheus 2.42 per tenant', () => {
  it('answers 200 in the request encoding for protobuf and gzip JSON', async () => {
    const pb = await post(otlpProtobuf(otlpExport(resources('pb'))), { 'content-type': 'application/x-protobuf' });
    expect(pb.status).toBe(200);
    expect(pb.type).toBe('application/x-protobuf');
    expect(readExportResponse(pb.body)).toEqual({ rejectedDataPoints: 0, errorMessage: '' });
    const json = await post(gzip(otlpJsonBytes(otlpExport(resources('json')))), {
      'content-type': 'application/json',
      'content-encoding': 'gzip',
    });
    expect(json.status).toBe(200);
    expect(json.type).toBe('application/json');
    expect(JSON.parse(new TextDecoder().decode(json.body))).toEqual({});
  });

  it('delivers each tenant exactly its series, the tenant label removed', async () => {
    const [a, b] = await eventually(
      async () => {
        const got = await Promise.all([
          receivers!.query('team-a', '{__name__=~"otlp_e2e.*"}'),
          receivers!.query('team-b', '{__name__=~"otlp_e2e.*"}'),
        ]);
        expect(got.map((g) => g.length)).toEqual([4, 2]);
        return got;
      },
      { timeoutMs: 20_000, intervalMs: 200 },
    );
    const describe = (rs: typeof a) =>
      rs.map((r) => `${r.metric.__name__}{${r.metric.queue ?? r.metric.kind}} ${r.metric.job} ${r.value[1]}`).sort();
    expect(describe(a)).toEqual([
      'otlp_e2e_jobs_total{json} api 5',
      'otlp_e2e_jobs_total{pb} api 5',
      'otlp_e2e_queue_depth{q1} api 11',
      'otlp_e2e_queue_depth{q1} api 11',
    ]);
    expect(describe(b)).toEqual(['otlp_e2e_queue_depth{q2} db 22', 'otlp_e2e_queue_depth{q2} db 22']);
    for (const r of [...a, ...b]) expect(r.metric.tenant).toBeUndefined();
    expect(new Set(a.map((r) => r.metric.instance))).toEqual(new Set(['a-pb', 'a-json']));
    expect(new Set(b.map((r) => r.metric.instance))).toEqual(new Set(['b-pb', 'b-json']));
  });

  it('reports delta points as partial success and counts requests by code', async () => {
    const doc = otlpExport([
      {
        attrs: { tenant: 'team-a', 'service.name': 'api' },
        metrics: [
          { name: 'otlp_e2e_delta', kind: 'delta_counter', points: [{ value: 1 }, { value: 2, attrs: { x: 'y' } }] },
        ],
      },
    ]);
    const r = await post(otlpProtobuf(doc), { 'content-type': 'application/x-protobuf' });
    expect(r.status).toBe(200);
    const partial = readExportResponse(r.body);
    expect(partial.rejectedDataPoints).toBe(2);
    expect(partial.errorMessage).toContain('otlp_e2e_delta');
    const metrics = await (await fetch(`${base}/metrics`)).text();
    expect(metrics).toMatch(/^tenantwire_otlp_requests_total\{code="200"\} 3$/m);
    expect(metrics).toMatch(/^tenantwire_otlp_data_points_dropped_total\{reason="delta_temporality"\} 2$/m);
    expect(metrics).toMatch(/^tenantwire_otlp_data_points_translated_total 6$/m);
  });
});
