/**
 * Remote-write fixtures shared by the tests: series built from a label map, request bodies in
 * either protocol version (snappy or raw), and reading a body back. Label order is the
 * canonical sorted one, so what the builders make is what the codec round-trips byte-exactly.
 */
import { v1ToV2 } from '../../src/wire/convert.js';
import { decodeWriteRequest } from '../../src/wire/decode-v1.js';
import { encodeWriteRequest } from '../../src/wire/encode-v1.js';
import { encodeRequestV2 } from '../../src/wire/encode-v2.js';
import { snappyCompress, snappyDecompress } from '../../src/wire/snappy.js';
import type { Exemplar, Histogram, Label, Sample, TimeSeries, WriteRequest } from '../../src/wire/types.js';

/** The timestamp every fixture sample carries unless a test needs another one. */
export const T0 = 1_700_000_000_000;

export const sample = (value = 1, timestamp = T0): Sample => ({ value, timestamp });

/** A label map as the sorted label list the wire carries. */
export function labelList(labels: Record<string, string>): Label[] {
  return Object.keys(labels)
    .sort()
    .map((name) => ({ name, value: labels[name]! }));
}

export interface SeriesExtras {
  readonly exemplars?: readonly Exemplar[];
  readonly histograms?: readonly Histogram[];
}

/** One series: one sample of 1 at T0 unless `samples` says otherwise. */
export function series(
  labels: Record<string, string>,
  samples: readonly Sample[] = [sample()],
  extras: SeriesExtras = {},
): TimeSeries {
  return { labels: labelList(labels), samples, exemplars: extras.exemplars ?? [], histograms: extras.histograms ?? [] };
}

export interface BodyOptions {
  /** Remote-write protocol version of the body; default '1.0'. */
  readonly version?: '1.0' | '2.0';
  /** Snappy-compress the protobuf, as senders do; default true. */
  readonly compress?: boolean;
}

/** A remote-write body holding `req` (a series list, or a request with metadata). */
export function remoteWriteBody(
  req: readonly TimeSeries[] | Partial<WriteRequest>,
  options: BodyOptions = {},
): Uint8Array {
  const full: WriteRequest = isSeriesList(req)
    ? { timeseries: req, metadata: [] }
    : { timeseries: req.timeseries ?? [], metadata: req.metadata ?? [] };
  const proto = options.version === '2.0' ? encodeRequestV2(v1ToV2(full)) : encodeWriteRequest(full);
  return options.compress === false ? proto : snappyCompress(proto);
}

function isSeriesList(req: readonly TimeSeries[] | Partial<WriteRequest>): req is readonly TimeSeries[] {
  return Array.isArray(req);
}

/** The request a snappy remote-write 1.0 body holds. */
export function decodeBody(body: Uint8Array): WriteRequest {
  return decodeWriteRequest(snappyDecompress(body, { maxDecodedBytes: 64 * 1024 * 1024 }));
}

/** The `label` value (default `id`) of every series in a snappy remote-write 1.0 body. */
export function seriesIds(body: Uint8Array, label = 'id'): string[] {
  return decodeBody(body).timeseries.map((s) => s.labels.find((l) => l.name === label)?.value ?? '');
}
