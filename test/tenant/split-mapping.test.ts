// biome-ignore-all lint/suspicious/noTemplateCurlyInString: ${name} is the mapping template syntax under test
/**
 * tenant.mapping and on_missing on every split path: the wire split (split-wire.ts), the decode
 * split (split-object.ts) and the 2.0 split (split-v2.ts) must give the same tenants, with the
 * same series, and the same drop counts, for random requests and random mapping configs.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { TenantError } from '../../src/errors.js';
import type { MappingRuleInput, TenantMapping } from '../../src/tenant/mapping.js';
import {
  type CompiledTenantOptions,
  compileTenantOptions,
  normalizeTenantOptions,
  type TenantOptionsInput,
} from '../../src/tenant/options.js';
import { splitWriteRequest } from '../../src/tenant/split-object.js';
import { splitRequestV2 } from '../../src/tenant/split-v2.js';
import { splitWire } from '../../src/tenant/split-wire.js';
import { v1ToV2 } from '../../src/wire/convert.js';
import { decodeWriteRequest } from '../../src/wire/decode-v1.js';
import { encodeWriteRequest } from '../../src/wire/encode-v1.js';
import { scanWriteRequest } from '../../src/wire/scan.js';
import type { WriteRequest } from '../../src/wire/types.js';
import { meta, request, series } from './fixtures.js';

const RULES: readonly MappingRuleInput[] = [
  { match: 'team-(.+)', tenant: '$1' },
  { match: '([a-z]+)-(prod|dev)', tenant: '$2-$1' },
  { values: { payments: 'finance', billing: 'finance', x: 'y' } },
  { match: '(?<first>[a-z])[a-z]*', tenant: 't-${first}' },
  { match: 'bad-(.*)', tenant: 'z$1' },
];

const VALUES = [
  '',
  'team-core',
  'team-',
  'shop-prod',
  'payments',
  'billing',
  'x',
  'y',
  'abc',
  'A.B',
  'bad-1',
  'bad-a b',
  'a b',
];

const arbConfig = fc.record({
  rules: fc.subarray([...RULES.keys()]).chain((ks) => fc.shuffledSubarray(ks, { minLength: ks.length })),
  onMissing: fc.constantFrom(undefined, 'reject', 'default', 'drop'),
  withDefault: fc.boolean(),
  labelRemove: fc.boolean(),
  metadata: fc.boolean(),
  prefix: fc.constantFrom('', 'p-'),
});

const arbSeries = fc.record({
  namespace: fc.option(fc.constantFrom(...VALUES), { nil: undefined }),
  team: fc.option(fc.constantFrom(...VALUES), { nil: undefined }),
  name: fc.constantFrom('up', 'rpc_seconds_bucket', 'rpc_seconds_count'),
  samples: fc.integer({ min: 0, max: 3 }),
  histogram: fc.boolean(),
  exemplar: fc.boolean(),
});

const arbRequest = fc.record({
  series: fc.array(arbSeries, { maxLength: 12 }),
  metadata: fc.subarray(['up', 'rpc_seconds', 'other']),
});

type ValueOf<A> = A extends fc.Arbitrary<infer T> ? T : never;
type Config = ValueOf<typeof arbConfig>;

function optionsOf(c: Config): CompiledTenantOptions | undefined {
  if (c.onMissing === 'default' && !c.withDefault) return undefined;
  const input: TenantOptionsInput = {
    label_list: ['namespace', 'team'],
    mapping: c.rules.map((k) => RULES[k]!),
    ...(c.onMissing ? { on_missing: c.onMissing as 'reject' | 'default' | 'drop' } : {}),
    ...(c.withDefault ? { default: 'd' } : {}),
    label_remove: c.labelRemove,
    prefix: c.prefix,
  };
  return compileTenantOptions(normalizeTenantOptions(input, { metadata: c.metadata }));
}

function requestOf(r: ValueOf<typeof arbRequest>): WriteRequest {
  return request(
    r.series.map((s, i) => {
      const labels: Record<string, string> = { __name__: s.name, id: String(i) };
      if (s.namespace !== undefined) labels.namespace = s.namespace;
      if (s.team !== undefined) labels.team = s.team;
      return series(labels, { samples: s.samples, histogram: s.histogram, exemplar: s.exemplar });
    }),
    r.metadata.map((name) => meta(name)),
  );
}

function attempt<T>(fn: () => T): { ok: T } | { error: TenantError } {
  try {
    return { ok: fn() };
  } catch (e) {
    if (e instanceof TenantError) return { error: e };
    throw e;
  }
}

describe('mapping and on_missing: the split paths agree', () => {
  it('wire, decode and 2.0 splits give the same tenants, series and drop counts', () => {
    fc.assert(
      fc.property(arbConfig, arbRequest, (config, r) => {
        const options = optionsOf(config);
        if (options === undefined) return;
        const req = requestOf(r);
        const body = encodeWriteRequest(req);
        const wire = attempt(() => splitWire({ scan: scanWriteRequest(body), options }));
        const object = attempt(() => splitWriteRequest(req, options));
        const v2 = attempt(() => splitRequestV2(v1ToV2(req), options));
        if ('error' in object) {
          expect('error' in wire && wire.error.message).toBe(object.error.message);
          expect('error' in v2 && v2.error.code).toBe(object.error.code);
          return;
        }
        if (!('ok' in wire) || !('ok' in v2)) throw new Error('only the object split succeeded');
        const w = wire.ok;
        const o = object.ok;
        expect(w.batches.map((b) => b.tenant)).toEqual(o.batches.map((b) => b.tenant));
        w.batches.forEach((b, i) => {
          expect(decodeWriteRequest(b.body)).toEqual(o.batches[i]!.request);
          expect([b.series, b.samples, b.histograms, b.metadata]).toEqual([
            o.batches[i]!.series,
            o.batches[i]!.samples,
            o.batches[i]!.histograms,
            o.batches[i]!.metadata,
          ]);
        });
        expect([w.seriesDropped, w.samplesDropped, w.metadataDropped]).toEqual([
          o.seriesDropped,
          o.samplesDropped,
          o.metadataDropped,
        ]);
        if (w.seriesDropped > 0) expect(w.passthrough).toBe(false);
        // 2.0 carries no separate metadata: its batches are the series' tenants only.
        const seriesTenants = o.batches.filter((b) => b.series > 0).map((b) => [b.tenant, b.series]);
        expect(v2.ok.batches.map((b) => [b.tenant, b.series])).toEqual(seriesTenants);
        expect([v2.ok.seriesDropped, v2.ok.samplesDropped]).toEqual([o.seriesDropped, o.samplesDropped]);
        const sent = o.batches.reduce((n, b) => n + b.series, 0);
        expect(sent + o.seriesDropped).toBe(req.timeseries.length);
      }),
      { numRuns: 400 },
    );
  });
});

describe('mapping runs once per distinct value per request', () => {
  const counting = (calls: string[]): CompiledTenantOptions => {
    const base = compileTenantOptions(normalizeTenantOptions({ label: 'team' }));
    const mapping: TenantMapping = {
      rules: [],
      apply: (v) => {
        calls.push(v);
        return `m-${v}`;
      },
    };
    return { ...base, mapping };
  };
  const req = request(
    ['a', 'b', 'a', 'a', 'b', 'c', 'a'].map((t, i) => series({ __name__: 'up', team: t, id: String(i) })),
  );

  it.each<[string, (o: CompiledTenantOptions) => readonly string[]]>([
    [
      'wire',
      (o) => splitWire({ scan: scanWriteRequest(encodeWriteRequest(req)), options: o }).batches.map((b) => b.tenant),
    ],
    ['decode', (o) => splitWriteRequest(req, o).batches.map((b) => b.tenant)],
    ['2.0', (o) => splitRequestV2(v1ToV2(req), o).batches.map((b) => b.tenant)],
  ])('%s split', (_name, split) => {
    const calls: string[] = [];
    expect(split(counting(calls))).toEqual(['m-a', 'm-b', 'm-c']);
    expect(calls).toEqual(['a', 'b', 'c']);
  });
});

describe('on_missing: drop on the wire', () => {
  const options = compileTenantOptions(normalizeTenantOptions({ on_missing: 'drop' }, { metadata: true }));

  it('drops the series without a tenant, counts samples and histograms, and is never a passthrough', () => {
    const req = request([
      series({ __name__: 'up', __tenant__: 'a' }),
      series({ __name__: 'up', job: 'x' }, { samples: 2, histogram: true, exemplar: true }),
    ]);
    const w = splitWire({ scan: scanWriteRequest(encodeWriteRequest(req)), options });
    expect(w.passthrough).toBe(false);
    expect(w.batches.map((b) => [b.tenant, b.series])).toEqual([['a', 1]]);
    expect([w.seriesDropped, w.samplesDropped]).toEqual([1, 3]);
  });

  it('a request whose series are all dropped has no batches (the proxy answers 204)', () => {
    const req = request([series({ __name__: 'up', job: 'x' }), series({ __name__: 'up', job: 'y' })], [meta('up')]);
    const w = splitWire({ scan: scanWriteRequest(encodeWriteRequest(req)), options });
    expect(w.batches).toEqual([]);
    expect([w.seriesDropped, w.samplesDropped, w.metadataDropped]).toEqual([2, 2, 1]);
  });
});
