import { z } from 'zod';

/**
 * Durations as Prometheus and Alloy write them: `30ms`, `5s`, `1m`, `1h30m`, `1d`; a bare
 * number is milliseconds. Parsed to milliseconds.
 */
const UNIT_MS: Readonly<Record<string, number>> = {
  ms: 1,
  s: 1000,
  m: 60_000,
  h: 3_600_000,
  d: 86_400_000,
  w: 604_800_000,
};

export function parseDuration(text: string): number | undefined {
  const t = text.trim();
  if (t === '' || !/^(\d+(\.\d+)?(ms|s|m|h|d|w))+$/.test(t)) return undefined;
  let total = 0;
  for (const m of t.matchAll(/(\d+(?:\.\d+)?)(ms|s|m|h|d|w)/g)) {
    total += Number(m[1]) * (UNIT_MS[m[2] ?? ''] ?? Number.NaN);
  }
  return Number.isFinite(total) ? Math.round(total) : undefined;
}

/** A zod schema: a duration string or a number of milliseconds -> milliseconds. */
export const durationMs = z.union([z.number().nonnegative(), z.string()]).transform((value, ctx) => {
  if (typeof value === 'number') return value;
  const ms = parseDuration(value);
  if (ms === undefined) {
    ctx.addIssue({ code: 'custom', message: `${JSON.stringify(value)} is not a duration (e.g. 30ms, 5s, 1m, 1h30m)` });
    return z.NEVER;
  }
  return ms;
});
