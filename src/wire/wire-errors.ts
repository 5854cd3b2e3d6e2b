/**
 * Small constructors for the wire layer's errors that put the problem and the byte offset into
 * the message. The codes are listed with the error classes in src/errors.ts.
 */
import { LimitError, type LimitErrorCode, WireError, type WireErrorCode } from '../errors.js';

// The code lists live with the error classes; re-exported here for the wire layer's callers.
export { LIMIT_ERROR_CODES, WIRE_ERROR_CODES } from '../errors.js';
export type { LimitErrorCode, WireErrorCode } from '../errors.js';

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
