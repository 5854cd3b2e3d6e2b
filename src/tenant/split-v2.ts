import { WireError } from '../errors.js';
import type { ExemplarV2, Label, RequestV2, TimeSeriesV2 } from '../wire/types.js';
import type { TenantOptions } from './options.js';
import { createTenantResolver, describeLabels, tenantPrefixFor } from './resolve.js';

/**
 * Splitting a decoded remote-write 2.0 Request by tenant. Each tenant gets its own symbol
 * table (symbols[0] = "", then only the symbols its series use, in first-use order) and every
 * ref (labels, exemplar labels, metadata help/unit) is rewritten into it. With `label_remove`
 * the pair that named the tenant is dropped, the other pairs keep their order. 2.0 metadata is
 * part of each series, so it always travels with its series (the `metadata` option is a 1.0
 * matter). Out-of-range refs and odd label ref lists are WireErrors (400), never a crash. A
 * series without a tenant label is dropped with `on_missing: drop` (counted in the result).
 */

export interface TenantRequestV2 {
  readonly tenant: string;
  readonly request: RequestV2;
  readonly series: number;
  readonly samples: number;
  readonly histograms: number;
  readonly exemplars: number;
}

export interface V2SplitResult {
  /** One per tenant, in first-seen order. */
  readonly batches: readonly TenantRequestV2[];
  /** One tenant, no label removed, nothing dropped: the original body may be forwarded as it is. */
  readonly unchanged: boolean;
  /** Series dropped for want of a tenant label (`on_missing: drop`). */
  readonly seriesDropped: number;
  /** Samples plus histograms of those series. */
  readonly samplesDropped: number;
}

/**
 * One tenant's symbol table, built while its series are rewritten. The old-to-new ref map is
 * shared by all tenants of a request and told apart by a stamp, so a request costs memory in
 * its symbols once, not once per tenant (1,000 tenants over 1 M symbols were 4 GB).
 */
class SymbolTable {
  readonly symbols: string[] = [''];
  constructor(
    private readonly source: readonly string[],
    private readonly remap: Int32Array,
    private readonly stamps: Uint32Array,
    private readonly stamp: number,
  ) {}
  ref(old: number): number {
    if (old === 0) return 0;
    if (this.stamps[old] === this.stamp) return this.remap[old]!;
    const next = this.symbols.length;
    this.symbols.push(this.source[old]!);
    this.remap[old] = next;
    this.stamps[old] = this.stamp;
    return next;
  }
}

interface Builder {
  readonly tenant: string;
  /** Indices of this tenant's series in the request, in order. */
  readonly series: number[];
  samples: number;
  histograms: number;
  exemplars: number;
}

export function splitRequestV2(req: RequestV2, options: TenantOptions, sourceTenant?: string): V2SplitResult {
  const symbols = req.symbols;
  if (symbols.length > 0 && symbols[0] !== '') {
    throw new WireError('first_symbol_not_empty', 'the 2.0 symbol table must start with the empty string');
  }
  // Rank of each symbol among the tenant labels (priority order), -1 when it is none of them.
  const rank = new Int32Array(symbols.length).fill(-1);
  for (let i = 0; i < symbols.length; i++) rank[i] = options.labels.indexOf(symbols[i]!);

  const prefix = tenantPrefixFor(options, sourceTenant);
  const builders: Builder[] = [];
  const index = new Map<string, number>();
  // The builder of each value symbol once resolved (+1; 0: not yet), and of the default tenant
  // (-1: dropped): a tenant is mapped and validated once per request, not once per series.
  const byValueRef = new Int32Array(symbols.length);
  let byDefault = 0;
  const resolver = createTenantResolver(options, prefix);
  let seriesDropped = 0;
  let samplesDropped = 0;
  const dropPair = new Int32Array(req.timeseries.length);
  let removed = false;

  for (let s = 0; s < req.timeseries.length; s++) {
    const series = req.timeseries[s]!;
    const refs = series.labelsRefs;
    checkRefs(refs, symbols.length, `timeseries ${s} labels_refs`);
    let bestRank = -1;
    let bestPair = -1;
    for (let p = 0; p < refs.length; p += 2) {
      const r = rank[refs[p]!]!;
      if (r >= 0 && (bestRank < 0 || r < bestRank) && symbols[refs[p + 1]!] !== '') {
        bestRank = r;
        bestPair = p;
      }
    }
    const valueRef = bestPair >= 0 ? refs[bestPair + 1]! : -1;
    let bi = (valueRef >= 0 ? byValueRef[valueRef]! : byDefault) - 1;
    if (bi === -2) {
      seriesDropped++;
      samplesDropped += series.samples.length + series.histograms.length;
      continue;
    }
    if (bi < 0) {
      const raw = valueRef >= 0 ? symbols[valueRef] : undefined;
      const tenant = resolver.resolve(raw, () => describeLabels(labelsOf(refs, symbols)));
      if (tenant === undefined) {
        byDefault = -1;
        seriesDropped++;
        samplesDropped += series.samples.length + series.histograms.length;
        continue;
      }
      bi = index.get(tenant) ?? -1;
      if (bi < 0) {
        bi = builders.length;
        index.set(tenant, bi);
        builders.push({ tenant, series: [], samples: 0, histograms: 0, exemplars: 0 });
      }
      if (valueRef >= 0) byValueRef[valueRef] = bi + 1;
      else byDefault = bi + 1;
    }
    const b = builders[bi]!;
    const drop = options.labelRemove ? bestPair : -1;
    if (drop >= 0) removed = true;
    dropPair[s] = drop;
    b.series.push(s);
    b.samples += series.samples.length;
    b.histograms += series.histograms.length;
    b.exemplars += series.exemplars.length;
  }

  // Then each tenant in turn: its symbol table, and its series rewritten into it.
  const remap = new Int32Array(symbols.length);
  const stamps = new Uint32Array(symbols.length);
  const batches = builders.map<TenantRequestV2>((b, i) => {
    const table = new SymbolTable(symbols, remap, stamps, i + 1);
    const timeseries = b.series.map((s) => rewriteSeries(req.timeseries[s]!, s, table, dropPair[s]!, symbols.length));
    return batchOf(b, { symbols: table.symbols, timeseries });
  });
  return { batches, unchanged: batches.length === 1 && !removed && seriesDropped === 0, seriesDropped, samplesDropped };
}

