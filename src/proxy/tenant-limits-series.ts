import { createSeriesHasher } from '../limits/series-hash.js';
import { decodeRequestV2 } from '../wire/decode-v2.js';
import { encodeRequestV2 } from '../wire/encode-v2.js';
import { concatRanges } from '../wire/scan.js';
import { createScanCursor } from '../wire/scan-cursor.js';
import { snappyCompress, snappyDecompress } from '../wire/snappy.js';
import type { RequestV2, WireLimits } from '../wire/types.js';
import type { TenantSend } from './forward.js';

/**
 * The series of one per-tenant send as hashes (for max_active_series), and the send rebuilt
 * with only some of its series. A 1.0 body is walked again by framing (the plan does not keep
 * per-series ranges per tenant) and each series hashed over its label fields' bytes; a 2.0 body is
 * decoded and hashed over its label strings, so a series sent in both protocols counts twice.
 */
export interface SendSeries {
  readonly n: number;
  readonly hi: Uint32Array;
  readonly lo: Uint32Array;
  /** Per series: samples + histograms, exemplars. */
  readonly samples: Uint32Array;
  readonly exemplars: Uint32Array;
  /** Rebuilds the send with the series whose `keep[i]` is 1. */
  keepOnly(keep: Uint8Array): TenantSend;
}

// These bodies were made from a request already decoded within the configured limits.
const OWN_BODY_LIMITS: WireLimits = { maxDecodedBytes: Number.MAX_SAFE_INTEGER, maxElements: Number.MAX_SAFE_INTEGER };
const hasher = createSeriesHasher();
const cur = createScanCursor();

export function seriesOf(send: TenantSend): SendSeries {
  if (send.version === '1.0') return seriesOfV1(send, send.raw ?? snappyDecompress(send.body!, OWN_BODY_LIMITS));
  return seriesOfV2(send, decodeRequestV2(snappyDecompress(send.body!, OWN_BODY_LIMITS), OWN_BODY_LIMITS));
}

function seriesOfV1(send: TenantSend, raw: Uint8Array): SendSeries {
  const walked = walkV1(raw);
  const { n, fieldStart, seriesEnd, samples, histograms, exemplars, metadata } = walked;
  const out = columns(n);
  for (let i = 0; i < n; i++) {
    out.hi[i] = walked.hi[i]!;
    out.lo[i] = walked.lo[i]!;
    out.samples[i] = samples[i]! + histograms[i]!;
    out.exemplars[i] = exemplars[i]!;
  }
  return {
    ...out,
    n,
    keepOnly(keep) {
      const ranges: number[] = [];
      const sent = { samples: 0, histograms: 0, exemplars: 0 };
      let series = 0;
      for (let i = 0; i < n; i++) {
        if (keep[i] !== 1) continue;
        ranges.push(fieldStart[i]!, seriesEnd[i]!);
        sent.samples += samples[i]!;
        sent.histograms += histograms[i]!;
        sent.exemplars += exemplars[i]!;
        series++;
      }
      // Metadata entries go with the series that are kept, as they went with the whole send.
      for (const at of metadata) ranges.push(at);
      return { tenant: send.tenant, version: '1.0', raw: concatRanges(raw, ranges), series, sent };
    },
  };
}

type Mutable<T> = { -readonly [K in keyof T]: T[K] };

interface WalkedV1 {
  readonly n: number;
  readonly hi: number[];
  readonly lo: number[];
  readonly fieldStart: number[];
  readonly seriesEnd: number[];
  readonly samples: number[];
  readonly histograms: number[];
  readonly exemplars: number[];
  /** Start, end of each metadata field. */
  readonly metadata: number[];
}

/**
 * One pass over a per-tenant 1.0 body by framing alone (the plan made it from a request it had
 * validated, so labels are not checked again): per series its field range, its counts and the
 * hash of its label fields. Consecutive label fields (every sender writes labels first, in one
 * run) are hashed as one range; a body that interleaved them with samples would hash
 * differently and count the series twice, the bound's error in the safe direction.
 */
function walkV1(raw: Uint8Array): WalkedV1 {
  const w: Mutable<WalkedV1> = {
    n: 0,
    hi: [],
    lo: [],
    fieldStart: [],
    seriesEnd: [],
    samples: [],
    histograms: [],
    exemplars: [],
    metadata: [],
  };
  try {
    walkInto(raw, w);
  } finally {
    // Neither keeps the body alive past the request.
    hasher.release();
    cur.release();
  }
  return w;
}

function walkInto(raw: Uint8Array, w: Mutable<WalkedV1>): void {
  const c = cur;
  // Only tag, length and skip are read (no word view): setting body and pos is enough.
  c.body = raw;
  c.pos = 0;
  const end = raw.length;
  while (c.pos < end) {
    const at = c.pos;
    const t = c.tag(end);
    if (t !== 10) {
      if (t === 26) {
        const metadataEnd = c.lengthEnd(end);
        w.metadata.push(at, metadataEnd);
        c.pos = metadataEnd;
      } else c.skip(t & 7, end);
      continue;
    }
    const stop = c.lengthEnd(end);
    let samples = 0;
    let histograms = 0;
    let exemplars = 0;
    let run = -1;
    hasher.reset();
    while (c.pos < stop) {
      const f = c.pos;
      const ft = c.tag(stop);
      if (ft === 10) {
        if (run < 0) run = f;
        c.pos = c.lengthEnd(stop);
        continue;
      }
      if (run >= 0) hasher.update(raw, run, f);
      run = -1;
      if (ft === 18) samples++;
      else if (ft === 26) exemplars++;
      else if (ft === 34) histograms++;
      c.skip(ft & 7, stop);
    }
    if (run >= 0) hasher.update(raw, run, stop);
    w.hi.push(hasher.hi());
    w.lo.push(hasher.lo());
    w.fieldStart.push(at);
    w.seriesEnd.push(stop);
    w.samples.push(samples);
    w.histograms.push(histograms);
    w.exemplars.push(exemplars);
    w.n++;
  }
}

function seriesOfV2(send: TenantSend, req: RequestV2): SendSeries {
  const n = req.timeseries.length;
  const out = columns(n);
  for (let i = 0; i < n; i++) {
    const ts = req.timeseries[i]!;
    hasher.reset();
    for (const ref of ts.labelsRefs) hasher.updateString(req.symbols[ref] ?? '');
    out.hi[i] = hasher.hi();
    out.lo[i] = hasher.lo();
    out.samples[i] = ts.samples.length + ts.histograms.length;
    out.exemplars[i] = ts.exemplars.length;
  }
  return {
    ...out,
    n,
    keepOnly(keep) {
      const timeseries = req.timeseries.filter((_, i) => keep[i] === 1);
      const sent = { samples: 0, histograms: 0, exemplars: 0 };
      for (const ts of timeseries) {
        sent.samples += ts.samples.length;
        sent.histograms += ts.histograms.length;
        sent.exemplars += ts.exemplars.length;
      }
      const body = snappyCompress(encodeRequestV2({ symbols: req.symbols, timeseries }));
      return { tenant: send.tenant, version: '2.0', body, series: timeseries.length, sent };
    },
  };
}

function columns(n: number) {
  return { hi: new Uint32Array(n), lo: new Uint32Array(n), samples: new Uint32Array(n), exemplars: new Uint32Array(n) };
}
