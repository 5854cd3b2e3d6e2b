import { createSeriesHasher } from '../limits/series-hash.js';
import { decodeRequestV2 } from '../wire/decode-v2.js';
import { encodeRequestV2 } from '../wire/encode-v2.js';
import {
  concatRanges,
  PICK_EXEMPLARS,
  PICK_HISTOGRAMS,
  PICK_SAMPLES,
  PICK_STRIDE,
  scanWriteRequest,
} from '../wire/scan.js';
import { createScanCursor } from '../wire/scan-cursor.js';
import { snappyCompress, snappyDecompress } from '../wire/snappy.js';
import type { RequestV2, WireLimits } from '../wire/types.js';
import type { TenantSend } from './forward.js';

/**
 * The series of one per-tenant send as hashes (for max_active_series), and the send rebuilt
 * with only some of its series. A 1.0 body is scanned again (the plan does not keep per-series
 * ranges per tenant) and each series hashed over its label fields' bytes; a 2.0 body is
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
const NO_PICK = { names: [], wantName: false } as const;
const hasher = createSeriesHasher();
const cur = createScanCursor();

export function seriesOf(send: TenantSend): SendSeries {
  if (send.version === '1.0') return seriesOfV1(send, send.raw ?? snappyDecompress(send.body!, OWN_BODY_LIMITS));
  return seriesOfV2(send, decodeRequestV2(snappyDecompress(send.body!, OWN_BODY_LIMITS), OWN_BODY_LIMITS));
}

function seriesOfV1(send: TenantSend, raw: Uint8Array): SendSeries {
  const scan = scanWriteRequest(raw, OWN_BODY_LIMITS, NO_PICK);
  const n = scan.seriesCount;
  const rows = scan.picks!.rows;
  const out = columns(n);
  for (let i = 0; i < n; i++) {
    hashLabelFields(raw, scan.seriesMsgStart[i]!, scan.seriesEnd[i]!);
    out.hi[i] = hasher.hi();
    out.lo[i] = hasher.lo();
    const r = i * PICK_STRIDE;
    out.samples[i] = rows[r + PICK_SAMPLES]! + rows[r + PICK_HISTOGRAMS]!;
    out.exemplars[i] = rows[r + PICK_EXEMPLARS]!;
  }
  cur.release();
  return {
    ...out,
    n,
    keepOnly(keep) {
      const ranges: number[] = [];
      let samples = 0;
      let histograms = 0;
      let exemplars = 0;
      let series = 0;
      for (let i = 0; i < n; i++) {
        if (keep[i] !== 1) continue;
        ranges.push(scan.seriesFieldStart[i]!, scan.seriesEnd[i]!);
        samples += rows[i * PICK_STRIDE + PICK_SAMPLES]!;
        histograms += rows[i * PICK_STRIDE + PICK_HISTOGRAMS]!;
        exemplars += rows[i * PICK_STRIDE + PICK_EXEMPLARS]!;
        series++;
      }
      // Metadata entries go with the series that are kept, as they went with the whole send.
      for (let m = 0; m < scan.metadataCount; m++) ranges.push(scan.metadataFieldStart[m]!, scan.metadataEnd[m]!);
      return {
        tenant: send.tenant,
        version: '1.0',
        raw: concatRanges(raw, ranges),
        series,
        sent: { samples, histograms, exemplars },
      };
    },
  };
}

/** Hashes the Label fields (field 1, tag and length included) of the TimeSeries [start, end). */
function hashLabelFields(body: Uint8Array, start: number, end: number): void {
  hasher.reset();
  const c = cur;
  // Only tag, length and skip are read (no word view): setting body and pos is enough.
  c.body = body;
  c.pos = start;
  while (c.pos < end) {
    const at = c.pos;
    const t = c.tag(end);
    if (t === 10) {
      const stop = c.lengthEnd(end);
      hasher.update(body, at, stop);
      c.pos = stop;
    } else {
      c.skip(t & 7, end);
    }
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
