/**
 * Cuts one 1.0 record (a decompressed WriteRequest) into the pieces its shards send: each
 * series goes to the shard its label bytes hash to (so one series always takes the same shard
 * and its samples stay in order), metadata goes with shard 0, and each shard's series are cut
 * into runs of at most `maxItems` samples + histograms + exemplars (a single larger series stays
 * whole). The pieces are byte copies of whole fields: 1.0 messages concatenate, so a batch is
 * any run of pieces laid end to end. Pure; throws WireError/LimitError on a bad body.
 */
import {
  forEachLabel,
  PICK_EXEMPLARS,
  PICK_HISTOGRAMS,
  PICK_SAMPLES,
  PICK_STRIDE,
  scanWriteRequest,
} from '../wire/scan.js';
import type { WireLimits } from '../wire/types.js';

export interface ShardChunk {
  readonly shard: number;
  /** WriteRequest bytes: whole series (and metadata) fields. */
  readonly bytes: Uint8Array;
  readonly series: number;
  readonly samples: number;
  readonly histograms: number;
  readonly exemplars: number;
}

const NO_PICK = { names: [], wantName: false } as const;

/** FNV-1a (32 bit) over every label's name and value bytes, each followed by 0xff. */
export function seriesHash(body: Uint8Array, msgStart: number, end: number): number {
  let h = 0x811c9dc5;
  forEachLabel(body, msgStart, end, (ns, ne, vs, ve) => {
    for (let i = ns; i < ne; i++) h = Math.imul(h ^ body[i]!, 0x01000193);
    h = Math.imul(h ^ 0xff, 0x01000193);
    for (let i = vs; i < ve; i++) h = Math.imul(h ^ body[i]!, 0x01000193);
    h = Math.imul(h ^ 0xff, 0x01000193);
  });
  return h >>> 0;
}

interface Run {
  ranges: number[];
  series: number;
  samples: number;
  histograms: number;
  exemplars: number;
}

const emptyRun = (): Run => ({ ranges: [], series: 0, samples: 0, histograms: 0, exemplars: 0 });

function bytesOf(body: Uint8Array, ranges: readonly number[]): Uint8Array {
  let total = 0;
  for (let i = 0; i < ranges.length; i += 2) total += ranges[i + 1]! - ranges[i]!;
  const out = new Uint8Array(total);
  let pos = 0;
  for (let i = 0; i < ranges.length; i += 2) {
    out.set(body.subarray(ranges[i]!, ranges[i + 1]!), pos);
    pos += ranges[i + 1]! - ranges[i]!;
  }
  return out;
}

export function splitForShards(
  body: Uint8Array,
  shards: number,
  maxItems: number,
  limits: Partial<WireLimits> = {},
): ShardChunk[] {
  const scan = scanWriteRequest(body, limits, NO_PICK);
  const rows = scan.picks!.rows;
  const chunks: ShardChunk[] = [];
  const open: Run[] = Array.from({ length: shards }, emptyRun);
  const close = (shard: number) => {
    const r = open[shard]!;
    if (r.ranges.length === 0) return;
    chunks.push({ shard, bytes: bytesOf(body, r.ranges), ...r });
    open[shard] = emptyRun();
  };
  // The common case: one shard, nothing to cut or drop: the body as it is.
  let items = 0;
  for (let i = 0; i < scan.seriesCount; i++) {
    const o = i * PICK_STRIDE;
    items += rows[o + PICK_SAMPLES]! + rows[o + PICK_HISTOGRAMS]! + rows[o + PICK_EXEMPLARS]!;
  }
  if (shards === 1 && items <= maxItems && scan.otherFieldCount === 0) {
    if (scan.seriesCount === 0 && scan.metadataCount === 0) return [];
    const sum = (col: number) => {
      let n = 0;
      for (let i = 0; i < scan.seriesCount; i++) n += rows[i * PICK_STRIDE + col]!;
      return n;
    };
    return [
      {
        shard: 0,
        bytes: body,
        series: scan.seriesCount,
        samples: sum(PICK_SAMPLES),
        histograms: sum(PICK_HISTOGRAMS),
        exemplars: sum(PICK_EXEMPLARS),
      },
    ];
  }
  for (let i = 0; i < scan.seriesCount; i++) {
    const o = i * PICK_STRIDE;
    const shard = shards === 1 ? 0 : seriesHash(body, scan.seriesMsgStart[i]!, scan.seriesEnd[i]!) % shards;
    const s = rows[o + PICK_SAMPLES]!;
    const h = rows[o + PICK_HISTOGRAMS]!;
    const e = rows[o + PICK_EXEMPLARS]!;
    let r = open[shard]!;
    if (r.series > 0 && r.samples + r.histograms + r.exemplars + s + h + e > maxItems) {
      close(shard);
      r = open[shard]!;
    }
    r.ranges.push(scan.seriesFieldStart[i]!, scan.seriesEnd[i]!);
    r.series++;
    r.samples += s;
    r.histograms += h;
    r.exemplars += e;
  }
  for (let m = 0; m < scan.metadataCount; m++) {
    open[0]!.ranges.push(scan.metadataFieldStart[m]!, scan.metadataEnd[m]!);
  }
  for (let shard = 0; shard < shards; shard++) close(shard);
  return chunks;
}
