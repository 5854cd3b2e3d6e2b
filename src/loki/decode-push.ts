/**
 * Decodes a (decompressed) Loki `PushRequest` protobuf into the model of types.ts, with the
 * wire layer's reader: every length is checked against its parent message, strings are strict
 * UTF-8, unknown fields are skipped, a known field with the wrong wire type is refused.
 * Failures are WireErrors naming the byte offset; never a crash.
 */
import { DEFAULT_WIRE_LIMITS, type Label } from '../wire/types.js';
import { createReader, type ProtoReader } from '../wire/reader.js';
import { wrongWireTypeError } from '../wire/wire-errors.js';
import type { LokiEntry, LokiPushRequest, LokiStream, LokiTimestamp } from './types.js';

const NO_LABELS: readonly Label[] = Object.freeze([]);
const ZERO_TIME: LokiTimestamp = Object.freeze({ seconds: 0, nanos: 0 });

export function decodePushRequest(buf: Uint8Array, maxElements = DEFAULT_WIRE_LIMITS.maxElements): LokiPushRequest {
  const r = createReader(buf, maxElements);
  const end = buf.length;
  const streams: LokiStream[] = [];
  let format = '';
  while (r.pos < end) {
    const at = r.pos;
    const tag = r.tag(end);
    const field = tag >>> 3;
    const wt = tag & 7;
    if (field === 1) {
      need(wt, 2, 'PushRequest', field, at);
      r.spend();
      streams.push(decodeStream(r, r.lengthEnd(end)));
    } else if (field === 2) {
      need(wt, 2, 'PushRequest', field, at);
      format = r.string(end, 'PushRequest.format');
    } else {
      r.skip(wt, end);
    }
  }
  return { streams, format };
}

function decodeStream(r: ProtoReader, end: number): LokiStream {
  let labels = '';
  const entries: LokiEntry[] = [];
  let hash = 0n;
  while (r.pos < end) {
    const at = r.pos;
    const tag = r.tag(end);
    const field = tag >>> 3;
    const wt = tag & 7;
    if (field === 1) {
      need(wt, 2, 'StreamAdapter', field, at);
      labels = r.string(end, 'StreamAdapter.labels');
    } else if (field === 2) {
      need(wt, 2, 'StreamAdapter', field, at);
      r.spend();
      entries.push(decodeEntry(r, r.lengthEnd(end)));
    } else if (field === 3) {
      need(wt, 0, 'StreamAdapter', field, at);
      hash = r.uint64Big(end);
    } else {
      r.skip(wt, end);
    }
  }
  return { labels, entries, hash };
}

function decodeEntry(r: ProtoReader, end: number): LokiEntry {
  let timestamp = ZERO_TIME;
  let line = '';
  let structuredMetadata: Label[] | undefined;
  let parsed: Label[] | undefined;
  while (r.pos < end) {
    const at = r.pos;
    const tag = r.tag(end);
    const field = tag >>> 3;
    const wt = tag & 7;
    if (field === 1) {
      need(wt, 2, 'EntryAdapter', field, at);
      timestamp = decodeTimestamp(r, r.lengthEnd(end));
    } else if (field === 2) {
      need(wt, 2, 'EntryAdapter', field, at);
      line = r.string(end, 'EntryAdapter.line');
    } else if (field === 3) {
      need(wt, 2, 'EntryAdapter', field, at);
      r.spend();
      (structuredMetadata ??= []).push(decodePair(r, r.lengthEnd(end)));
    } else if (field === 4) {
      need(wt, 2, 'EntryAdapter', field, at);
      r.spend();
      (parsed ??= []).push(decodePair(r, r.lengthEnd(end)));
    } else {
      r.skip(wt, end);
    }
  }
  return { timestamp, line, structuredMetadata: structuredMetadata ?? NO_LABELS, parsed: parsed ?? NO_LABELS };
}

function decodeTimestamp(r: ProtoReader, end: number): LokiTimestamp {
  let seconds = 0;
  let nanos = 0;
  while (r.pos < end) {
    const at = r.pos;
    const tag = r.tag(end);
    const field = tag >>> 3;
    const wt = tag & 7;
    if (field === 1) {
      need(wt, 0, 'Timestamp', field, at);
      seconds = r.int64(end);
    } else if (field === 2) {
      need(wt, 0, 'Timestamp', field, at);
      nanos = r.int32(end);
    } else {
      r.skip(wt, end);
    }
  }
  return { seconds, nanos };
}

function decodePair(r: ProtoReader, end: number): Label {
  let name = '';
  let value = '';
  while (r.pos < end) {
    const at = r.pos;
    const tag = r.tag(end);
    const field = tag >>> 3;
    const wt = tag & 7;
    if (field === 1) {
      need(wt, 2, 'LabelPairAdapter', field, at);
      name = r.string(end, 'LabelPairAdapter.name');
    } else if (field === 2) {
      need(wt, 2, 'LabelPairAdapter', field, at);
      value = r.string(end, 'LabelPairAdapter.value');
    } else {
      r.skip(wt, end);
    }
  }
  return { name, value };
}

function need(wt: number, expected: number, message: string, field: number, at: number): void {
  if (wt !== expected) throw wrongWireTypeError(message, field, wt, at);
}
