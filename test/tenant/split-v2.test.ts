import { describe, expect, it } from 'vitest';
import { WireError } from '../../src/errors.js';
import { normalizeTenantOptions, type TenantOptionsInput } from '../../src/tenant/options.js';
import { splitWriteRequest } from '../../src/tenant/split-object.js';
import { splitRequestV2 } from '../../src/tenant/split-v2.js';
import { v2ToV1 } from '../../src/wire/convert.js';
import { decodeRequestV2 } from '../../src/wire/decode-v2.js';
import { encodeRequestV2 } from '../../src/wire/encode-v2.js';
import { checkRequestV2Refs } from '../../src/wire/refs-v2.js';
import type { RequestV2, TimeSeriesV2 } from '../../src/wire/types.js';

/** Builds a v2 request from label maps, interning symbols. */
function v2(
  items: {
    labels: Record<string, string>;
    help?: string;
    unit?: string;
    exemplar?: Record<string, string>;
    samples?: number;
  }[],
): RequestV2 {
  const symbols = [''];
  const ref = (s: string) => {
    let i = symbols.indexOf(s);
    if (i < 0) i = symbols.push(s) - 1;
    return i;
  };
  const refs = (o: Record<string, string>) => Object.entries(o).flatMap(([k, v]) => [ref(k), ref(v)]);
  const timeseries: TimeSeriesV2[] = items.map((it) => ({
    labelsRefs: refs(it.labels),
    samples: Array.from({ length: it.samples ?? 1 }, (_, i) => ({ value: i, timestamp: 1000 + i, startTimestamp: 0 })),
    histograms: [],
    exemplars: it.exemplar ? [{ labelsRefs: refs(it.exemplar), value: 1, timestamp: 1000 }] : [],
    metadata: { type: 1, helpRef: it.help ? ref(it.help) : 0, unitRef: it.unit ? ref(it.unit) : 0 },
  }));
  return { symbols, timeseries };
}

/** Resolves a series of a v2 request back to label maps and metadata strings. */
function view(req: RequestV2) {
  const s = (r: number) => {
    expect(r).toBeGreaterThanOrEqual(0);
    expect(r).toBeLessThan(req.symbols.length);
    return req.symbols[r]!;
  };
  const pairs = (refs: readonly number[]) => {
    const out: [string, string][] = [];
    for (let i = 0; i < refs.length; i += 2) out.push([s(refs[i]!), s(refs[i + 1]!)]);
    return out;
  };
  expect(req.symbols[0]).toBe('');
  return req.timeseries.map((t) => ({
    labels: pairs(t.labelsRefs),
    help: s(t.metadata.helpRef),
    unit: s(t.metadata.unitRef),
    exemplars: t.exemplars.map((e) => pairs(e.labelsRefs)),
  }));
}

const input = v2([
  {
    labels: { __name__: 'up', __tenant__: 'a', job: 'x' },
    help: 'Up or down',
    unit: 'bool',
    exemplar: { trace_id: 't1' },
  },
  { labels: { __name__: 'up', __tenant__: 'b', job: 'y' }, help: 'Up or down', samples: 3 },
  { labels: { __name__: 'mem', job: 'x' }, unit: 'bytes' },
]);

const split = (o: TenantOptionsInput, req = input, source?: string) =>
  splitRequestV2(req, normalizeTenantOptions(o), source);

