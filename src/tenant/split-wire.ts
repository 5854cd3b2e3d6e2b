import type { Label } from '../wire/types.js';
import type { LabelPickRequest, ScannedWriteRequest } from '../wire/scan.js';
import {
  forEachLabel,
  PICK_EXEMPLARS,
  PICK_FIELD_END,
  PICK_FIELD_START,
  PICK_HISTOGRAMS,
  PICK_NAME_END,
} from '../wire/scan.js';
import {
  PICK_NAME_START,
  PICK_RANK,
  PICK_SAMPLES,
  PICK_STRIDE,
  PICK_VALUE_END,
  PICK_VALUE_START,
} from '../wire/scan.js';
import { createMetadataRouter, type MetadataRouter } from './metadata-route.js';
import { createRawValueCache } from './raw-value-cache.js';
import type { CompiledTenantOptions } from './options.js';
import { defaultTenantFor, describeLabels, finalizeTenant, tenantPrefixFor } from './resolve.js';
import { varintSize } from '../wire/field-header.js';
import { metadataFamilyRange, picksFor, writeVarint } from './wire-walk.js';

/**
 * Splitting a decompressed 1.0 body by tenant without decoding it: series are located by the
 * scanner and copied as byte ranges into one buffer, carved into one body per tenant (first-
 * seen order). With `label_remove` only the series whose tenant came from a label are
 * rewritten: that label's field is cut out, the TimeSeries length header re-written, every
 * other byte (labels in order, samples with their NaN bits, exemplars, histograms, unknown
 * fields) copied raw. A series without a tenant label is dropped with `on_missing: drop`
 * (counted in the result). Metadata entries are routed as metadata-route.ts describes. Top-level
 * fields other than series and metadata (e.g. Mimir's 1000/1001) are never forwarded.
 *
 * The tenant label of each series comes from the scan's picks when the scanner was asked for
 * them (`scanWriteRequest(raw, limits, tenantPickRequest(options))`), which saves walking
 * every series' labels a second time; otherwise from the splitter's own walk (wire-walk.ts).
 *
 * Tenant values are resolved (mapped, prefixed, checked) once per distinct raw value per request:
 * the raw-value cache keys them by their bytes in the body.
 *
 * `passthrough`: one tenant, nothing rewritten, nothing dropped, no other top-level fields:
 * the caller may forward the ORIGINAL compressed bytes; `batches[0].body` is then the input.
 */

export interface WireTenantBatch {
  readonly tenant: string;
  /** A decompressed WriteRequest. */
  readonly body: Uint8Array;
  readonly series: number;
  readonly samples: number;
  readonly histograms: number;
  readonly exemplars: number;
  readonly metadata: number;
}

export interface WireSplitResult {
  readonly batches: readonly WireTenantBatch[];
  readonly passthrough: boolean;
  /** Metadata entries forwarded to nobody. */
  readonly metadataDropped: number;
  /** Series whose tenant label was removed. */
  readonly labelsRemoved: number;
  /** Series dropped for want of a tenant label (`on_missing: drop`). */
  readonly seriesDropped: number;
  /** Samples plus histograms of those series. */
  readonly samplesDropped: number;
}

export interface WireSplitInput {
  readonly scan: ScannedWriteRequest;
  readonly options: CompiledTenantOptions;
  /** The incoming tenant header (for `prefix_prefer_source`). */
  readonly sourceTenant?: string;
  /**
   * Memory for the output bodies (all tenants share one buffer of `size` bytes). Default: a
   * fresh Uint8Array. A caller may hand out a reused buffer (a fresh 640 KB buffer costs page
   * faults) as long as it keeps the bodies alive only until it is done with them.
   */
  readonly allocate?: (size: number) => Uint8Array;
}

interface Acc {
  tenant: string;
  size: number;
  series: number;
  samples: number;
  histograms: number;
  exemplars: number;
  metadata: number;
  pos: number;
}

const utf8 = new TextDecoder('utf-8', { fatal: false });

