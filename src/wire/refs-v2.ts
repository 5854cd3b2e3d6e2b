/**
 * Symbol-table checks for 2.0 requests: symbols[0] is "", labels_refs lists have even length,
 * every ref points into the table. Used by the decoder (with byte offsets) and by the
 * converters and encoder on hand-built requests. A failure is a WireError (HTTP 400).
 */
import type { Label, RequestV2 } from './types.js';
import { WireError } from '../errors.js';

function where(i: number, offsets?: readonly number[]): string {
  const at = offsets?.[i];
  return at === undefined ? `timeseries[${i}]` : `timeseries[${i}] at byte ${at}`;
}

function checkRefs(refs: readonly number[], n: number, what: string): void {
  if ((refs.length & 1) !== 0) {
    throw new WireError('odd_label_refs', `${what} has an odd number of labels_refs (${refs.length})`);
  }
  for (let k = 0; k < refs.length; k++) {
    const ref = refs[k]!;
    if (!(ref >= 0 && ref < n)) {
      throw new WireError(
        'symbol_ref_out_of_range',
        `${what} labels_refs[${k}] = ${ref} is out of range (${n} symbols)`,
      );
    }
  }
}

/** Throws WireError unless every ref of `req` is valid; `offsets` are series byte offsets for messages. */
export function checkRequestV2Refs(req: RequestV2, offsets?: readonly number[]): void {
  const n = req.symbols.length;
  if (n > 0 && req.symbols[0] !== '') {
    throw new WireError(
      'first_symbol_not_empty',
      `symbols[0] must be the empty string, got ${JSON.stringify(req.symbols[0]!.slice(0, 64))}`,
    );
  }
  const series = req.timeseries;
  for (let i = 0; i < series.length; i++) {
    const s = series[i]!;
    checkRefs(s.labelsRefs, n, where(i, offsets));
    for (let e = 0; e < s.exemplars.length; e++)
      checkRefs(s.exemplars[e]!.labelsRefs, n, `${where(i, offsets)} exemplars[${e}]`);
    const { helpRef, unitRef } = s.metadata;
    if (helpRef !== 0 && !(helpRef < n)) {
      throw new WireError(
        'symbol_ref_out_of_range',
        `${where(i, offsets)} metadata help_ref ${helpRef} is out of range (${n} symbols)`,
      );
    }
    if (unitRef !== 0 && !(unitRef < n)) {
      throw new WireError(
        'symbol_ref_out_of_range',
        `${where(i, offsets)} metadata unit_ref ${unitRef} is out of range (${n} symbols)`,
      );
    }
  }
}

/** A 2.0 symbol table under construction: "" first, each string once, in first-use order. */
export interface SymbolTable {
  readonly symbols: string[];
  ref(s: string): number;
  /** name, value refs of each label, in order. */
  refs(labels: readonly Label[]): number[];
}

export function createSymbolTable(): SymbolTable {
  const symbols: string[] = [''];
  const index = new Map<string, number>([['', 0]]);
  const ref = (s: string): number => {
    let r = index.get(s);
    if (r === undefined) {
      r = symbols.length;
      symbols.push(s);
      index.set(s, r);
    }
    return r;
  };
  const refs = (labels: readonly Label[]): number[] => {
    const out: number[] = [];
    for (const l of labels) out.push(ref(l.name), ref(l.value));
    return out;
  };
  return { symbols, ref, refs };
}