describe('2.0 split', () => {
  it('one symbol table per tenant, every ref valid, labels and metadata preserved', () => {
    const r = split({ default: 'd' });
    expect(r.batches.map((b) => b.tenant)).toEqual(['a', 'b', 'd']);
    expect(r.unchanged).toBe(false);
    expect(view(r.batches[0]!.request)).toEqual([
      {
        labels: [
          ['__name__', 'up'],
          ['__tenant__', 'a'],
          ['job', 'x'],
        ],
        help: 'Up or down',
        unit: 'bool',
        exemplars: [[['trace_id', 't1']]],
      },
    ]);
    expect(r.batches[0]!.request.symbols).toEqual([
      '',
      '__name__',
      'up',
      '__tenant__',
      'a',
      'job',
      'x',
      'trace_id',
      't1',
      'Up or down',
      'bool',
    ]);
    expect(view(r.batches[2]!.request)).toEqual([
      {
        labels: [
          ['__name__', 'mem'],
          ['job', 'x'],
        ],
        help: '',
        unit: 'bytes',
        exemplars: [],
      },
    ]);
    expect(r.batches[2]!.request.symbols).not.toContain('a');
    expect(r.batches.map((b) => [b.series, b.samples, b.exemplars, b.histograms])).toEqual([
      [1, 1, 1, 0],
      [1, 3, 0, 0],
      [1, 1, 0, 0],
    ]);
  });

  it('label_remove drops the pair and its unused symbol', () => {
    const r = split({ label_remove: true, default: 'd' });
    expect(view(r.batches[1]!.request)[0]!.labels).toEqual([
      ['__name__', 'up'],
      ['job', 'y'],
    ]);
    expect(r.batches[1]!.request.symbols).not.toContain('__tenant__');
  });

  it('label_list priority, prefix, prefer source', () => {
    const req = v2([{ labels: { a: 'one', b: 'two' } }, { labels: { a: '', b: 'two' } }]);
    expect(split({ label_list: ['b', 'a'] }, req).batches.map((b) => b.tenant)).toEqual(['two']);
    expect(split({ label_list: ['a', 'b'] }, req).batches.map((b) => b.tenant)).toEqual(['one', 'two']);
    expect(split({ label_list: ['a', 'b'], prefix: 'p-' }, req).batches.map((b) => b.tenant)).toEqual([
      'p-one',
      'p-two',
    ]);
    expect(
      split({ label_list: ['a'], prefix_prefer_source: true, default: 'z' }, req, 'src').batches.map((b) => b.tenant),
    ).toEqual(['src-one', 'src-z']);
  });

  it('unchanged when one tenant and nothing removed', () => {
    const req = v2([{ labels: { __tenant__: 'a', x: '1' } }, { labels: { __tenant__: 'a', x: '2' } }]);
    expect(split({}, req).unchanged).toBe(true);
    expect(split({ label_remove: true }, req).unchanged).toBe(false);
  });

  it('missing and invalid tenants', () => {
    expect(() => split({})).toThrow(/mem\{job="x"\} has no tenant/);
    expect(() => split({}, v2([{ labels: { __tenant__: 'a\nb' } }]))).toThrow(/invalid tenant "a\\nb"/);
  });

  it('bad refs are WireErrors', () => {
    const bad: RequestV2 = { symbols: ['', 'a'], timeseries: [{ ...input.timeseries[0]!, labelsRefs: [1, 7] }] };
    expect(() => split({ default: 'd' }, bad)).toThrow(WireError);
    const odd: RequestV2 = { symbols: ['', 'a'], timeseries: [{ ...input.timeseries[0]!, labelsRefs: [1] }] };
    expect(() => split({ default: 'd' }, odd)).toThrowError(expect.objectContaining({ code: 'odd_label_refs' }));
    const help: RequestV2 = {
      ...input,
      timeseries: [{ ...input.timeseries[0]!, metadata: { type: 0, helpRef: 999, unitRef: 0 } }],
    };
    expect(() => split({ default: 'd' }, help)).toThrowError(
      expect.objectContaining({ code: 'symbol_ref_out_of_range' }),
    );
    expect(() => split({}, { symbols: ['x'], timeseries: [] })).toThrowError(
      expect.objectContaining({ code: 'first_symbol_not_empty' }),
    );
  });

  it('a tenant is resolved once per value symbol: duplicate symbol strings and the default share one batch', () => {
    // symbols 2 and 3 are both "a" (a table may repeat a string); series 2 and 4 have no tenant.
    const symbols = ['', '__tenant__', 'a', 'a', 'job', 'j1', 'j2', 'j3', 'j4', 'j5'];
    const series = (refs: number[]): TimeSeriesV2 => ({
      labelsRefs: refs,
      samples: [{ value: 1, timestamp: 1, startTimestamp: 0 }],
      histograms: [],
      exemplars: [],
      metadata: { type: 0, helpRef: 0, unitRef: 0 },
    });
    const req: RequestV2 = {
      symbols,
      timeseries: [series([1, 2, 4, 5]), series([4, 6]), series([1, 3, 4, 7]), series([4, 8]), series([1, 2, 4, 9])],
    };
    const r = split({ default: 'd' }, req);
    expect(r.batches.map((b) => [b.tenant, b.series])).toEqual([
      ['a', 3],
      ['d', 2],
    ]);
    const jobs = (i: number) => view(r.batches[i]!.request).map((t) => t.labels.find(([k]) => k === 'job')![1]);
    expect(jobs(0)).toEqual(['j1', 'j3', 'j5']);
    expect(jobs(1)).toEqual(['j2', 'j4']);
    // Without a default, the first series without a tenant is named, even after cached ones.
    expect(() => split({}, req)).toThrow(/\{job="j2"\} has no tenant/);
  });

  it('many tenants over a large symbol table: each table holds only its own symbols', () => {
    const symbols = ['', 'tenant', ...Array.from({ length: 100_000 }, (_, i) => `s${i}`)];
    const timeseries: TimeSeriesV2[] = Array.from({ length: 1_000 }, (_, i) => ({
      labelsRefs: [1, 2 + i * 7, 2 + i * 7 + 1, 2 + i * 7 + 2],
      samples: [{ value: i, timestamp: 1, startTimestamp: 0 }],
      histograms: [],
      exemplars: [],
      metadata: { type: 0, helpRef: 2 + i * 7 + 3, unitRef: 0 },
    }));
    const r = split({ label: 'tenant' }, { symbols, timeseries });
    expect(r.batches).toHaveLength(1_000);
    r.batches.forEach((b, i) => {
      expect(b.tenant).toBe(`s${i * 7}`);
      expect(b.request.symbols).toEqual(['', 'tenant', `s${i * 7}`, `s${i * 7 + 1}`, `s${i * 7 + 2}`, `s${i * 7 + 3}`]);
      expect(b.request.timeseries[0]!.labelsRefs).toEqual([1, 2, 3, 4]);
      expect(b.request.timeseries[0]!.metadata.helpRef).toBe(5);
    });
  });

  it('an empty request', () => {
    expect(split({}, { symbols: [], timeseries: [] })).toEqual({
      batches: [],
      unchanged: false,
      seriesDropped: 0,
      samplesDropped: 0,
    });
  });
});

describe('2.0 split against the codec', () => {
  it('batches encode, decode and pass the ref checks; they carry the same series as the 1.0 split', () => {
    const decoded = decodeRequestV2(encodeRequestV2(input));
    const options = normalizeTenantOptions({ default: 'd', label_remove: true });
    const r = splitRequestV2(decoded, options);
    const v1 = splitWriteRequest(v2ToV1(decoded), options);
    expect(r.batches.map((b) => b.tenant)).toEqual(v1.batches.map((b) => b.tenant));
    r.batches.forEach((b, i) => {
      const back = decodeRequestV2(encodeRequestV2(b.request));
      checkRequestV2Refs(back);
      expect(back.symbols[0]).toBe('');
      expect(v2ToV1(back).timeseries).toEqual(v1.batches[i]!.request.timeseries);
    });
  });
});
