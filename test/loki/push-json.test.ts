import { gzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { LimitError, WireError } from '../../src/errors.js';
import { decodePushJson, encodePushJson } from '../../src/loki/push-json.js';
import { negotiateLokiBody, readLokiBody } from '../../src/loki/read-body.js';

const enc = (v: unknown) => new TextEncoder().encode(typeof v === 'string' ? v : JSON.stringify(v));
const codeOf = (f: () => unknown): string | undefined => {
  try {
    f();
  } catch (e) {
    expect(e).toBeInstanceOf(WireError);
    return (e as WireError).code;
  }
  return undefined;
};

describe('Loki JSON push format', () => {
  const body = {
    streams: [
      {
        stream: { app: 'api', __tenant__: 'a' },
        values: [
          ['1700000000000000005', 'hello'],
          ['1700000001000000000', 'with meta', { trace_id: 'abc' }],
        ],
      },
      { stream: { app: 'db' }, values: [] },
    ],
  };

  it('decodes streams, nanosecond timestamps and structured metadata', () => {
    const req = decodePushJson(enc(body));
    expect(req.streams).toHaveLength(2);
    expect(req.streams[0]!.labels).toBe('{app="api", __tenant__="a"}');
    expect(req.streams[0]!.entries[0]).toEqual({
      timestamp: { seconds: 1_700_000_000, nanos: 5 },
      line: 'hello',
      structuredMetadata: [],
      parsed: [],
    });
    expect(req.streams[0]!.entries[1]!.structuredMetadata).toEqual([{ name: 'trace_id', value: 'abc' }]);
    expect(req.streams[1]!.entries).toEqual([]);
  });

  it('writes back the same JSON document', () => {
    expect(JSON.parse(new TextDecoder().decode(encodePushJson(decodePushJson(enc(body)))))).toEqual(body);
  });

  it('keeps label order, escapes, and a label named __proto__', () => {
    const text = '{"streams":[{"stream":{"z":"q\\"\\\\\\n","a":"1","__proto__":"p"},"values":[["1","l"]]}]}';
    const req = decodePushJson(enc(text));
    expect(req.streams[0]!.labels).toBe('{z="q\\"\\\\\\n", a="1", __proto__="p"}');
    const back = new TextDecoder().decode(encodePushJson(req));
    expect(back).toBe(text);
  });

  it('treats a missing or null "streams" as an empty push', () => {
    expect(decodePushJson(enc({})).streams).toEqual([]);
    expect(decodePushJson(enc({ streams: null })).streams).toEqual([]);
  });

  it.each<[string, unknown, string]>([
    ['not JSON', '{"streams": [', 'bad_json'],
    ['not an object', '[1,2]', 'bad_json'],
    ['streams not an array', { streams: {} }, 'bad_json'],
    ['stream not an object', { streams: [1] }, 'bad_json'],
    ['legacy labels/entries', { streams: [{ labels: '{a="b"}', entries: [] }] }, 'bad_json'],
    ['label value not a string', { streams: [{ stream: { a: 1 }, values: [] }] }, 'bad_json'],
    ['bad label name', { streams: [{ stream: { 'a.b': 'x' }, values: [] }] }, 'bad_labels'],
    ['values not an array', { streams: [{ stream: {}, values: 'x' }] }, 'bad_json'],
    ['entry of one element', { streams: [{ stream: {}, values: [['1']] }] }, 'bad_json'],
    ['entry of four elements', { streams: [{ stream: {}, values: [['1', 'a', {}, 1]] }] }, 'bad_json'],
    ['numeric timestamp', { streams: [{ stream: {}, values: [[1, 'a']] }] }, 'bad_timestamp'],
    ['RFC3339 timestamp', { streams: [{ stream: {}, values: [['2024-01-01T00:00:00Z', 'a']] }] }, 'bad_timestamp'],
    ['negative timestamp', { streams: [{ stream: {}, values: [['-1', 'a']] }] }, 'bad_timestamp'],
    ['timestamp past int64', { streams: [{ stream: {}, values: [['9223372036854775808', 'a']] }] }, 'bad_timestamp'],
    ['line not a string', { streams: [{ stream: {}, values: [['1', 2]] }] }, 'bad_json'],
    ['metadata not strings', { streams: [{ stream: {}, values: [['1', 'a', { k: 1 }]] }] }, 'bad_json'],
    ['deep nesting', '['.repeat(200_000), 'bad_json'],
  ])('refuses %s', (_name, doc, code) => {
    expect(codeOf(() => decodePushJson(enc(doc)))).toBe(code);
  });

  it('refuses invalid UTF-8', () => {
    expect(codeOf(() => decodePushJson(new Uint8Array([0x7b, 0xff, 0x7d])))).toBe('bad_json');
  });
});

describe('Loki push body negotiation and decoding', () => {
  it.each<[string | undefined, string | undefined, string]>([
    ['application/x-protobuf', undefined, 'protobuf/snappy'],
    ['application/x-protobuf', 'snappy', 'protobuf/snappy'],
    ['Application/X-Protobuf; charset=binary', 'SNAPPY', 'protobuf/snappy'],
    ['application/json', undefined, 'json/identity'],
    ['application/json; charset=utf-8', 'gzip', 'json/gzip'],
    ['application/json', 'identity', 'json/identity'],
  ])('%s + %s', (ct, ce, want) => {
    const n = negotiateLokiBody(ct, ce);
    expect(n.ok ? `${n.format}/${n.encoding}` : n.message).toBe(want);
  });

  it.each<[string | undefined, string | undefined, RegExp]>([
    [undefined, undefined, /missing Content-Type/],
    ['text/plain', undefined, /unsupported Content-Type "text\/plain"/],
    ['application/x-protobuf', 'gzip', /unsupported Content-Encoding "gzip" for application\/x-protobuf/],
    ['application/json', 'snappy', /unsupported Content-Encoding "snappy" for application\/json/],
    ['application/json', 'br', /unsupported Content-Encoding "br"/],
  ])('refuses %s + %s', (ct, ce, message) => {
    const n = negotiateLokiBody(ct, ce);
    expect(n.ok).toBe(false);
    if (!n.ok) expect(n.message).toMatch(message);
  });

  it('inflates gzip JSON, with a bound on the output', () => {
    const json = enc({ streams: [{ stream: { a: 'b' }, values: [['1', 'x'.repeat(10_000)]] }] });
    const gz = gzipSync(json);
    expect(readLokiBody(gz, { format: 'json', encoding: 'gzip' }, { maxDecodedBytes: 1 << 20 }).streams).toHaveLength(
      1,
    );
    expect(() => readLokiBody(gz, { format: 'json', encoding: 'gzip' }, { maxDecodedBytes: 1000 })).toThrow(LimitError);
    expect(() => readLokiBody(json, { format: 'json', encoding: 'identity' }, { maxDecodedBytes: 1000 })).toThrow(
      LimitError,
    );
    expect(() =>
      readLokiBody(enc('not gzip'), { format: 'json', encoding: 'gzip' }, { maxDecodedBytes: 1000 }),
    ).toThrow(/gzip body does not inflate/);
  });
});
