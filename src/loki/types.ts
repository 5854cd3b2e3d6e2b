/**
 * Loki's push model (`logproto.PushRequest`), pure data. The protobuf and the JSON push format
 * both decode to it; the split works on it.
 *
 * Field numbers (Loki's push.proto):
 * - PushRequest: streams = 1 (StreamAdapter), format = 2 (string, newer Loki)
 * - StreamAdapter: labels = 1 (string, `{a="b", c="d"}`), entries = 2, hash = 3 (uint64)
 * - EntryAdapter: timestamp = 1 (google.protobuf.Timestamp), line = 2,
 *   structuredMetadata = 3 (LabelPairAdapter), parsed = 4 (LabelPairAdapter; query side only)
 * - LabelPairAdapter: name = 1, value = 2
 * - Timestamp: seconds = 1 (int64), nanos = 2 (int32)
 */
import { DEFAULT_WIRE_LIMITS, type Label } from '../wire/types.js';

export interface LokiTimestamp {
  /** Unix seconds, a safe integer (decoders refuse values past ±(2^53-1)). */
  readonly seconds: number;
  /** 0..999,999,999 as sent (not normalised). */
  readonly nanos: number;
}

export interface LokiEntry {
  readonly timestamp: LokiTimestamp;
  readonly line: string;
  readonly structuredMetadata: readonly Label[];
  /** Only Loki's query path fills it; kept so a round trip loses nothing. */
  readonly parsed: readonly Label[];
}

export interface LokiStream {
  /** The labels in Prometheus selector syntax, as sent: `{app="api", env="prod"}`. */
  readonly labels: string;
  readonly entries: readonly LokiEntry[];
  /** Loki's stream hash (0n when absent); dropped when the labels are rewritten. */
  readonly hash: bigint;
}

export interface LokiPushRequest {
  readonly streams: readonly LokiStream[];
  /** 'loki' or 'otlp' in newer Loki; '' when absent. */
  readonly format: string;
}

/** The two body formats of `POST /loki/push`. */
export type LokiFormat = 'protobuf' | 'json';

export interface LokiLimits {
  /** Largest decompressed body (snappy's declared length, gzip's output). */
  readonly maxDecodedBytes: number;
  /** Most streams, entries and metadata pairs one protobuf push may decode to. Default 2,000,000. */
  readonly maxElements?: number;
}

/** The remote-write decode limits: a Loki push is bounded like a remote-write body. */
export const DEFAULT_LOKI_LIMITS: LokiLimits = DEFAULT_WIRE_LIMITS;

const NS_PER_SECOND = 1_000_000_000n;

/** A timestamp as Loki's JSON format writes it: unix nanoseconds in decimal. */
export function timestampToNanos(ts: LokiTimestamp): string {
  return (BigInt(ts.seconds) * NS_PER_SECOND + BigInt(ts.nanos)).toString();
}

/** Splits unix nanoseconds into seconds and nanos (nanos always 0..999,999,999). */
export function timestampFromNanos(ns: bigint): LokiTimestamp {
  let seconds = ns / NS_PER_SECOND;
  let nanos = ns % NS_PER_SECOND;
  if (nanos < 0n) {
    nanos += NS_PER_SECOND;
    seconds -= 1n;
  }
  return { seconds: Number(seconds), nanos: Number(nanos) };
}
