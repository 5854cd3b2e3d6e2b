/**
 * Hostile input to both OTLP decoders: every truncation and (bounded) every single-byte mutation
 * of valid bodies, random bytes, wrong wire types, huge declared lengths, element bombs, deep
 * AnyValue nesting, invalid UTF-8 and out-of-range counts. Every failure must be a WireError or
 * LimitError with a code and a message, never a TypeError, RangeError or stack overflow.
 */
import { describe, expect, it } from 'vitest';
import { LimitError, WireError } from '../../src/errors.js';
import { decodeOtlpMetrics, MAX_ANY_VALUE_DEPTH } from '../../src/otlp/decode.js';
import { encodeWithProtobufjs, toOtlpJson } from '../helpers/otlp-oracle.js';
import { createRandom, randomRequest } from '../helpers/otlp-random.js';

type Format = 'protobuf' | 'json';

/** Decodes, and returns the error when there is one; fails the test on any other exception. */
function attempt(body: Uint8Array, format: Format, maxElements = 100_000): WireError | LimitError | undefined {
  try {
    decodeOtlpMetrics(body, format, { maxElements });
    return undefined;
  } catch (e) {
    if (!(e instanceof WireError || e instanceof LimitError)) {
      throw new Error(`unexpected ${(e as Error)?.name}: ${(e as Error)?.message}`, { cause: e });
    }
    expect(e.message.length).toBeGreaterThan(10);
    return e;
  }
}

function refusal(body: Uint8Array, format: Format, maxElements?: number): WireError | LimitError {
  const e = attempt(body, format, maxElements);
  expect(e, 'expected a refusal').toBeDefined();
  return e!;
}

function varint(n: number): number[] {
  const out: number[] = [];
  let v = n;
  while (v > 127) {
    out.push((v % 128) | 128);
    v = Math.floor(v / 128);
  }
  out.push(v);
  return out;
}
const len = (field: number, body: number[]) => [(field << 3) | 2, ...varint(body.length), ...body];
const withMetric = (metric: number[]) => Uint8Array.from(len(1, len(2, len(2, metric))));
const utf8 = (s: string) => new TextEncoder().encode(s);

function sampleBodies(format: Format): Uint8Array[] {
  const out: Uint8Array[] = [];
  for (let seed = 1; out.length < 6; seed++) {
    const req = randomRequest(createRandom(seed * 7919));
    const body = format === 'protobuf' ? encodeWithProtobufjs(req) : utf8(JSON.stringify(toOtlpJson(req)));
    if (body.length > 200 && body.length < 4000) out.push(body);
  }
  return out;
}

describe.each(['protobuf', 'json'] as const)('hostile %s bodies', (format) => {
  const bodies = sampleBodies(format);

  it('every truncation decodes or is refused with a typed error', () => {
    let refused = 0;
    for (const body of bodies) {
      for (let n = 0; n < body.length; n++) if (attempt(body.subarray(0, n), format)) refused++;
    }
    expect(refused).toBeGreaterThan(0);
  });

  it('every single-byte mutation (bounded) decodes or is refused with a typed error', () => {
    let tried = 0;
    for (const body of bodies.slice(0, 3)) {
      const copy = new Uint8Array(body);
      for (let i = 0; i < copy.length && tried < 30_000; i++) {
        const was = copy[i]!;
        for (const v of [0x00, 0xff, 0x80, 0x7f, was ^ 0x01, was ^ 0x08, (was + 1) & 0xff, 0x22]) {
          copy[i] = v;
          attempt(copy, format);
          tried++;
        }
        copy[i] = was;
      }
    }
    expect(tried).toBeGreaterThan(5_000);
  });

  it('random bytes are refused with a typed error or decode', () => {
    const r = createRandom(42);
    for (let k = 0; k < 3_000; k++)
      attempt(
        Uint8Array.from({ length: r.int(64) }, () => r.int(256)),
        format,
      );
  });
});

