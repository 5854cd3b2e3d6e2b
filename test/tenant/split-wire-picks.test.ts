import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { compileTenantOptions, normalizeTenantOptions, type TenantOptionsInput } from '../../src/tenant/options.js';
import { splitWire, tenantPickRequest, type WireSplitResult } from '../../src/tenant/split-wire.js';
import { picksFor } from '../../src/tenant/wire-walk.js';
import { encodeWriteRequest } from '../../src/wire/encode-v1.js';
import { PICK_RANK, PICK_STRIDE, scanWriteRequest } from '../../src/wire/scan.js';
import type { Label, WriteRequest } from '../../src/wire/types.js';
import { meta, request, series } from './fixtures.js';

/** The scanner's picks and the splitter's own walk must agree: same split, byte for byte. */

function compile(input: TenantOptionsInput, metadata: boolean) {
  return compileTenantOptions(normalizeTenantOptions(input, { metadata }));
}

function summary(split: () => WireSplitResult) {
  let r: WireSplitResult;
  try {
    r = split();
  } catch (e) {
    return { error: (e as Error).message };
  }
  return {
    passthrough: r.passthrough,
    metadataDropped: r.metadataDropped,
    labelsRemoved: r.labelsRemoved,
    batches: r.batches.map((b) => ({ ...b, body: Buffer.from(b.body).toString('hex') })),
  };
}

function splitBoth(req: WriteRequest, input: TenantOptionsInput, metadata: boolean) {
  const options = compile(input, metadata);
  const body = encodeWriteRequest(req);
  const picked = scanWriteRequest(body, {}, tenantPickRequest(options));
  const plain = scanWriteRequest(body);
  return {
    options,
    picked,
    plain,
    withPicks: () => splitWire({ scan: picked, options }),
    walked: () => splitWire({ scan: plain, options }),
  };
}

/** Rows as the splitter reads them: ranges only where a label was found. */
function normalized(rows: Uint32Array): number[][] {
  const out: number[][] = [];
  for (let o = 0; o < rows.length; o += PICK_STRIDE) {
    const row = [...rows.subarray(o, o + PICK_STRIDE)];
    if (row[PICK_RANK] === 0) row.fill(0, 1, 5);
    out.push(row);
  }
  return out;
}

const labelValue = fc.constantFrom('', 'a', 'b', 'team-x', 'é', '日本');
const labelName = fc.constantFrom('__name__', '__tenant__', 'team', 'job', 'tenant', 'tean');
const arbLabels = fc
  .array(fc.tuple(labelName, labelValue), { maxLength: 8 })
  .map((ls): Label[] => ls.map(([name, value]) => ({ name, value })));
const arbOptions = fc.record({
  labels: fc.shuffledSubarray(['__tenant__', 'team', 'tenant'], { minLength: 1 }),
  remove: fc.boolean(),
  metadata: fc.boolean(),
});

describe('wire split with scanner picks', () => {
  it('equals the walking split on random series (duplicates, empty values, priority)', () => {
    fc.assert(
      fc.property(
        fc.array(arbLabels, { maxLength: 20 }),
        arbOptions,
        fc.array(fc.constantFrom('up', 'a', 'zzz'), { maxLength: 3 }),
        (sets, o, mds) => {
          const req = request(
            sets.map((labels, i) => ({
              ...series({}, { samples: i % 3, exemplar: i % 2 === 0, histogram: i % 4 === 1 }),
              labels,
            })),
            mds.map(meta),
          );
          const input: TenantOptionsInput = { label_list: o.labels, label_remove: o.remove, default: 'd' };
          const r = splitBoth(req, input, o.metadata);
          expect(normalized(r.picked.picks!.rows)).toEqual(
            normalized(picksFor(r.plain, r.options.labelBytes, o.metadata)),
          );
          expect(summary(r.withPicks)).toEqual(summary(r.walked));
        },
      ),
      { numRuns: 300 },
    );
  });

  it('keeps label_remove order and metadata routing by family', () => {
    const req = request(
      [
        series({ __name__: 'up', team: '', __tenant__: 'a', job: 'x' }, { stale: true }),
        series({ __name__: 'rpc', team: 'c', __tenant__: 'b' }, { histogram: true }),
        series({ job: 'z' }),
      ],
      [meta('up'), meta('rpc'), meta('none')],
    );
    const r = splitBoth(req, { label_list: ['team', '__tenant__'], label_remove: true, default: 'd' }, true);
    expect(r.withPicks().batches.map((b) => b.tenant)).toEqual(['a', 'c', 'd']);
    expect(r.withPicks().labelsRemoved).toBe(2);
    expect(summary(r.withPicks)).toEqual(summary(r.walked));
  });

  it('ignores picks made for other names and walks instead', () => {
    const req = request([series({ __tenant__: 'a', team: 'b' })]);
    const body = encodeWriteRequest(req);
    const other = compile({ label: 'team' }, false);
    const options = compile({}, false);
    const scan = scanWriteRequest(body, {}, tenantPickRequest(other));
    expect(splitWire({ scan, options }).batches.map((b) => b.tenant)).toEqual(['a']);
  });

  it('rejects exactly what the plain scan rejects (mutated bodies)', () => {
    const options = compile({ label_list: ['team', '__tenant__'] }, true);
    const body = encodeWriteRequest(
      request(
        [series({ __name__: 'up', __tenant__: 'é', team: 'x' }, { samples: 2, exemplar: true }), series({ job: 'y' })],
        [meta('up')],
      ),
    );
    const outcome = (b: Uint8Array, pick: boolean): string => {
      try {
        const s = pick
          ? scanWriteRequest(b, { maxElements: 3 }, tenantPickRequest(options))
          : scanWriteRequest(b, { maxElements: 3 });
        return JSON.stringify([s.seriesCount, [...s.seriesEnd], [...s.metadataEnd], s.otherFieldCount]);
      } catch (e) {
        return `${(e as Error).constructor.name}: ${(e as Error).message}`;
      }
    };
    fc.assert(
      fc.property(
        fc.array(fc.tuple(fc.nat(body.length - 1), fc.nat(255)), { minLength: 1, maxLength: 4 }),
        fc.nat(body.length),
        (edits, cut) => {
          const b = body.slice(0, cut);
          for (const [at, v] of edits) if (at < b.length) b[at] = v;
          expect(outcome(b, true)).toBe(outcome(b, false));
        },
      ),
      { numRuns: 500 },
    );
  });
});