export function splitWire(input: WireSplitInput): WireSplitResult {
  const { scan, options } = input;
  const body = scan.body;
  const n = scan.seriesCount;
  const prefix = tenantPrefixFor(options, input.sourceTenant);
  const names = options.labelBytes;
  const router: MetadataRouter | undefined =
    options.metadata && scan.metadataCount > 0 ? createMetadataRouter() : undefined;
  const rows = picksFor(scan, names, router !== undefined);

  const accs: Acc[] = [];
  const byTenant = new Map<string, number>();
  const accFor = (tenant: string): number => {
    let i = byTenant.get(tenant);
    if (i === undefined) {
      i = accs.length;
      byTenant.set(tenant, i);
      accs.push({ tenant, size: 0, series: 0, samples: 0, histograms: 0, exemplars: 0, metadata: 0, pos: 0 });
    }
    return i;
  };
  const rawValues = createRawValueCache();
  /** The batch of series without a tenant label: -1 not known yet, -2 dropped. */
  let defaultAcc = -1;
  let seriesDropped = 0;
  let samplesDropped = 0;

  const seriesAcc = new Int32Array(n);
  const cutStart = options.labelRemove ? new Uint32Array(n) : undefined;
  const cutEnd = options.labelRemove ? new Uint32Array(n) : undefined;
  let removed = 0;

  for (let i = 0; i < n; i++) {
    const msgStart = scan.seriesMsgStart[i]!;
    const end = scan.seriesEnd[i]!;
    const o = i * PICK_STRIDE;
    const rank = rows[o + PICK_RANK]!;
    let a: number;
    if (rank === 0) {
      if (defaultAcc === -1) {
        const tenant = finalizeTenant(options, prefix, undefined, () => describe(scan, i));
        defaultAcc = tenant === undefined ? -2 : accFor(tenant);
      }
      if (defaultAcc === -2) {
        seriesAcc[i] = -1;
        seriesDropped++;
        samplesDropped += rows[o + PICK_SAMPLES]! + rows[o + PICK_HISTOGRAMS]!;
        continue;
      }
      a = defaultAcc;
    } else {
      a = rawValues.find(body, rows[o + PICK_VALUE_START]!, rows[o + PICK_VALUE_END]!);
      if (a < 0) {
        // A label value is never dropped: only a missing one is.
        a = accFor(finalizeTenant(options, prefix, rawValues.decoded, () => describe(scan, i))!);
        rawValues.remember(a);
      }
    }
    seriesAcc[i] = a;
    const acc = accs[a]!;
    let size = end - scan.seriesFieldStart[i]!;
    if (cutStart !== undefined && cutEnd !== undefined && rank !== 0) {
      const fs = rows[o + PICK_FIELD_START]!;
      const fe = rows[o + PICK_FIELD_END]!;
      cutStart[i] = fs;
      cutEnd[i] = fe;
      const len = end - msgStart - (fe - fs);
      size = 1 + varintSize(len) + len;
      removed++;
    }
    acc.size += size;
    acc.series++;
    acc.samples += rows[o + PICK_SAMPLES]!;
    acc.histograms += rows[o + PICK_HISTOGRAMS]!;
    acc.exemplars += rows[o + PICK_EXEMPLARS]!;
    const nvs = rows[o + PICK_NAME_START]!;
    const nve = rows[o + PICK_NAME_END]!;
    if (router !== undefined && nve > nvs) router.addSeries(utf8.decode(body.subarray(nvs, nve)), a);
  }

  // Metadata: per entry, the batches it goes to (none: dropped).
  const mdCount = scan.metadataCount;
  const mdTargets: (readonly number[])[] = [];
  let metadataDropped = 0;
  if (router === undefined) {
    metadataDropped = mdCount;
  } else {
    let dflt = -1;
    for (let m = 0; m < mdCount; m++) {
      const [fs, fe] = metadataFamilyRange(body, scan.metadataFieldStart[m]!, scan.metadataEnd[m]!);
      let targets = router.route(utf8.decode(body.subarray(fs, fe)));
      if (targets.length === 0 && options.default !== undefined) {
        if (dflt < 0) dflt = accFor(defaultTenantFor(options, prefix)!);
        targets = [dflt];
      }
      if (targets.length === 0) metadataDropped++;
      const size = scan.metadataEnd[m]! - scan.metadataFieldStart[m]!;
      for (const t of targets) {
        accs[t]!.size += size;
        accs[t]!.metadata++;
      }
      mdTargets.push(targets);
    }
  }

  if (
    accs.length === 1 &&
    removed === 0 &&
    metadataDropped === 0 &&
    seriesDropped === 0 &&
    scan.otherFieldCount === 0
  ) {
    const only = accs[0]!;
    return {
      batches: [batchOf(only, body)],
      passthrough: true,
      metadataDropped: 0,
      labelsRemoved: 0,
      seriesDropped: 0,
      samplesDropped: 0,
    };
  }

  let total = 0;
  for (const acc of accs) {
    acc.pos = total;
    total += acc.size;
  }
  const out = input.allocate ? input.allocate(total).subarray(0, total) : new Uint8Array(total);
  for (let i = 0; i < n; i++) {
    const ai = seriesAcc[i]!;
    if (ai < 0) continue;
    const acc = accs[ai]!;
    const fieldStart = scan.seriesFieldStart[i]!;
    const end = scan.seriesEnd[i]!;
    const cs = cutStart?.[i] ?? 0;
    if (cs === 0) {
      acc.pos = copy(body, fieldStart, end, out, acc.pos);
    } else {
      const ce = cutEnd![i]!;
      const msgStart = scan.seriesMsgStart[i]!;
      let p = acc.pos;
      out[p++] = 0x0a;
      p = writeVarint(out, p, end - msgStart - (ce - cs));
      p = copy(body, msgStart, cs, out, p);
      acc.pos = copy(body, ce, end, out, p);
    }
  }
  for (let m = 0; m < mdTargets.length; m++) {
    const fs = scan.metadataFieldStart[m]!;
    const fe = scan.metadataEnd[m]!;
    for (const t of mdTargets[m]!) {
      const acc = accs[t]!;
      acc.pos = copy(body, fs, fe, out, acc.pos);
    }
  }
  let start = 0;
  const batches = accs.map<WireTenantBatch>((acc) => {
    const b = batchOf(acc, out.subarray(start, start + acc.size));
    start += acc.size;
    return b;
  });
  return { batches, passthrough: false, metadataDropped, labelsRemoved: removed, seriesDropped, samplesDropped };
}

