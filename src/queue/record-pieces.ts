import { snappyCompress, snappyDecompress } from '../wire/snappy.js';
import { checkSnappyPreamble } from '../wire/snappy-preamble.js';
import type { ProtocolVersion, WireLimits } from '../wire/types.js';
import type { BatchCounts } from './batch-sender.js';
import { recordItems, type QueueRecord } from './record.js';
import { splitForShards } from './shard-split.js';

/** One shard's part of one record, ready for that shard's batches. */
export interface RecordPiece extends BatchCounts {
  readonly shard: number;
  readonly version: ProtocolVersion;
  /** 1.0: WriteRequest bytes (uncompressed, batches concatenate them); 2.0: the snappy body. */
  readonly bytes: Uint8Array;
}

function counts(c: BatchCounts): BatchCounts {
  return { samples: c.samples, histograms: c.histograms, exemplars: c.exemplars };
}

/**
 * Cuts a decoded record into shard pieces, pure: a 2.0 body goes whole to shard 0 (its symbol
 * table cannot be split without decoding); a 1.0 body is split by series hash onto `shards` and
 * cut to at most `maxItems` per piece. One shard and a record that fits a batch is sent as it is,
 * without scanning it again (the counts come from the record's header, which its checksum covers).
 * Throws WireError/LimitError for a body that does not decode.
 */
export function recordPieces(
  r: QueueRecord,
  shards: number,
  maxItems: number,
  limits: Partial<WireLimits>,
): RecordPiece[] {
  if (r.version === '2.0') {
    if (r.compressed) checkSnappyPreamble(r.body, limits);
    return [{ shard: 0, version: '2.0', bytes: r.compressed ? r.body : snappyCompress(r.body), ...counts(r) }];
  }
  const raw = r.compressed ? snappyDecompress(r.body, limits) : r.body;
  if (shards === 1 && recordItems(r) <= maxItems) return [{ shard: 0, version: '1.0', bytes: raw, ...counts(r) }];
  return splitForShards(raw, shards, maxItems, limits).map((c) => ({
    shard: c.shard,
    version: '1.0',
    bytes: c.bytes,
    ...counts(c),
  }));
}