describe('hostile protobuf specifics', () => {
  it('refuses wrong wire types for known fields and names the field', () => {
    const e = refusal(withMetric([0x08, 0x01]), 'protobuf'); // Metric.name as a varint
    expect(e.code).toBe('wrong_wire_type');
    expect(e.message).toContain('Metric field 1');
    expect(refusal(Uint8Array.from([0x09, 0, 0, 0, 0, 0, 0, 0, 0]), 'protobuf').code).toBe('wrong_wire_type');
    expect(refusal(Uint8Array.from([0x0b]), 'protobuf').code).toBe('bad_wire_type'); // a group
  });

  it('refuses lengths past the end, however large', () => {
    for (const n of [1, 1000, 2 ** 31, 2 ** 32 + 5, 2 ** 52]) {
      expect(refusal(Uint8Array.from([0x0a, ...varint(n)]), 'protobuf').code).toBe('truncated');
    }
    expect(
      refusal(Uint8Array.from([0x0a, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x01]), 'protobuf')
        .code,
    ).toBe('varint_too_long');
  });

  it('stops an element bomb at the budget, before decoding past it', () => {
    const points = 2_000_000; // 4 MB of empty data points
    const gauge = new Uint8Array(points * 2).fill(0).map((_, i) => (i % 2 === 0 ? 0x0a : 0));
    const metric = [0x2a, ...varint(gauge.length)];
    const inner = Uint8Array.from([...metric]);
    const scope = [0x12, ...varint(inner.length + gauge.length)];
    const rm = [0x12, ...varint(scope.length + inner.length + gauge.length)];
    const head = Uint8Array.from([
      0x0a,
      ...varint(rm.length + scope.length + inner.length + gauge.length),
      ...rm,
      ...scope,
      ...inner,
    ]);
    const body = new Uint8Array(head.length + gauge.length);
    body.set(head);
    body.set(gauge, head.length);
    const before = process.memoryUsage().heapUsed;
    const e = refusal(body, 'protobuf', 10_000);
    const grown = process.memoryUsage().heapUsed - before;
    expect(e.code).toBe('too_many_elements');
    // The 10,001st element is refused near byte 20,000 of the 4 MB: nothing past it was decoded.
    const at = Number(/byte (\d+)/.exec(e.message)?.[1]);
    expect(at).toBeLessThan(25_000);
    expect(grown).toBeLessThan(64 * 1024 * 1024);
  });

  it('counts packed bucket counts against the budget', () => {
    const counts = new Array<number>(50_000).fill(0);
    const buckets = len(2, counts);
    const e = refusal(withMetric(len(10, len(1, len(8, buckets)))), 'protobuf', 1_000);
    expect(e.code).toBe('too_many_elements');
  });

  it(`bounds AnyValue nesting at ${MAX_ANY_VALUE_DEPTH} levels, however deep the body`, () => {
    const nested = (levels: number) => {
      let v: number[] = len(1, [0x61]); // string_value "a"
      for (let i = 1; i < levels; i++) v = len(5, len(1, v)); // array_value { values: [v] }
      return Uint8Array.from(len(1, len(1, len(1, len(2, v))))); // request.resource.attributes[0].value
    };
    expect(attempt(nested(MAX_ANY_VALUE_DEPTH), 'protobuf')).toBeUndefined();
    expect(refusal(nested(MAX_ANY_VALUE_DEPTH + 1), 'protobuf').code).toBe('too_deep');
    expect(refusal(nested(2_000), 'protobuf').code).toBe('too_deep');
  });

  it('refuses invalid UTF-8, counts past 2^53-1 and unknown temporalities', () => {
    expect(refusal(withMetric([0x0a, 0x02, 0xc3, 0x28]), 'protobuf').code).toBe('invalid_utf8');
    const count = [0x21, 0, 0, 0, 0, 0, 0, 0x20, 0]; // 2^53
    const e = refusal(withMetric(len(9, len(1, count))), 'protobuf');
    expect(e.code).toBe('count_out_of_range');
    expect(e.message).toContain('HistogramDataPoint.count');
    expect(refusal(withMetric(len(7, [0x10, 0x03])), 'protobuf').code).toBe('invalid_enum');
    expect(refusal(Uint8Array.from([0x0a, 0x04, 0x1a, 0x02, 0xff, 0xfe]), 'protobuf').code).toBe('invalid_utf8');
  });

  it('refuses a packed fixed64 run whose length is not a multiple of 8', () => {
    expect(refusal(withMetric(len(9, len(1, len(6, [1, 2, 3])))), 'protobuf').code).toBe('bad_packed_length');
  });
});

describe('hostile JSON specifics', () => {
  it('stops an element bomb at the budget', () => {
    const body = `{"resourceMetrics":[{"scopeMetrics":[{"metrics":[{"gauge":{"dataPoints":[${'{},'.repeat(300_000)}{}]}}]}]}]}`;
    const e = refusal(utf8(body), 'json', 10_000);
    expect(e.code).toBe('too_many_elements');
    // 3 elements above the points, so the 10,001st element is point 9,997.
    expect(e.message).toContain(
      'limit reached at resourceMetrics[0].scopeMetrics[0].metrics[0].gauge.dataPoints[9997]',
    );
  });

  it(`bounds AnyValue nesting at ${MAX_ANY_VALUE_DEPTH} levels, however deep the body`, () => {
    const nested = (levels: number) =>
      `{"resourceMetrics":[{"resource":{"attributes":[{"key":"k","value":${'{"arrayValue":{"values":['.repeat(levels - 1)}{"stringValue":"a"}${']}}'.repeat(levels - 1)}}]}}]}`;
    expect(attempt(utf8(nested(MAX_ANY_VALUE_DEPTH)), 'json')).toBeUndefined();
    expect(refusal(utf8(nested(MAX_ANY_VALUE_DEPTH + 1)), 'json').code).toBe('too_deep');
    expect(refusal(utf8(nested(100_000)), 'json').code).toBe('too_deep');
    expect(refusal(utf8(`${'['.repeat(200_000)}${']'.repeat(200_000)}`), 'json').code).toBe('bad_json');
  });
});
