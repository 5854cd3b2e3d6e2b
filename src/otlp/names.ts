/**
 * Metric and label names, as prometheus/otlptranslator's MetricNamer.Build and LabelNamer.Build
 * (metric_namer.go, label_namer.go, strconv.go) build them for each translation strategy.
 */
import type { OtlpTranslateOptions } from './options.js';
import { shouldAddSuffixes, shouldEscape } from './options.js';
import { cleanUpUnit, isMetricNameChar, unitSuffixes } from './units.js';

/** otlptranslator MetricType: what decides the `_total` and `_ratio` suffixes. */
export type NamerMetricType =
  | 'gauge'
  | 'monotonic_counter'
  | 'non_monotonic_counter'
  | 'histogram'
  | 'exponential_histogram'
  | 'summary';

const isDigit = (c: string | undefined): boolean => c !== undefined && c >= '0' && c <= '9';
const underscoresOnly = (s: string): boolean => /^_*$/.test(s);

/** Go's strings.FieldsFunc: the non-empty runs between separator code points. */
function fields(s: string, isSeparator: (c: string) => boolean): string[] {
  const out: string[] = [];
  let cur = '';
  for (const c of s) {
    if (isSeparator(c)) {
      if (cur !== '') out.push(cur);
      cur = '';
    } else cur += c;
  }
  if (cur !== '') out.push(cur);
  return out;
}

/**
 * UnderscoreEscapingWithSuffixes (normalizeName): split on every character outside
 * `[a-zA-Z0-9:]` (so runs of `_` collapse), append the unit and per-unit words unless already a
 * token, then `total` for monotonic counters and `ratio` for unit-`1` gauges (moved to the end if
 * present), and prefix `_` when the result starts with a digit.
 */
function escapedWithSuffixes(name: string, unit: string, type: NamerMetricType): string {
  let tokens = fields(name, (c) => !isMetricNameChar(c));
  const [mainRaw, perRaw] = unitSuffixes(unit);
  let main = cleanUpUnit(mainRaw);
  let per = cleanUpUnit(perRaw);
  // addUnitTokens
  if (tokens.includes(main)) main = '';
  if (per === 'per_') per = '';
  else {
    if (per.endsWith('_')) per = per.slice(0, -1);
    if (tokens.includes(per)) per = '';
  }
  if (per !== '' && main.endsWith('_')) main = main.slice(0, -1);
  if (main !== '') tokens.push(main);
  if (per !== '') tokens.push(per);
  if (type === 'monotonic_counter') tokens = [...tokens.filter((t) => t !== 'total'), 'total'];
  if (unit === '1' && type === 'gauge') tokens = [...tokens.filter((t) => t !== 'ratio'), 'ratio'];
  const joined = tokens.join('_');
  return isDigit(joined[0]) ? `_${joined}` : joined;
}

/** UnderscoreEscapingWithoutSuffixes: runs of invalid characters other than `_` become one `_`. */
function escapedWithoutSuffixes(name: string): string {
  const joined = fields(name, (c) => !isMetricNameChar(c) && c !== '_').join('_');
  return isDigit(joined[0]) ? `_${joined}` : joined;
}

/** Go's trimSuffixAndDelimiter: drop `suffix` and the one character before it. */
function trimSuffixAndDelimiter(name: string, suffix: string): string {
  return name.endsWith(suffix) && name.length > suffix.length + 1 ? name.slice(0, -(suffix.length + 1)) : name;
}

/** NoUTF8EscapingWithSuffixes (buildMetricName): the name as written, suffixes appended. */
function utf8WithSuffixes(name: string, unit: string, type: NamerMetricType): string {
  let n = name;
  const tail: string[] = [];
  const ratio = unit === '1' && type === 'gauge';
  if (ratio) n = trimSuffixAndDelimiter(n, 'ratio');
  if (type === 'monotonic_counter') n = trimSuffixAndDelimiter(n, 'total');
  const [main, per] = unitSuffixes(unit);
  if (per !== '') n = trimSuffixAndDelimiter(n, per);
  if (main !== '' && !n.endsWith(main)) n = `${n}_${main}`;
  // Go's deferred appends run last-registered first: per, then total, then ratio.
  if (per !== '') tail.push(per);
  if (type === 'monotonic_counter') tail.push('total');
  if (ratio) tail.push('ratio');
  return tail.length === 0 ? n : `${n}_${tail.join('_')}`;
}

/** A metric's Prometheus name, or undefined when it normalizes to nothing valid (otlptranslator's errors). */
export function buildMetricName(
  name: string,
  unit: string,
  type: NamerMetricType,
  options: Pick<OtlpTranslateOptions, 'translationStrategy'>,
): string | undefined {
  const strategy = options.translationStrategy;
  const suffixes = shouldAddSuffixes(strategy);
  if (!shouldEscape(strategy)) {
    const out = suffixes ? utf8WithSuffixes(name, unit, type) : name;
    return out === '' ? undefined : out;
  }
  const out = suffixes ? escapedWithSuffixes(name, unit, type) : escapedWithoutSuffixes(name);
  if (out === '') return undefined;
  if (out !== name && underscoresOnly(out)) return undefined;
  return out;
}

const isLabelChar = (c: string): boolean => (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9');

/** strconv.go sanitizeLabelName. */
function sanitizeLabelName(name: string, preserveMultipleUnderscores: boolean): string {
  if (preserveMultipleUnderscores) {
    let out = '';
    for (const c of name) out += isLabelChar(c) ? c : '_';
    return out;
  }
  // A reserved `__x__` keeps its wrapping; the inside is escaped with runs collapsed.
  const reserved = name.length >= 4 && name.startsWith('__') && name.endsWith('__');
  const inner = reserved ? name.slice(2, -2) : name;
  let out = '';
  for (const c of inner) {
    if (isLabelChar(c)) out += c;
    else if (!out.endsWith('_')) out += '_';
  }
  return reserved ? `__${out}__` : out;
}

export type LabelNamer = (attribute: string) => string | undefined;

/**
 * LabelNamer.Build for the options: the label name of an attribute key, or undefined when the
 * key is empty or becomes only underscores. Memoized per translation (keys repeat a lot).
 */
export function createLabelNamer(options: OtlpTranslateOptions): LabelNamer {
  const utf8 = !shouldEscape(options.translationStrategy);
  const cache = new Map<string, string | undefined>();
  const build = (key: string): string | undefined => {
    if (key === '') return undefined;
    if (utf8) return underscoresOnly(key) ? undefined : key;
    let n = sanitizeLabelName(key, options.labelNamePreserveMultipleUnderscores);
    if (isDigit(n[0])) n = `key_${n}`;
    else if (options.labelNameUnderscoreSanitization && n.startsWith('_') && !n.startsWith('__')) n = `key${n}`;
    return underscoresOnly(n) ? undefined : n;
  };
  return (key) => {
    if (cache.has(key)) return cache.get(key);
    const n = build(key);
    if (cache.size < 10_000) cache.set(key, n);
    return n;
  };
}
