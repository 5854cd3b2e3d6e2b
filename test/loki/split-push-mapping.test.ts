/**
 * Loki pushes find their tenant with the same `mapping` and `on_missing` as series: streams go
 * to the mapped tenant, a stream without a tenant label is dropped with `on_missing: drop`
 * (counted in tenantwire_loki_entries_dropped_total{reason="missing_tenant"}), and a push whose
 * streams were all dropped is answered 204 with nothing sent.
 */
import { Registry } from 'prom-client';
import { describe, expect, it } from 'vitest';
import { TenantError } from '../../src/errors.js';
import { createSilentLogger } from '../../src/logger.js';
import { encodePushJson } from '../../src/loki/push-json.js';
import { splitPushRequest } from '../../src/loki/split-push.js';
import { createLokiMetrics } from '../../src/proxy/loki-metrics.js';
import { createLokiProxy } from '../../src/proxy/loki-proxy.js';
import { compileTenantOptions, normalizeTenantOptions, type TenantOptionsInput } from '../../src/tenant/options.js';
import type { Transport } from '../../src/transport/types.js';
import { push, stream } from './fixtures.js';

const TENANT: TenantOptionsInput = {
  label_list: ['namespace', 'team'],
  mapping: [{ match: 'team-(.+)', tenant: '$1' }, { values: { payments: 'finance' } }],
  on_missing: 'drop',
};

describe('Loki split with tenant mapping', () => {
  it('maps stream tenants and drops streams without one, counting them', () => {
    const r = splitPushRequest(
      push(
        stream('{namespace="team-core", app="a"}', 'l1'),
        stream('{team="payments"}', 'l2', 'l3'),
        stream('{app="orphan"}', 'l4', 'l5'),
        stream('{namespace="team-core", app="b"}', 'l6'),
      ),
      normalizeTenantOptions(TENANT),
    );
    expect(r.batches.map((b) => [b.tenant, b.streams, b.entries])).toEqual([
      ['core', 2, 2],
      ['finance', 1, 2],
    ]);
    expect([r.streamsDropped, r.entriesDropped]).toEqual([1, 2]);
    expect(r.passthrough).toBe(false);
  });

  it('a dropped stream prevents the passthrough of a one-tenant push', () => {
    const r = splitPushRequest(
      push(stream('{namespace="a"}', 'l1'), stream('{app="x"}', 'l2')),
      normalizeTenantOptions({ ...TENANT, mapping: [] }),
    );
    expect(r.batches.map((b) => b.tenant)).toEqual(['a']);
    expect(r.passthrough).toBe(false);
  });

  it('refuses a mapped tenant that is not a valid tenant id, naming the stream', () => {
    expect(() =>
      splitPushRequest(push(stream('{namespace="team-a b"}', 'l1')), normalizeTenantOptions(TENANT)),
    ).toThrow(TenantError);
    expect(() =>
      splitPushRequest(push(stream('{namespace="team-a b"}', 'l1')), normalizeTenantOptions(TENANT)),
    ).toThrow(/invalid tenant "a b" \(mapped from "team-a b"\) for series \{namespace="team-a b"\} \(log stream 0\)/);
  });
});

describe('Loki proxy with on_missing: drop', () => {
  function proxy() {
    const registry = new Registry();
    const sent: string[] = [];
    const transport: Transport = {
      async send(req) {
        sent.push(String(req.headers?.['X-Scope-OrgID']));
        return { kind: 'response', status: 204, headers: {}, body: new Uint8Array() };
      },
      async close() {},
    };
    const handler = createLokiProxy({
      transport,
      targetUrl: 'http://loki.invalid/loki/api/v1/push',
      tenant: compileTenantOptions(normalizeTenantOptions(TENANT)),
      metrics: createLokiMetrics({ registry, includeTenant: false }),
      logger: createSilentLogger(),
      limits: { maxDecodedBytes: 1024 * 1024 },
      timeoutMs: 5_000,
      concurrency: 4,
      logResponseErrors: false,
    });
    const send = (...streams: ReturnType<typeof stream>[]) =>
      handler({
        contentType: 'application/json',
        contentEncoding: undefined,
        body: encodePushJson(push(...streams)),
        sourceTenant: undefined,
        clientAddress: '127.0.0.1',
        signal: new AbortController().signal,
      });
    const dropped = async () => {
      const m = registry.getSingleMetric('tenantwire_loki_entries_dropped_total');
      return ((await m?.get())?.values ?? []).find((v) => v.labels.reason === 'missing_tenant')?.value ?? 0;
    };
    return { send, sent, dropped };
  }

  it('forwards the mapped streams and counts the dropped entries', async () => {
    const p = proxy();
    const a = await p.send(stream('{namespace="team-core"}', 'l1'), stream('{app="x"}', 'l2', 'l3'));
    expect(a.status).toBe(204);
    expect(p.sent).toEqual(['core']);
    expect(await p.dropped()).toBe(2);
  });

  it('answers 204 and sends nothing when every stream is dropped', async () => {
    const p = proxy();
    const a = await p.send(stream('{app="x"}', 'l1'));
    expect(a.status).toBe(204);
    expect(p.sent).toEqual([]);
    expect(await p.dropped()).toBe(1);
  });
});
