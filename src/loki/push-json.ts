/**
 * Loki's JSON push format, decoded into the model and written back per tenant:
 * `{"streams":[{"stream":{"app":"api"},"values":[["<unix ns>","line"],["<unix ns>","line",{"trace_id":"abc"}]]}]}`.
 * Strict in types (label values, lines and metadata are strings; the timestamp is a string of
 * unix nanoseconds), lenient in unknown keys (ignored, as Loki's decoder does). The legacy
 * `labels`/`entries` form is refused by name. Every failure is a WireError('bad_json' |
 * 'bad_timestamp' | 'bad_labels'); JSON.parse's own errors (including a stack overflow on
 * absurd nesting) never escape.
 */
import type { Label } from '../wire/types.js';
import { escapeForMessage } from '../tenant/tenant-id.js';
import { parseStreamLabels, printStreamLabels } from './labels-string.js';
import { lokiError } from './loki-errors.js';
import {
  timestampFromNanos,
  timestampToNanos,
  type LokiEntry,
  type LokiPushRequest,
  type LokiStream,
} from './types.js';

const LABEL_NAME = /^[a-zA-Z_][a-zA-Z0-9_]*$/;
const NANOS = /^\d{1,19}$/;
const INT64_MAX = 9223372036854775807n;
const NO_LABELS: readonly Label[] = Object.freeze([]);
const fatalUtf8 = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });
const utf8 = new TextEncoder();

type Json = unknown;

export function decodePushJson(body: Uint8Array): LokiPushRequest {
  let text: string;
  try {
    text = fatalUtf8.decode(body);
  } catch {
    throw lokiError('bad_json', 'JSON push body is not valid UTF-8');
  }
  let doc: Json;
  try {
    doc = JSON.parse(text);
  } catch (e) {
    const why = e instanceof Error ? e.message : String(e);
    throw lokiError('bad_json', `JSON push body does not parse: ${escapeForMessage(why, 200)}`);
  }
  if (!isObject(doc)) throw lokiError('bad_json', 'JSON push body must be an object with "streams"');
  const raw = doc.streams;
  if (raw === undefined || raw === null) return { streams: [], format: '' };
  if (!Array.isArray(raw)) throw lokiError('bad_json', '"streams" must be an array');
  return { streams: raw.map((s: Json, i) => decodeStream(s, i)), format: '' };
}

function decodeStream(s: Json, i: number): LokiStream {
  const at = `streams[${i}]`;
  if (!isObject(s)) throw lokiError('bad_json', `${at} must be an object`);
  if (s.stream === undefined && (s.labels !== undefined || s.entries !== undefined)) {
    throw lokiError('bad_json', `${at} uses the legacy "labels"/"entries" format; send "stream" and "values"`);
  }
  const labels = stringPairs(s.stream ?? {}, `${at}.stream`, true);
  const values = s.values ?? [];
  if (!Array.isArray(values)) throw lokiError('bad_json', `${at}.values must be an array`);
  const entries = values.map((v: Json, j) => decodeEntry(v, `${at}.values[${j}]`));
  return { labels: printStreamLabels(labels), entries, hash: 0n };
}

function decodeEntry(v: Json, at: string): LokiEntry {
  if (!Array.isArray(v) || v.length < 2 || v.length > 3) {
    throw lokiError('bad_json', `${at} must be ["<unix ns>", "<line>"] or ["<unix ns>", "<line>", {metadata}]`);
  }
  const [ts, line, meta] = v as [Json, Json, Json];
  if (typeof ts !== 'string' || !NANOS.test(ts) || BigInt(ts) > INT64_MAX) {
    throw lokiError(
      'bad_timestamp',
      `${at}[0] must be a string of unix nanoseconds, got ${escapeForMessage(JSON.stringify(ts) ?? 'undefined', 40)}`,
    );
  }
  if (typeof line !== 'string') throw lokiError('bad_json', `${at}[1] (the log line) must be a string`);
  const structuredMetadata = meta === undefined ? NO_LABELS : stringPairs(meta, `${at}[2]`, false);
  return { timestamp: timestampFromNanos(BigInt(ts)), line, structuredMetadata, parsed: NO_LABELS };
}

function stringPairs(obj: Json, at: string, labelNames: boolean): Label[] {
  if (!isObject(obj)) throw lokiError('bad_json', `${at} must be an object of strings`);
  const out: Label[] = [];
  for (const [name, value] of Object.entries(obj)) {
    if (typeof value !== 'string') throw lokiError('bad_json', `${at}.${escapeForMessage(name, 64)} must be a string`);
    if (labelNames && !LABEL_NAME.test(name)) {
      throw lokiError(
        'bad_labels',
        `${at}: "${escapeForMessage(name, 64)}" is not a valid label name ([a-zA-Z_][a-zA-Z0-9_]*)`,
      );
    }
    out.push({ name, value });
  }
  return out;
}

function isObject(v: Json): v is Record<string, Json> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** The JSON push format of a (split) request; metadata only where an entry has some. */
export function encodePushJson(req: LokiPushRequest): Uint8Array {
  const streams = req.streams.map((s) => ({
    stream: pairsToObject(parseStreamLabels(s.labels)),
    values: s.entries.map((e) => {
      const row: (string | Record<string, string>)[] = [timestampToNanos(e.timestamp), e.line];
      if (e.structuredMetadata.length > 0) row.push(pairsToObject(e.structuredMetadata));
      return row;
    }),
  }));
  return utf8.encode(JSON.stringify({ streams }));
}

function pairsToObject(pairs: readonly Label[]): Record<string, string> {
  // No prototype: a label named __proto__ stays a plain key.
  const o = Object.create(null) as Record<string, string>;
  for (const p of pairs) o[p.name] = p.value;
  return o;
}
