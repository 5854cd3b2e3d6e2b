/**
 * Native histogram decoding, shared by 1.0 (`prometheus.Histogram`) and 2.0
 * (`io.prometheus.write.v2.Histogram`, which adds start_timestamp 17). Integer counts and deltas
 * are bigint; float buckets keep their raw bits; a NaN sum keeps its bits in `sumBits`.
 */
import type { BucketSpan, Histogram, HistogramV2, ResetHint } from './types.js';
import type { ProtoReader } from './reader.js';
import { DoubleRuns, readSint64s, readSpan, skipField } from './decode-fields.js';
import { wireError, wrongWireTypeError } from './wire-errors.js';

const V1_FIELDS = 0x1fffe; // fields 1..16
const V2_FIELDS = 0x3fffe; // fields 1..17

interface MutableHistogram {
  countInt?: bigint;
  countFloat?: number;
  sum: number;
  sumBits?: bigint;
  schema: number;
  zeroThreshold: number;
  zeroCountInt?: bigint;
  zeroCountFloat?: number;
  negativeSpans: BucketSpan[];
  negativeDeltas: bigint[];
  negativeCounts: Float64Array;
  positiveSpans: BucketSpan[];
  positiveDeltas: bigint[];
  positiveCounts: Float64Array;
  resetHint: ResetHint;
  timestamp: number;
  customValues: Float64Array;
  startTimestamp?: number;
}

export function readHistogram(r: ProtoReader, end: number): Histogram {
  return readAny(r, end, false);
}

export function readHistogramV2(r: ProtoReader, end: number): HistogramV2 {
  return readAny(r, end, true) as HistogramV2;
}

function readAny(r: ProtoReader, end: number, v2: boolean): Histogram {
  const message = v2 ? 'Histogram (2.0)' : 'Histogram';
  const h: MutableHistogram = {
    sum: 0,
    schema: 0,
    zeroThreshold: 0,
    negativeSpans: [],
    negativeDeltas: [],
    negativeCounts: EMPTY,
    positiveSpans: [],
    positiveDeltas: [],
    positiveCounts: EMPTY,
    resetHint: 0,
    timestamp: 0,
    customValues: EMPTY,
  };
  let negCounts: DoubleRuns | undefined;
  let posCounts: DoubleRuns | undefined;
  let custom: DoubleRuns | undefined;
  let startTimestamp = 0;
  while (r.pos < end) {
    const at = r.pos;
    const t = r.tag(end);
    switch (t >>> 3) {
      case 1:
        expect(t, 0, message, at);
        h.countInt = r.uint64Big(end);
        h.countFloat = undefined;
        break;
      case 2:
        expect(t, 1, message, at);
        h.countFloat = r.double(end);
        h.countInt = undefined;
        break;
      case 3:
        expect(t, 1, message, at);
        h.sum = r.double(end);
        h.sumBits = Number.isNaN(h.sum) ? r.rawBits(r.pos - 8) : undefined;
        break;
      case 4:
        expect(t, 0, message, at);
        h.schema = r.sint32(end);
        break;
      case 5:
        expect(t, 1, message, at);
        h.zeroThreshold = r.double(end);
        break;
      case 6:
        expect(t, 0, message, at);
        h.zeroCountInt = r.uint64Big(end);
        h.zeroCountFloat = undefined;
        break;
      case 7:
        expect(t, 1, message, at);
        h.zeroCountFloat = r.double(end);
        h.zeroCountInt = undefined;
        break;
      case 8:
      case 11: {
        expect(t, 2, message, at);
        const stop = r.lengthEnd(end);
        r.spend();
        (t >>> 3 === 8 ? h.negativeSpans : h.positiveSpans).push(readSpan(r, stop));
        break;
      }
      case 9:
        readSint64s(r, t, end, h.negativeDeltas, message);
        break;
      case 12:
        readSint64s(r, t, end, h.positiveDeltas, message);
        break;
      case 10:
        (negCounts ??= new DoubleRuns()).read(r, t, end, message);
        break;
      case 13:
        (posCounts ??= new DoubleRuns()).read(r, t, end, message);
        break;
      case 16:
        (custom ??= new DoubleRuns()).read(r, t, end, message);
        break;
      case 14: {
        expect(t, 0, message, at);
        const hint = r.int32(end);
        if (hint < 0 || hint > 3) throw wireError('invalid_enum', `${message} reset_hint ${hint} is not 0..3`, at);
        h.resetHint = hint as ResetHint;
        break;
      }
      case 15:
        expect(t, 0, message, at);
        h.timestamp = r.int64(end);
        break;
      case 17:
        if (v2) {
          expect(t, 0, message, at);
          startTimestamp = r.int64(end);
          break;
        }
        skipField(r, t, end, V1_FIELDS, message);
        break;
      default:
        skipField(r, t, end, v2 ? V2_FIELDS : V1_FIELDS, message);
    }
  }
  if (negCounts) h.negativeCounts = negCounts.finish(r.buf);
  if (posCounts) h.positiveCounts = posCounts.finish(r.buf);
  if (custom) h.customValues = custom.finish(r.buf);
  if (h.countInt === undefined) delete h.countInt;
  if (h.countFloat === undefined) delete h.countFloat;
  if (h.zeroCountInt === undefined) delete h.zeroCountInt;
  if (h.zeroCountFloat === undefined) delete h.zeroCountFloat;
  if (h.sumBits === undefined) delete h.sumBits;
  if (v2) h.startTimestamp = startTimestamp;
  return h;
}

const EMPTY = new Float64Array(0);

function expect(tag: number, wireType: number, message: string, at: number): void {
  if ((tag & 7) !== wireType) throw wrongWireTypeError(message, tag >>> 3, tag & 7, at);
}
