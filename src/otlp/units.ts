/**
 * OTLP (UCUM) units to Prometheus unit words, as prometheus/otlptranslator's unit_namer.go and
 * metric_namer.go (`unitMap`, `perUnitMap`, `buildUnitSuffixes`, `cleanUpUnit`) define them.
 */

/** Main units; an unknown unit is kept as written (then cleaned when escaping). */
const UNIT_WORDS: ReadonlyMap<string, string> = new Map([
  // time
  ['d', 'days'],
  ['h', 'hours'],
  ['min', 'minutes'],
  ['s', 'seconds'],
  ['ms', 'milliseconds'],
  ['us', 'microseconds'],
  ['ns', 'nanoseconds'],
  // bytes
  ['By', 'bytes'],
  ['KiBy', 'kibibytes'],
  ['MiBy', 'mebibytes'],
  ['GiBy', 'gibibytes'],
  ['TiBy', 'tibibytes'],
  ['KBy', 'kilobytes'],
  ['MBy', 'megabytes'],
  ['GBy', 'gigabytes'],
  ['TBy', 'terabytes'],
  // SI
  ['m', 'meters'],
  ['V', 'volts'],
  ['A', 'amperes'],
  ['J', 'joules'],
  ['W', 'watts'],
  ['g', 'grams'],
  // misc: "1" (dimensionless) adds no unit word
  ['Cel', 'celsius'],
  ['Hz', 'hertz'],
  ['1', ''],
  ['%', 'percent'],
]);

/** The unit after `/`, singular: `By/s` -> `per_second`. */
const PER_UNIT_WORDS: ReadonlyMap<string, string> = new Map([
  ['s', 'second'],
  ['m', 'minute'],
  ['h', 'hour'],
  ['d', 'day'],
  ['w', 'week'],
  ['mo', 'month'],
  ['y', 'year'],
]);

const hasAnnotation = (u: string): boolean => u.includes('{') || u.includes('}');

/**
 * `unit` split at the first `/` into the main and `per_` suffixes, mapped through the tables.
 * A part that is blank or holds a `{...}` annotation adds nothing (`{requests}/s` -> ['', 'per_second']).
 */
export function unitSuffixes(unit: string): [main: string, per: string] {
  const slash = unit.indexOf('/');
  const mainPart = (slash < 0 ? unit : unit.slice(0, slash)).trim();
  const perRaw = slash < 0 ? '' : unit.slice(slash + 1);
  let main = '';
  if (mainPart !== '' && !hasAnnotation(mainPart)) main = UNIT_WORDS.get(mainPart) ?? mainPart;
  let per = '';
  const perPart = perRaw.trim();
  if (perPart !== '' && !hasAnnotation(perPart)) per = PER_UNIT_WORDS.get(perPart) ?? perPart;
  if (per !== '') per = `per_${per}`;
  return [main, per];
}

/** `[a-zA-Z0-9:]`: otlptranslator's isValidCompliantMetricChar (note: `_` is not in it). */
export function isMetricNameChar(c: string): boolean {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c === ':';
}

/** Runs of `_` to one `_`. */
export const collapseUnderscores = (s: string): string => s.replace(/_{2,}/g, '_');

/** A unit word made name-safe: each invalid code point to `_`, runs collapsed, one leading `_` trimmed. */
export function cleanUpUnit(unit: string): string {
  let out = '';
  for (const c of unit) out += isMetricNameChar(c) ? c : '_';
  const collapsed = collapseUnderscores(out);
  return collapsed.startsWith('_') ? collapsed.slice(1) : collapsed;
}
