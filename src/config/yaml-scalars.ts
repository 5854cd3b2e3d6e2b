import { z } from 'zod';
import { BYTE_SIZE_HINT, parseByteSize } from '../byte-size.js';
import { parseGoDurationMs } from './duration.js';

/**
 * The scalars of the drop-in's YAML file. They follow Go's yaml.v2 where it is more lenient than
 * YAML 1.2: a number is accepted for a string (`default: 123`), yes/no/on/off for a bool.
 */

const GO_BOOL_TRUE = new Set(['y', 'Y', 'yes', 'Yes', 'YES', 'true', 'True', 'TRUE', 'on', 'On', 'ON']);
const GO_BOOL_FALSE = new Set(['n', 'N', 'no', 'No', 'NO', 'false', 'False', 'FALSE', 'off', 'Off', 'OFF']);

export const yamlString = z.union([z.string(), z.number()]).transform((v) => String(v));

export const yamlBool = z.union([z.boolean(), z.string()]).transform((v, ctx) => {
  if (typeof v === 'boolean') return v;
  if (GO_BOOL_TRUE.has(v)) return true;
  if (GO_BOOL_FALSE.has(v)) return false;
  ctx.addIssue({ code: 'custom', message: `expected a boolean (true or false), got ${JSON.stringify(v)}` });
  return z.NEVER;
});

/** A Go duration string (`10s`, `1m30s`, `500ms`), or the number 0. Result: milliseconds >= 0. */
export const yamlDuration = z.union([z.string(), z.number()]).transform((v, ctx) => {
  if (typeof v === 'number') {
    if (v === 0) return 0;
    ctx.addIssue({
      code: 'custom',
      message: `a bare number is ambiguous (Go reads nanoseconds): write a unit, e.g. "${v}s"`,
    });
    return z.NEVER;
  }
  const ms = parseGoDurationMs(v.trim());
  if (ms === undefined || ms < 0) {
    ctx.addIssue({ code: 'custom', message: `expected a duration like 10s, 1m30s or 500ms, got ${JSON.stringify(v)}` });
    return z.NEVER;
  }
  return ms;
});

export const yamlCount = z.number().int().nonnegative();

/** Bytes: an integer, or a string with a unit: `32MiB`, `64MB`, `512KiB`. */
export const yamlBytes = z.union([z.number().int().positive(), z.string()]).transform((v, ctx) => {
  if (typeof v === 'number') return v;
  const bytes = parseByteSize(v);
  if (bytes === undefined) {
    ctx.addIssue({ code: 'custom', message: `expected ${BYTE_SIZE_HINT}, got ${JSON.stringify(v)}` });
    return z.NEVER;
  }
  return bytes;
});
