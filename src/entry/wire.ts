// `tenantwire/wire`: the remote-write 1.0 and 2.0 codecs, snappy and the message types.
// The byte-level helpers (field headers, the scanner, UTF-8) stay private to the package.

export type * from '../wire/types.js';
export { DEFAULT_WIRE_LIMITS, STALE_NAN_BITS } from '../wire/types.js';
export { WireError, LimitError } from '../errors.js';
export { decodeWriteRequest } from '../wire/decode-v1.js';
export { encodeWriteRequest } from '../wire/encode-v1.js';
export { decodeRequestV2 } from '../wire/decode-v2.js';
export { encodeRequestV2 } from '../wire/encode-v2.js';
export { v1ToV2, v2ToV1 } from '../wire/convert.js';
export { snappyCompress, snappyDecompress, activeSnappyBackend, selectSnappyBackend } from '../wire/snappy.js';
export type { SnappyBackendName } from '../wire/snappy.js';
export { isSnappyFramed } from '../wire/snappy-preamble.js';
// The codes the decoders and snappy raise, as typed unions to switch on.
export { WIRE_ERROR_CODES, LIMIT_ERROR_CODES } from '../wire/wire-errors.js';
export type { WireErrorCode, LimitErrorCode } from '../wire/wire-errors.js';
// The HTTP edge's codes for reading a body: `WireError['code']` and `LimitError['code']` are the full unions.
export type { BodyWireErrorCode, BodyLimitErrorCode } from '../errors.js';
