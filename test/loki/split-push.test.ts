import { describe, expect, it } from 'vitest';
import { TenantError, WireError } from '../../src/errors.js';
import { splitPushRequest } from '../../src/loki/split-push.js';
import type { LokiPushRequest } from '../../src/loki/types.js';
import { normalizeTenantOptions, type TenantOptionsInput } from '../../src/tenant/options.js';
import { push, stream } from './fixtures.js';

const split = (req: LokiPushRequest, tenant: TenantOptionsInput = {}, source?: string) =>
  splitPushRequest(req, normalizeTenantOptions(tenant), source);
const summary = (r: ReturnType<typeof split>) =>
  r.batches.map((b) => [b.tenant, b.request.streams.map((s) => s.labels)]);
const errorOf = (f: () => unknown): TenantError => {
  try {
    f();
  } catch (e) {
    return e as TenantError;
  }
  throw new Error('did not throw');
};

describe('splitting a Loki push by tenant', () => {
  const req = push(
    stream('{app="a", __tenant__="t1"}', 'l1', 'l2'),
    stream('{app="b", __tenant__="t2"}', 'l3'),
    stream('{__tenant__="t1", app="c"}', 'l4'),
  );

  it('groups streams by the tenant label, tenants in first-seen order, streams in input order', () => {
    const r = split(req);
    expect(summary(r)).toEqual([
      ['t1', ['{app="a", __tenant__="t1"}', '{__tenant__="t1", app="c"}']],
      ['t2', ['{app="b", __tenant__="t2"}']],
    ]);
    expect(r.batches.map((b) => [b.streams, b.entries])).toEqual([
      [2, 3],
      [1, 1],
    ]);
    expect(r.passthrough).toBe(false);
  });

  it('keeps streams untouched (same objects, hash kept) without label_remove', () => {
    const withHash = push({ ...stream('{__tenant__="t1"}', 'x'), hash: 77n });
    const r = split(withHash);
    expect(r.batches[0]!.request.streams[0]).toBe(withHash.streams[0]);
    expect(r.passthrough).toBe(true);
  });

  it('label_remove drops only the tenant label, keeps the order of the rest, drops the hash', () => {
    const r = split(push({ ...stream('{z="1", __tenant__="t1", a="2"}', 'x'), hash: 9n }), { label_remove: true });
    expect(r.batches[0]!.request.streams[0]).toMatchObject({ labels: '{z="1", a="2"}', hash: 0n });
    expect(r.labelsRemoved).toBe(1);
    expect(r.passthrough).toBe(false);
  });

  it('label_remove leaves streams on the default tenant alone', () => {
    const r = split(push(stream('{app="x"}', 'l')), { label_remove: true, default: 'dflt' });
    expect(summary(r)).toEqual([['dflt', ['{app="x"}']]]);
    expect(r.labelsRemoved).toBe(0);
  });

  it('label_list: list order is the priority, empty values skipped', () => {
    const r = split(push(stream('{b="fromB", a="fromA"}', 'x'), stream('{a="", b="onlyB"}', 'y')), {
      label_list: ['a', 'b'],
    });
    expect(summary(r).map(([t]) => t)).toEqual(['fromA', 'onlyB']);
  });

  it('custom label, prefix, prefix_prefer_source', () => {
    const one = push(stream('{team="ops"}', 'x'));
    expect(split(one, { label: 'team' }).batches[0]!.tenant).toBe('ops');
    expect(split(one, { label: 'team', prefix: 'p-' }).batches[0]!.tenant).toBe('p-ops');
    expect(split(one, { label: 'team', prefix: 'p-', prefix_prefer_source: true }, 'src').batches[0]!.tenant).toBe(
      'src-ops',
    );
    expect(split(one, { label: 'team', prefix: 'p-', prefix_prefer_source: true }, '').batches[0]!.tenant).toBe(
      'p-ops',
    );
    expect(
      split(one, { label: 'team', prefix: 'p-', prefix_prefer_source: true, default: 'd' }).batches[0]!.tenant,
    ).toBe('p-ops');
  });

  it('default tenant for streams without the label (prefix applied)', () => {
    const r = split(push(stream('{app="x"}', 'l'), stream('{__tenant__="t"}', 'm')), { default: 'd', prefix: 'p-' });
    expect(summary(r).map(([t]) => t)).toEqual(['p-d', 'p-t']);
  });

  it('a stream without a tenant and no default refuses the whole push, naming the stream', () => {
    const e = errorOf(() => split(push(stream('{__tenant__="t"}', 'a'), stream('{app="orphan"}', 'b'))));
    expect(e).toBeInstanceOf(TenantError);
    expect(e.code).toBe('missing_tenant');
    expect(e.message).toBe(
      'series {app="orphan"} (log stream 1) has no tenant: label "__tenant__" missing or empty and no default ' +
        'tenant is configured',
    );
  });

  it('an invalid tenant id refuses the whole push (no header injection)', () => {
    const e = errorOf(() => split(push(stream('{__tenant__="a\\nb"}', 'x'))));
    expect(e.code).toBe('invalid_tenant');
    expect(e.message).toContain('line break');
    expect(errorOf(() => split(push(stream('{__tenant__="a|b"}', 'x')))).code).toBe('invalid_tenant');
  });

  it('a bad labels string refuses the whole push', () => {
    expect(errorOf(() => split(push(stream('{app=x}', 'l'))))).toBeInstanceOf(WireError);
  });

  it('drops streams without entries (even without a tenant) and reports them', () => {
    const r = split(push(stream('{app="orphan"}'), stream('{__tenant__="t"}', 'x')));
    expect(summary(r)).toEqual([['t', ['{__tenant__="t"}']]]);
    expect(r.emptyStreams).toBe(1);
    expect(r.passthrough).toBe(false);
    expect(split(push(stream('{a="b"}'))).batches).toEqual([]);
  });

  it('carries the request format to every tenant', () => {
    const r = split({ ...push(stream('{__tenant__="a"}', 'x'), stream('{__tenant__="b"}', 'y')), format: 'otlp' });
    expect(r.batches.map((b) => b.request.format)).toEqual(['otlp', 'otlp']);
  });
});
