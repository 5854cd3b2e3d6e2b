import { z } from 'zod';
import { BYTE_SIZE_HINT, parseByteSize } from '../../byte-size.js';

/**
 * A zod schema for sizes in pipeline arguments: a whole number of bytes, or a size string
 * (`1GiB`, `512MiB`, `64MB`) read like the drop-in's file reads it. Parsed to bytes.
 */
export const sizeBytes = z.union([z.number().int().positive(), z.string()]).transform((value, ctx) => {
  if (typeof value === 'number') return value;
  const bytes = parseByteSize(value);
  if (bytes === undefined) {
    ctx.addIssue({ code: 'custom', message: `${JSON.stringify(value)} is not ${BYTE_SIZE_HINT}` });
    return z.NEVER;
  }
  return bytes;
});
