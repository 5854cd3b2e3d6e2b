/**
 * What `tenantwire inspect` was given: snappy block or raw protobuf, remote-write 1.0 or 2.0.
 * Snappy is tried first (a protobuf body almost never decompresses to exactly its declared
 * length); the version comes from the top-level field numbers (2.0 uses 4 and 5, 1.0 uses 1
 * and 3; each reserves the other's numbers so a wrong guess decodes as empty).
 */
import { isTenantwireError } from '../errors.js';
import { snappyDecompress } from '../wire/snappy.js';
import { isSnappyFramed } from '../wire/snappy-preamble.js';
import { createReader } from '../wire/reader.js';
import { WireError } from '../errors.js';
import type { ProtocolVersion } from '../wire/types.js';

export interface DetectedBody {
  readonly encoding: 'snappy' | 'raw';
  readonly raw: Uint8Array;
  readonly version: ProtocolVersion;
}

/** Top-level field numbers present, or null when the bytes are not a well-framed message. */
function topLevelFields(raw: Uint8Array): Set<number> | null {
  const r = createReader(raw);
  const seen = new Set<number>();
  try {
    while (r.pos < raw.length) {
      const t = r.tag(raw.length);
      seen.add(t >>> 3);
      r.skip(t & 7, raw.length);
    }
  } catch (e) {
    if (isTenantwireError(e)) return null;
    throw e;
  }
  return seen;
}

function versionOf(fields: Set<number>): ProtocolVersion | null {
  const v1 = fields.has(1) || fields.has(3);
  const v2 = fields.has(4) || fields.has(5);
  if (v2 && !v1) return '2.0';
  if (v1 && !v2) return '1.0';
  if (!v1 && !v2) return '1.0';
  return null;
}

/** Detects encoding and version; throws WireError when the input is neither. */
export function detectBody(input: Uint8Array): DetectedBody {
  if (isSnappyFramed(input)) {
    throw new WireError(
      'snappy_framed',
      'input uses the snappy framing format; remote-write bodies are snappy block format',
    );
  }
  let snappyError: unknown;
  try {
    const raw = snappyDecompress(input);
    const fields = topLevelFields(raw);
    const version = fields && versionOf(fields);
    if (version) return { encoding: 'snappy', raw, version };
  } catch (e) {
    if (!isTenantwireError(e)) throw e;
    snappyError = e;
  }
  const fields = topLevelFields(input);
  const version = fields && versionOf(fields);
  if (version) return { encoding: 'raw', raw: input, version };
  const why = snappyError instanceof Error ? ` (as snappy: ${snappyError.message})` : '';
  throw new WireError(
    'unknown_format',
    `input is neither a snappy-compressed nor a raw remote-write 1.0/2.0 protobuf body${why}`,
  );
}
