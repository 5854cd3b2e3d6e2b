import { encodeWriteRequest } from '../../wire/encode-v1.js';
import { snappyCompress } from '../../wire/snappy.js';
import type { ProtocolVersion, TimeSeries } from '../../wire/types.js';
import { v1ToV2 } from '../../wire/convert.js';
import { encodeRequestV2 } from '../../wire/encode-v2.js';
import { countItems, remoteWriteHeaders } from '../../protocol/headers.js';

/**
 * Batch -> request body and headers (Vector's request builder): encode 1.0 or 2.0, compress
 * with snappy, and count what is inside for the metrics.
 */
export interface BuiltRequest {
  readonly body: Uint8Array;
  readonly headers: Readonly<Record<string, string>>;
  readonly samples: number;
  readonly histograms: number;
  readonly exemplars: number;
  /** Newest sample or histogram timestamp in the batch (ms), 0 when none. */
  readonly highestTimestampMs: number;
}

export function buildRequest(batch: readonly TimeSeries[], protocol: ProtocolVersion): BuiltRequest {
  const { samples, histograms, exemplars } = countItems(batch);
  let highest = 0;
  for (const s of batch) {
    for (const x of s.samples) if (x.timestamp > highest) highest = x.timestamp;
    for (const x of s.histograms) if (x.timestamp > highest) highest = x.timestamp;
  }
  const raw =
    protocol === '2.0'
      ? encodeRequestV2(v1ToV2({ timeseries: batch, metadata: [] }))
      : encodeWriteRequest({ timeseries: batch, metadata: [] });
  return {
    body: snappyCompress(raw),
    headers: remoteWriteHeaders(protocol),
    samples,
    histograms,
    exemplars,
    highestTimestampMs: highest,
  };
}
