/**
 * The stable codes of every error the wire layer raises, and small constructors that put the
 * problem and the byte offset into the message. Codes are part of the public contract: callers
 * map them to HTTP statuses and metrics; never rename one.
 */
import { LimitError, WireError } from '../errors.js';

export const WIRE_ERROR_CODES = [
  'truncated', // a varint, fixed64 or length-delimited field runs past the end of its message
  'varint_too_long', // a varint longer than 10 bytes
  'bad_wire_type', // wire types 3, 4 (groups), 6, 7 or field number 0
  'wrong_wire_type', // a known field with a wire type its schema does not allow
  'bad_packed_length', // a packed fixed64 run whose length is not a multiple of 8
  'invalid_utf8', // a string field that is not valid UTF-8
  'int64_out_of_range', // a timestamp outside ±(2^53-1)
  'invalid_enum', // metric type outside 0..7, reset hint outside 0..3
  'symbol_ref_out_of_range', // a 2.0 ref past the symbol table
  'odd_label_refs', // a 2.0 labels_refs list of odd length
  'first_symbol_not_empty', // a 2.0 symbol table whose symbols[0] is not ""
  'snappy_framed', // the snappy framing format, not the block format remote-write uses
  'snappy_corrupt', // an invalid snappy block
  'snappy_truncated', // a snappy block that ends early or decodes to fewer bytes than declared
  'unknown_format', // inspect: neither a 1.0 nor a 2.0 body
] as const;

export type WireErrorCode = (typeof WIRE_ERROR_CODES)[number];

export const LIMIT_ERROR_CODES = ['decoded_too_large', 'too_many_elements'] as const;
export type LimitErrorCode = (typeof LIMIT_ERROR_CODES)[number];

export function wireError(code: WireErrorCode, problem: string, offset: number): WireError {
  return new WireError(code, `${problem} at byte ${offset}`);
}

export function truncatedError(what: string, offset: number, end: number): WireError {
  return new WireError('truncated', `${what} at byte ${offset} runs past the end of its message (byte ${end})`);
}

export function limitError(code: LimitErrorCode, message: string): LimitError {
  return new LimitError(code, message);
}

const WIRE_TYPE_NAMES = [
  'varint',
  'fixed64',
  'length-delimited',
  'start-group',
  'end-group',
  'fixed32',
  'reserved 6',
  'reserved 7',
];

export function wireTypeName(wireType: number): string {
  return WIRE_TYPE_NAMES[wireType & 7] ?? String(wireType);
}

export function badWireTypeError(field: number, wireType: number, offset: number): WireError {
  if (field === 0) return wireError('bad_wire_type', 'field number 0 is invalid', offset);
  return wireError(
    'bad_wire_type',
    `field ${field} has unsupported wire type ${wireType} (${wireTypeName(wireType)})`,
    offset,
  );
}

export function wrongWireTypeError(message: string, field: number, wireType: number, offset: number): WireError {
  return wireError(
    'wrong_wire_type',
    `${message} field ${field} has wire type ${wireType} (${wireTypeName(wireType)}), which its schema does not allow`,
    offset,
  );
}
