/**
 * Go's duration syntax (`time.ParseDuration`): an optional sign, then one or more decimal
 * numbers each followed by a unit: ns, us (or µs / μs), ms, s, m, h. `0` alone is allowed.
 * Examples: `10s`, `1m30s`, `500ms`, `1.5h`, `-2s`. Results are milliseconds (fractional for
 * sub-millisecond units).
 */

const UNIT_MS: Readonly<Record<string, number>> = {
  ns: 1e-6,
  us: 1e-3,
  µs: 1e-3, // U+00B5 micro sign
  μs: 1e-3, // U+03BC Greek mu
  ms: 1,
  s: 1000,
  m: 60_000,
  h: 3_600_000,
};

const PART = /^(\d+\.?\d*|\.\d+)(ns|us|µs|μs|ms|s|m|h)/;

/** Milliseconds, or `undefined` when `text` is not a Go duration. */
export function parseGoDurationMs(text: string): number | undefined {
  let s = text;
  let sign = 1;
  if (s.startsWith('-') || s.startsWith('+')) {
    if (s[0] === '-') sign = -1;
    s = s.slice(1);
  }
  if (s === '0') return 0;
  if (s === '') return undefined;
  let total = 0;
  while (s.length > 0) {
    const m = PART.exec(s);
    if (m === null) return undefined;
    const [whole, num, unit] = m;
    if (num === undefined || unit === undefined) return undefined;
    const factor = UNIT_MS[unit];
    if (factor === undefined) return undefined;
    total += Number(num) * factor;
    s = s.slice(whole.length);
  }
  return sign * total;
}

/** Formats milliseconds back into Go syntax, e.g. 90000 -> `1m30s`, 500 -> `500ms`. */
export function formatGoDuration(ms: number): string {
  if (ms === 0) return '0s';
  const sign = ms < 0 ? '-' : '';
  let rest = Math.abs(ms);
  if (rest < 1000) return `${sign}${rest}ms`;
  let out = '';
  const h = Math.floor(rest / 3_600_000);
  if (h > 0) out += `${h}h`;
  rest -= h * 3_600_000;
  const m = Math.floor(rest / 60_000);
  if (m > 0 || h > 0) out += `${m}m`;
  rest -= m * 60_000;
  out += `${Math.round(rest * 1000) / 1_000_000}s`;
  return sign + out;
}
