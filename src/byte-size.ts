/**
 * Sizes as the config files write them: a number of bytes, or a number with a unit
 * (`32MiB`, `64MB`, `512KiB`, `1.5GiB`; units are case-insensitive). Shared by the drop-in's
 * file and the pipeline arguments, so that both read a size the same way.
 */

const SIZE_UNITS: Readonly<Record<string, number>> = {
  b: 1,
  kb: 1e3,
  mb: 1e6,
  gb: 1e9,
  kib: 1024,
  mib: 1024 ** 2,
  gib: 1024 ** 3,
};

/** The hint every refusal of a size shows. */
export const BYTE_SIZE_HINT = 'a size like 33554432, 32MiB or 64MB';

/** Whole bytes (> 0), or undefined when `text` is not a size. */
export function parseByteSize(text: string): number | undefined {
  const m = /^\s*(\d+(?:\.\d+)?)\s*([a-zA-Z]*)\s*$/.exec(text);
  if (!m) return undefined;
  const factor = SIZE_UNITS[(m[2] || 'b').toLowerCase()];
  if (factor === undefined) return undefined;
  const bytes = Math.floor(Number(m[1]) * factor);
  return bytes > 0 && Number.isSafeInteger(bytes) ? bytes : undefined;
}
