/** Loki push fixtures and a protobufjs oracle built from an independent copy of push.proto. */
import protobuf from 'protobufjs';
import type { LokiEntry, LokiPushRequest, LokiStream } from '../../src/loki/types.js';

const PUSH_PROTO = `
syntax = "proto3";
package logproto;
message Timestamp { int64 seconds = 1; int32 nanos = 2; }
message PushRequest { repeated StreamAdapter streams = 1; string format = 2; }
message StreamAdapter { string labels = 1; repeated EntryAdapter entries = 2; uint64 hash = 3; }
message LabelPairAdapter { string name = 1; string value = 2; }
message EntryAdapter {
  Timestamp timestamp = 1;
  string line = 2;
  repeated LabelPairAdapter structuredMetadata = 3;
  repeated LabelPairAdapter parsed = 4;
}
`;

const root = protobuf.parse(PUSH_PROTO, { keepCase: true }).root;
/** long.js, which protobufjs loads at run time (its typings do not show `fromString`). */
const LongCtor = protobuf.util.Long as unknown as { fromString(s: string, unsigned: boolean): unknown };
export const PushRequestType = root.lookupType('logproto.PushRequest');

export function entry(
  line: string,
  seconds = 1_700_000_000,
  nanos = 123,
  metadata: Record<string, string> = {},
): LokiEntry {
  return {
    timestamp: { seconds, nanos },
    line,
    structuredMetadata: Object.entries(metadata).map(([name, value]) => ({ name, value })),
    parsed: [],
  };
}

export function stream(labels: string, ...lines: string[]): LokiStream {
  return { labels, entries: lines.map((line, i) => entry(line, 1_700_000_000 + i)), hash: 0n };
}

export function push(...streams: LokiStream[]): LokiPushRequest {
  return { streams, format: '' };
}

/** protobufjs's bytes for the same request (proto3 defaults left out, as gogoproto does). */
export function oracleEncode(req: LokiPushRequest): Uint8Array {
  const obj = {
    streams: req.streams.map((s) => ({
      ...nonEmpty('labels', s.labels),
      entries: s.entries.map((e) => ({
        timestamp: { ...nonZero('seconds', e.timestamp.seconds), ...nonZero('nanos', e.timestamp.nanos) },
        ...nonEmpty('line', e.line),
        structuredMetadata: e.structuredMetadata.map(pair),
        parsed: e.parsed.map(pair),
      })),
      ...(s.hash !== 0n ? { hash: LongCtor.fromString(s.hash.toString(), true) } : {}),
    })),
    ...nonEmpty('format', req.format),
  };
  return PushRequestType.encode(PushRequestType.fromObject(obj)).finish();
}

const nonEmpty = (key: string, v: string) => (v === '' ? {} : { [key]: v });
const nonZero = (key: string, v: number) => (v === 0 ? {} : { [key]: v });
const pair = (p: { name: string; value: string }) => ({ ...nonEmpty('name', p.name), ...nonEmpty('value', p.value) });
