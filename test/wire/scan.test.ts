import { describe, expect, it } from 'vitest';
import {
  decodeUtf8,
  fieldHeaderSize,
  findLabelValue,
  forEachLabel,
  scanWriteRequest,
  writeFieldHeader,
} from '../../src/wire/scan.js';
import { encodeWriteRequest } from '../../src/wire/encode-v1.js';
import { generateRequest } from '../fixtures/wire/generate.js';
import { canonical, PbWriteRequest } from './helpers/oracle.js';

const enc = new TextEncoder();
const PbTimeSeries = PbWriteRequest.lookupType('prometheus.TimeSeries');
const TO = { longs: String, enums: Number, defaults: true, arrays: true } as const;

describe('scanWriteRequest', () => {
  const req = generateRequest({ seriesCount: 500, rich: true });
  const body = encodeWriteRequest(req);
  const scan = scanWriteRequest(body);

  it('locates every series and metadata entry where protobufjs finds them', () => {
    const pb = PbWriteRequest.toObject(PbWriteRequest.decode(body), TO) as {
      timeseries: unknown[];
      metadata: unknown[];
    };
    expect(scan.seriesCount).toBe(pb.timeseries.length);
    expect(scan.metadataCount).toBe(pb.metadata.length);
    expect(scan.otherFieldCount).toBe(0);
    for (let i = 0; i < scan.seriesCount; i++) {
      expect(body[scan.seriesFieldStart[i]!]).toBe(0x0a);
      const one = PbTimeSeries.decode(body.subarray(scan.seriesMsgStart[i]!, scan.seriesEnd[i]!));
      expect(canonical(PbTimeSeries.toObject(one, TO))).toBe(canonical(pb.timeseries[i]));
    }
    expect(scan.metadataEnd[scan.metadataCount - 1]).toBe(body.length);
  });

  it('visits labels in wire order without decoding', () => {
    const names: string[] = [];
    forEachLabel(body, scan.seriesMsgStart[0]!, scan.seriesEnd[0]!, (ns, ne, vs, ve, fs, fe) => {
      names.push(`${decodeUtf8(body, ns, ne)}=${decodeUtf8(body, vs, ve)}`);
      expect(body[fs]).toBe(0x0a);
      expect(fe).toBeGreaterThan(ve - 1);
    });
    expect(names).toEqual(req.timeseries[0]!.labels.map((l) => `${l.name}=${l.value}`));
    let seen = 0;
    forEachLabel(body, scan.seriesMsgStart[0]!, scan.seriesEnd[0]!, () => {
      seen++;
      return false;
    });
    expect(seen).toBe(1);
  });

  it('findLabelValue honours the priority order and skips empty values', () => {
    const body2 = encodeWriteRequest({
      timeseries: [
        {
          labels: [
            { name: 'a', value: 'A' },
            { name: 'b', value: 'B' },
            { name: 'c', value: '' },
          ],
          samples: [],
          exemplars: [],
          histograms: [],
        },
      ],
      metadata: [],
    });
    const s = scanWriteRequest(body2);
    const names = (...n: string[]) => n.map((x) => enc.encode(x));
    const f = (n: Uint8Array[]) => {
      const r = findLabelValue(s, 0, n);
      return r && `${r.nameIndex}:${decodeUtf8(body2, r.valueStart, r.valueEnd)}`;
    };
    expect(f(names('b', 'a'))).toBe('0:B');
    expect(f(names('a', 'b'))).toBe('0:A');
    expect(f(names('c', 'zz', 'b'))).toBe('2:B');
    expect(f(names('c', 'zz'))).toBeNull();
    expect(findLabelValue(s, 5, names('a'))).toBeNull();
  });

  it('splicing series ranges under new headers gives a body protobufjs decodes to the same series', () => {
    const pick = [3, 1, 4, 1, 5, 9, 2, 6].map((i) => i % scan.seriesCount);
    let size = 0;
    for (const i of pick) {
      const len = scan.seriesEnd[i]! - scan.seriesMsgStart[i]!;
      size += fieldHeaderSize(1, len) + len;
    }
    const out = new Uint8Array(size);
    let pos = 0;
    for (const i of pick) {
      const len = scan.seriesEnd[i]! - scan.seriesMsgStart[i]!;
      pos = writeFieldHeader(out, pos, 1, len);
      out.set(body.subarray(scan.seriesMsgStart[i]!, scan.seriesEnd[i]!), pos);
      pos += len;
    }
    expect(pos).toBe(size);
    const spliced = PbWriteRequest.toObject(PbWriteRequest.decode(out), TO) as { timeseries: unknown[] };
    const direct = encodeWriteRequest({ timeseries: pick.map((i) => req.timeseries[i]!), metadata: [] });
    expect(Buffer.from(out).equals(Buffer.from(direct))).toBe(true);
    expect(canonical(spliced.timeseries)).toBe(
      canonical(pick.map((i) => PbWriteRequest.toObject(PbWriteRequest.decode(body), TO).timeseries[i])),
    );
  });

  it('counts top-level fields it does not know (e.g. Mimir 1000)', () => {
    const field1000 = Uint8Array.from([0xc2, 0x3e, 0x01, 0x41, ...body]);
    expect(scanWriteRequest(field1000).otherFieldCount).toBe(1);
  });

  it('rejects invalid UTF-8 in label names and values', () => {
    const bad = Uint8Array.from([0x0a, 0x07, 0x0a, 0x05, 0x0a, 0x01, 0x61, 0x12, 0x00]);
    expect(scanWriteRequest(bad).seriesCount).toBe(1);
    bad[6] = 0xff;
    expect(() => scanWriteRequest(bad)).toThrowError(expect.objectContaining({ code: 'invalid_utf8' }));
    expect(() => decodeUtf8(bad, 6, 7)).toThrowError(expect.objectContaining({ code: 'invalid_utf8' }));
    const badValue = Uint8Array.from([0x0a, 0x08, 0x0a, 0x06, 0x0a, 0x01, 0x61, 0x12, 0x01, 0xc0]);
    expect(() => scanWriteRequest(badValue)).toThrowError(expect.objectContaining({ code: 'invalid_utf8' }));
  });
});