/**
 * What to ask the scanner to pick for this split (see splitWire): the tenant label names, and
 * the `__name__` values when metadata may need routing.
 */
export function tenantPickRequest(options: CompiledTenantOptions): LabelPickRequest {
  return { names: options.labelBytes, wantName: options.metadata };
}

/** One literal with every key (a spread then `body` costs the runtime a call per key on Node 20). */
function batchOf(acc: Acc, body: Uint8Array): WireTenantBatch {
  return {
    tenant: acc.tenant,
    series: acc.series,
    samples: acc.samples,
    histograms: acc.histograms,
    exemplars: acc.exemplars,
    metadata: acc.metadata,
    body,
  };
}

/** Copies body[start, end) to out at `at`; returns the position after it. */
function copy(body: Uint8Array, start: number, end: number, out: Uint8Array, at: number): number {
  // TypedArray#set of a subarray measured as fast as a byte loop or Buffer#copy here.
  out.set(body.subarray(start, end), at);
  return at + end - start;
}

/** Labels of series i, for error messages only. */
function describe(scan: ScannedWriteRequest, i: number): string {
  const labels: Label[] = [];
  const body = scan.body;
  forEachLabel(body, scan.seriesMsgStart[i]!, scan.seriesEnd[i]!, (ns, ne, vs, ve) => {
    labels.push({ name: utf8.decode(body.subarray(ns, ne)), value: utf8.decode(body.subarray(vs, ve)) });
  });
  return describeLabels(labels);
}