function batchOf(b: Builder, request: RequestV2): TenantRequestV2 {
  return {
    tenant: b.tenant,
    request,
    series: b.series.length,
    samples: b.samples,
    histograms: b.histograms,
    exemplars: b.exemplars,
  };
}

function rewriteSeries(
  series: TimeSeriesV2,
  s: number,
  table: SymbolTable,
  dropPair: number,
  count: number,
): TimeSeriesV2 {
  const refs = series.labelsRefs;
  const labelsRefs = new Array<number>(dropPair >= 0 ? refs.length - 2 : refs.length);
  let out = 0;
  for (let p = 0; p < refs.length; p += 2) {
    if (p === dropPair) continue;
    labelsRefs[out++] = table.ref(refs[p]!);
    labelsRefs[out++] = table.ref(refs[p + 1]!);
  }
  let exemplars: readonly ExemplarV2[] = series.exemplars;
  if (exemplars.length > 0) {
    exemplars = exemplars.map((e, i) => {
      checkRefs(e.labelsRefs, count, `timeseries ${s} exemplar ${i} labels_refs`);
      return { ...e, labelsRefs: e.labelsRefs.map((r) => table.ref(r)) };
    });
  }
  const m = series.metadata;
  checkRef(m.helpRef, count, `timeseries ${s} metadata help_ref`);
  checkRef(m.unitRef, count, `timeseries ${s} metadata unit_ref`);
  const metadata = { ...m, helpRef: table.ref(m.helpRef), unitRef: table.ref(m.unitRef) };
  return { ...series, labelsRefs, exemplars, metadata };
}

function checkRefs(refs: readonly number[], count: number, what: string): void {
  if (refs.length % 2 !== 0) throw new WireError('odd_label_refs', `${what} has an odd length (${refs.length})`);
  for (let i = 0; i < refs.length; i++) {
    const r = refs[i]!;
    // The usual case, settled without a call: a whole number inside the table.
    if (r >= 0 && r < count && r === Math.floor(r)) continue;
    checkRef(r, count, what);
  }
}

function checkRef(ref: number, count: number, what: string): void {
  if (!(ref >= 0 && ref < count) || !Number.isInteger(ref)) {
    if (ref === 0 && count === 0) return; // "no symbol" in an empty table
    throw new WireError('symbol_ref_out_of_range', `${what}: ref ${ref} is past the symbol table (${count} symbols)`);
  }
}

function labelsOf(refs: readonly number[], symbols: readonly string[]): Label[] {
  const out: Label[] = [];
  for (let p = 0; p + 1 < refs.length; p += 2)
    out.push({ name: symbols[refs[p]!] ?? '', value: symbols[refs[p + 1]!] ?? '' });
  return out;
}
