import { describe, expect, it } from 'vitest';
import { withTenantSplit } from '../../src/proxy/tenant-split-transport.js';
import { STALE_NAN_BITS } from '../../src/wire/types.js';
import type { Transport, TransportRequest, TransportResult } from '../../src/transport/types.js';
import { decodeBody, remoteWriteBody, sample, series } from '../helpers/series.js';

const s = (name: string, tenant: string | undefined, value = 1) =>
  series({ __name__: name, ...(tenant ? { tenant } : {}) }, [sample(value, 1000)]);

function inner(
  answer: (tenant: string) => TransportResult = () => ({
    kind: 'response',
    status: 204,
    headers: {},
    body: new Uint8Array(),
  }),
) {
  const seen: TransportRequest[] = [];
  const t: Transport = {
    async send(req) {
      seen.push(req);
      return answer(req.headers['X-Scope-OrgID'] ?? '');
    },
    async close() {},
  };
  return { t, seen };
}

const headers = { 'Content-Type': 'application/x-protobuf', 'Content-Encoding': 'snappy' };

describe('withTenantSplit', () => {
  it('splits a serialised request by tenant and sends each part with its header', async () => {
    const { t, seen } = inner();
    const split = withTenantSplit(t, { tenant: { label: 'tenant', label_remove: true, default: 'anon' } });
    const stale = { ...s('c', 'b'), samples: [{ timestamp: 5, value: Number.NaN, valueBits: STALE_NAN_BITS }] };
    const r = await split.send({
      url: 'http://x/push',
      headers,
      body: remoteWriteBody([s('a', 'a'), s('b', 'b'), s('z', undefined), stale]),
    });
    expect(r).toMatchObject({ kind: 'response', status: 204 });
    const byTenant = new Map(seen.map((q) => [q.headers['X-Scope-OrgID'], decodeBody(q.body ?? new Uint8Array())]));
    expect([...byTenant.keys()].sort()).toEqual(['a', 'anon', 'b']);
    expect(byTenant.get('b')?.timeseries.map((x) => x.labels.map((l) => l.name).join())).toEqual([
      '__name__',
      '__name__',
    ]);
    expect(byTenant.get('b')?.timeseries[1]?.samples[0]?.valueBits).toBe(STALE_NAN_BITS);
  });

  it('forwards the original bytes for a single tenant with nothing to rewrite', async () => {
    const { t, seen } = inner();
    const b = remoteWriteBody([s('a', 'x'), s('b', 'x')]);
    await withTenantSplit(t, { tenant: { label: 'tenant' } }).send({ url: 'http://x', headers, body: b });
    expect(seen[0]?.body).toBe(b);
  });

  it('folds the answers: highest status wins, transport errors give 500, Retry-After kept', async () => {
    const answers: Record<string, TransportResult> = {
      a: { kind: 'response', status: 204, headers: {}, body: new Uint8Array() },
      b: {
        kind: 'response',
        status: 429,
        headers: {},
        body: new TextEncoder().encode('slow down'),
        retryAfterMs: 3000,
      },
    };
    const { t } = inner(
      (tenant) => answers[tenant] ?? { kind: 'response', status: 204, headers: {}, body: new Uint8Array() },
    );
    const r = await withTenantSplit(t, { tenant: { label: 'tenant' } }).send({
      url: 'http://x',
      headers,
      body: remoteWriteBody([s('a', 'a'), s('b', 'b')]),
    });
    expect(r).toMatchObject({ kind: 'response', status: 429, retryAfterMs: 3000 });
    const failing = inner((tenant) =>
      tenant === 'b'
        ? { kind: 'error', error: Object.assign(new Error('refused'), { code: 'ECONNREFUSED' }) as never }
        : answers.a!,
    );
    const r2 = await withTenantSplit(failing.t, { tenant: { label: 'tenant' } }).send({
      url: 'http://x',
      headers,
      body: remoteWriteBody([s('a', 'a'), s('b', 'b')]),
    });
    expect(r2.kind === 'response' && r2.status).toBe(500);
  });

  it('answers 400 for a series without a tenant and no default, 415 for 2.0 bodies', async () => {
    const { t, seen } = inner();
    const split = withTenantSplit(t, { tenant: { label: 'tenant' } });
    const r = await split.send({ url: 'http://x', headers, body: remoteWriteBody([s('a', 'a'), s('b', undefined)]) });
    expect(r.kind === 'response' && r.status).toBe(400);
    const r2 = await split.send({
      url: 'http://x',
      headers: { 'Content-Type': 'application/x-protobuf;proto=io.prometheus.write.v2.Request' },
      body: new Uint8Array(),
    });
    expect(r2.kind === 'response' && r2.status).toBe(415);
    expect(seen).toHaveLength(0);
  });
});
