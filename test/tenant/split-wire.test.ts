import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { TenantError } from '../../src/errors.js';
import { compileTenantOptions, normalizeTenantOptions, type TenantOptionsInput } from '../../src/tenant/options.js';
import { splitWriteRequest } from '../../src/tenant/split-object.js';
import { splitWire } from '../../src/tenant/split-wire.js';
import { decodeWriteRequest } from '../../src/wire/decode-v1.js';
import { encodeWriteRequest } from '../../src/wire/encode-v1.js';
import { scanWriteRequest } from '../../src/wire/scan.js';
import { STALE_NAN_BITS, type WriteRequest } from '../../src/wire/types.js';
import { meta, request, series } from './fixtures.js';

function both(req: WriteRequest, input: TenantOptionsInput, extras: { metadata?: boolean; source?: string } = {}) {
  const options = compileTenantOptions(normalizeTenantOptions(input, { metadata: extras.metadata ?? false }));
  const body = encodeWriteRequest(req);
  const wire = splitWire({ scan: scanWriteRequest(body), options, sourceTenant: extras.source });
  const object = splitWriteRequest(req, options, extras.source);
  return { body, wire, object };
}

/** The wire split decodes to the object split, and re-encoding the object split gives the same bytes. */
function expectSame(r: ReturnType<typeof both>) {
  expect(r.wire.batches.map((b) => b.tenant)).toEqual(r.object.batches.map((b) => b.tenant));
  expect(r.wire.metadataDropped).toBe(r.object.metadataDropped);
  r.wire.batches.forEach((w, i) => {
    const o = r.object.batches[i]!;
    expect(decodeWriteRequest(w.body)).toEqual(o.request);
    expect(Buffer.from(w.body).equals(Buffer.from(encodeWriteRequest(o.request)))).toBe(true);
    const { body: _b, ...wc } = w;
    const { request: _r, ...oc } = o;
    expect(wc).toEqual(oc);
  });
}

const mixed = request([
  series({ __name__: 'up', __tenant__: 'a', job: 'x' }, { stale: true }),
  series({ __name__: 'up', __tenant__: 'b', job: 'y' }, { samples: 3, exemplar: true }),
  series({ __name__: 'rpc_seconds', __tenant__: 'a' }, { histogram: true }),
  series({ __name__: 'orphan', job: 'z' }),
  series({ __name__: 'up', __tenant__: '', team: 'c' }),
]);

