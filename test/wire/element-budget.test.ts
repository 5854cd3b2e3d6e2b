/**
 * Bodies built to amplify: a few bytes per element that would each become an object (or a
 * bigint, or a typed-array slot). Every decoder and the scanner stop at the element budget with
 * a LimitError naming the limit, instead of growing to gigabytes.
 */
import { describe, expect, it } from 'vitest';
import { LimitError } from '../../src/errors.js';
import { decodeWriteRequest } from '../../src/wire/decode-v1.js';
import { decodeRequestV2 } from '../../src/wire/decode-v2.js';
import { scanWriteRequest } from '../../src/wire/scan.js';
import { decodePushRequest } from '../../src/loki/decode-push.js';

function varint(n: number): number[] {
  const out: number[] = [];
  while (n >= 0x80) {
    out.push((n & 0x7f) | 0x80);
    n >>>= 7;
  }
  out.push(n);
  return out;
}

/** `count` copies of `unit`, optionally wrapped in one length-delimited field `wrap`. */
function repeated(unit: number[], count: number, wrap?: number): Uint8Array {
  const inner = new Uint8Array(unit.length * count);
  for (let i = 0; i < count; i++) inner.set(unit, i * unit.length);
  if (wrap === undefined) return inner;
  const head = [wrap, ...varint(inner.length)];
  const out = new Uint8Array(head.length + inner.length);
  out.set(head);
  out.set(inner, head.length);
  return out;
}

const limits = { maxElements: 10_000 };
const expectBudget = (f: () => unknown) => {
  let err: unknown;
  try {
    f();
  } catch (e) {
    err = e;
  }
  expect(err).toBeInstanceOf(LimitError);
  expect((err as LimitError).code).toBe('too_many_elements');
  expect((err as Error).message).toMatch(/more than 10000/);
};

describe('the element budget', () => {
  it('stops a body of empty series in the v1 decoder and the scanner', () => {
    const body = repeated([0x0a, 0x00], 20_000);
    expectBudget(() => decodeWriteRequest(body, limits));
    expectBudget(() => scanWriteRequest(body, limits));
  });

  it('stops one series with a flood of empty labels, samples or exemplars', () => {
    for (const unit of [
      [0x0a, 0x00],
      [0x12, 0x00],
      [0x1a, 0x00],
    ]) {
      expectBudget(() => decodeWriteRequest(repeated(unit, 20_000, 0x0a), limits));
    }
  });

  it('stops packed histogram deltas and bucket spans', () => {
    // TimeSeries { histograms: [ Histogram { positive_deltas: packed 20,000 zeros } ] }
    const deltas = repeated([0x00], 20_000, 0x62);
    const hist = [0x22, ...varint(deltas.length), ...deltas];
    expectBudget(() => decodeWriteRequest(new Uint8Array([0x0a, ...varint(hist.length), ...hist]), limits));
    const spans = repeated([0x5a, 0x00], 20_000);
    const hist2 = [0x22, ...varint(spans.length), ...spans];
    expectBudget(() => decodeWriteRequest(new Uint8Array([0x0a, ...varint(hist2.length), ...hist2]), limits));
  });

  it('stops 2.0 symbol floods and label-ref floods', () => {
    expectBudget(() => decodeRequestV2(repeated([0x22, 0x00], 20_000), limits));
    const refs = repeated([0x00], 20_000, 0x0a);
    expectBudget(() => decodeRequestV2(new Uint8Array([0x22, 0x00, 0x2a, ...varint(refs.length), ...refs]), limits));
  });

  it('stops Loki pushes of empty streams', () => {
    expect(() => decodePushRequest(repeated([0x0a, 0x00], 20_000), 10_000)).toThrow(/more than 10000/);
  });

  it('lets an ordinary request through with the default budget', () => {
    const body = repeated([0x0a, 0x04, 0x0a, 0x02, 0x0a, 0x00], 5_000);
    expect(decodeWriteRequest(body).timeseries).toHaveLength(5_000);
    expect(scanWriteRequest(body).seriesCount).toBe(5_000);
  });
});