describe('wire split', () => {
  it.each<[string, TenantOptionsInput, string | undefined, string[]]>([
    ['default label + default tenant', { default: 'd' }, undefined, ['a', 'b', 'd']],
    ['label_list priority', { label_list: ['team', '__tenant__'], default: 'd' }, undefined, ['a', 'b', 'd', 'c']],
    ['label_remove keeps order', { label_remove: true, default: 'd' }, undefined, ['a', 'b', 'd']],
    ['prefix', { prefix: 'p-', default: 'd' }, undefined, ['p-a', 'p-b', 'p-d']],
    ['prefer source', { prefix: 'p-', prefix_prefer_source: true, default: 'd' }, 'src', ['src-a', 'src-b', 'src-d']],
    ['custom label', { label: 'job', label_remove: true }, undefined, ['x', 'y', 'z']],
  ])('%s: equals the object split', (_n, input, source, tenants) => {
    const input2 = input.label === 'job' ? input : input;
    const req =
      input.label === 'job' ? request(mixed.timeseries.filter((s) => s.labels.some((l) => l.name === 'job'))) : mixed;
    const r = both(req, input2, { source });
    expect(r.wire.batches.map((b) => b.tenant)).toEqual(tenants);
    expect(r.wire.passthrough).toBe(false);
    expectSame(r);
  });

  it('writes into caller-provided memory', () => {
    const options = compileTenantOptions(normalizeTenantOptions({ default: 'd', label_remove: true }));
    const body = encodeWriteRequest(mixed);
    const pool = new Uint8Array(1 << 16).fill(0xee);
    const a = splitWire({ scan: scanWriteRequest(body), options, allocate: () => pool });
    const b = splitWire({ scan: scanWriteRequest(body), options });
    expect(a.batches.map((x) => [...x.body])).toEqual(b.batches.map((x) => [...x.body]));
    expect(a.batches[0]!.body.buffer).toBe(pool.buffer);
  });

  it('many distinct tenants (past the linear cache)', () => {
    const ts = [];
    for (let round = 0; round < 3; round++)
      for (let t = 0; t < 100; t++) ts.push(series({ __name__: `m${round}`, __tenant__: `t${t}` }));
    const r = both(request(ts), { label_remove: true });
    expect(r.wire.batches).toHaveLength(100);
    expect(r.wire.batches.every((b) => b.series === 3)).toBe(true);
    expectSame(r);
  });

  it('counts per tenant', () => {
    const r = both(mixed, { default: 'd' });
    expect(r.wire.batches[0]).toMatchObject({ tenant: 'a', series: 2, samples: 3, histograms: 1, exemplars: 0 });
    expect(r.wire.batches[1]).toMatchObject({ tenant: 'b', series: 1, samples: 3, exemplars: 1 });
  });

  it('label_remove drops only the tenant label and keeps the stale NaN bits', () => {
    const r = both(mixed, { label_remove: true, default: 'd' });
    const a = decodeWriteRequest(r.wire.batches[0]!.body);
    expect(a.timeseries[0]!.labels.map((l) => l.name)).toEqual(['__name__', 'job']);
    expect(a.timeseries[0]!.samples[1]!.valueBits).toBe(STALE_NAN_BITS);
    expect(r.wire.labelsRemoved).toBe(3);
    // the series that went to the default tenant keep their (empty) label
    const d = decodeWriteRequest(r.wire.batches[2]!.body);
    expect(d.timeseries[1]!.labels.map((l) => l.name)).toEqual(['__name__', '__tenant__', 'team']);
  });

  it('keeps unknown fields inside a series, byte for byte', () => {
    const one = encodeWriteRequest(request([series({ __name__: 'up', __tenant__: 'a', z: 'q' })]));
    // one = 0x0a len msg; append field 15 (varint 1) to the message
    const msg = one.subarray(2);
    const body = Uint8Array.from([0x0a, msg.length + 2, ...msg, 0x78, 0x01]);
    const options = compileTenantOptions(normalizeTenantOptions({ label_remove: true }));
    const out = splitWire({ scan: scanWriteRequest(body), options });
    const b = out.batches[0]!.body;
    expect([...b.subarray(b.length - 2)]).toEqual([0x78, 0x01]);
    expect(decodeWriteRequest(b).timeseries[0]!.labels.map((l) => l.name)).toEqual(['__name__', 'z']);
    const keep = splitWire({ scan: scanWriteRequest(body), options: compileTenantOptions(normalizeTenantOptions({})) });
    expect(keep.passthrough).toBe(true);
    expect(keep.batches[0]!.body).toBe(body);
  });

  it('pass-through: one tenant, nothing rewritten', () => {
    const req = request([series({ __name__: 'a', __tenant__: 't' }), series({ __name__: 'b', __tenant__: 't' })]);
    const r = both(req, {});
    expect(r.wire.passthrough).toBe(true);
    expect(r.wire.batches).toHaveLength(1);
    expect(r.wire.batches[0]).toMatchObject({ tenant: 't', series: 2, samples: 2 });
    expect(r.wire.batches[0]!.body).toBe(r.body);
    expect(both(req, { label_remove: true }).wire.passthrough).toBe(false);
    expect(both(request([series({ __name__: 'a' })]), { default: 'd', label_remove: true }).wire.passthrough).toBe(
      true,
    );
  });

  it('no pass-through when another top-level field is present (e.g. Mimir 1000)', () => {
    const one = encodeWriteRequest(request([series({ __name__: 'up', __tenant__: 'a' })]));
    const body = Uint8Array.from([...one, 0xc0, 0x3e, 0x01]); // field 1000, varint 1
    const options = compileTenantOptions(normalizeTenantOptions({}));
    const out = splitWire({ scan: scanWriteRequest(body), options });
    expect(out.passthrough).toBe(false);
    expect([...out.batches[0]!.body]).toEqual([...one]);
  });

  it('missing tenant without default fails the whole request, naming the series', () => {
    const options = compileTenantOptions(normalizeTenantOptions({ label_list: ['team', 'tenant'] }));
    const body = encodeWriteRequest(
      request([series({ __name__: 'ok', team: 'a' }), series({ __name__: 'node_load1', job: 'n' })]),
    );
    expect(() => splitWire({ scan: scanWriteRequest(body), options })).toThrowError(
      expect.objectContaining({
        code: 'missing_tenant',
        message: expect.stringMatching(/node_load1\{job="n"\}.*"team", "tenant"/),
      }),
    );
  });

  it('invalid tenant value fails with invalid_tenant', () => {
    const options = compileTenantOptions(normalizeTenantOptions({}));
    const body = encodeWriteRequest(request([series({ __name__: 'up', __tenant__: 'a|b' })]));
    let error: unknown;
    try {
      splitWire({ scan: scanWriteRequest(body), options });
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(TenantError);
    expect((error as TenantError).code).toBe('invalid_tenant');
  });

  it.each<[string, TenantOptionsInput, boolean, WriteRequest, string[], number[], number]>([
    [
      'metadata off: dropped',
      { default: 'd' },
      false,
      request([series({ __name__: 'up', __tenant__: 'a' })], [meta('up')]),
      ['a'],
      [0],
      1,
    ],
    [
      'metadata-only to default',
      { default: 'd', prefix: 'p-' },
      true,
      request([], [meta('up'), meta('x')]),
      ['p-d'],
      [2],
      0,
    ],
    ['metadata-only without default: dropped', {}, true, request([], [meta('up')]), [], [], 1],
    [
      'mixed: by family, unmatched to default',
      { default: 'd' },
      true,
      request(
        [
          series({ __name__: 'up', __tenant__: 'a' }),
          series({ __name__: 'rpc_seconds_bucket', __tenant__: 'b' }),
          series({ __name__: 'up', __tenant__: 'b' }),
        ],
        [meta('up'), meta('rpc_seconds'), meta('other')],
      ),
      ['a', 'b', 'd'],
      [1, 2, 1],
      0,
    ],
    [
      'mixed without default: unmatched dropped',
      {},
      true,
      request(
        [series({ __name__: 'up', __tenant__: 'a' }), series({ __name__: 'x_total', __tenant__: 'b' })],
        [meta('x'), meta('nope')],
      ),
      ['a', 'b'],
      [0, 1],
      1,
    ],
  ])('%s', (_n, input, metadata, req, tenants, counts, dropped) => {
    const r = both(req, input, { metadata });
    expect(r.wire.batches.map((b) => b.tenant)).toEqual(tenants);
    expect(r.wire.batches.map((b) => b.metadata)).toEqual(counts);
    expect(r.wire.metadataDropped).toBe(dropped);
    expectSame(r);
  });

  it('metadata going to the single tenant keeps pass-through', () => {
    const r = both(request([series({ __name__: 'up', __tenant__: 'a' })], [meta('up')]), {}, { metadata: true });
    expect(r.wire.passthrough).toBe(true);
  });

  it('equals the object split on random requests (many tenants, removal on/off)', () => {
    const labelValue = fc.constantFrom('', 'a', 'b', 'c', 'team-x', 'é');
    const arbSeries = fc.record({
      name: fc.constantFrom('up', 'http_requests_total', 'rpc_seconds_bucket'),
      t1: fc.option(labelValue, { nil: undefined }),
      t2: fc.option(labelValue, { nil: undefined }),
      samples: fc.integer({ min: 0, max: 3 }),
      stale: fc.boolean(),
      exemplar: fc.boolean(),
      histogram: fc.boolean(),
    });
    fc.assert(
      fc.property(
        fc.array(arbSeries, { maxLength: 30 }),
        fc.boolean(),
        fc.boolean(),
        fc.array(fc.constantFrom('up', 'rpc_seconds', 'zzz'), { maxLength: 3 }),
        (specs, remove, metadata, mds) => {
          const req = request(
            specs.map((s) => {
              const l: Record<string, string> = { __name__: s.name, job: 'j' };
              if (s.t1 !== undefined) l.t1 = s.t1;
              if (s.t2 !== undefined) l.t2 = s.t2;
              return series(l, s);
            }),
            mds.map(meta),
          );
          const input = { label_list: ['t2', 't1'], label_remove: remove, default: 'dflt' };
          let r: ReturnType<typeof both> | undefined;
          let error: unknown;
          try {
            r = both(req, input, { metadata });
          } catch (e) {
            error = e;
          }
          if (r) return expectSame(r);
          // both paths refuse the same request with the same error
          const options = compileTenantOptions(normalizeTenantOptions(input, { metadata }));
          expect(() => splitWriteRequest(req, options)).toThrow((error as Error).message);
          expect(() => splitWire({ scan: scanWriteRequest(encodeWriteRequest(req)), options })).toThrow(
            (error as Error).message,
          );
        },
      ),
      { numRuns: 200, seed: 42 },
    );
  });
});
