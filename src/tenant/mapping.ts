import { ConfigError } from '../errors.js';
import { checkRegexSafety, MAX_MAPPED_VALUE_BYTES } from './regex-safety.js';
import { tenantIdProblem } from './tenant-id.js';

/**
 * `tenant.mapping`: rules applied, in order, to the tenant value a label gave (never to the
 * `default` tenant, which is a tenant id already), before the prefix and the tenant id check.
 * The first rule that matches decides; none matching leaves the value as it is.
 * - `{ match, tenant }`: a regex (always anchored at both ends), the `tenant` template with
 *   `$1`..`$9` and `${name}` replaced by its groups (a group that took no part: empty), `$$` a `$`;
 * - `{ values }`: an exact lookup table.
 * Regexes are compiled and checked once, at load (regex-safety.ts); a value longer than
 * MAX_MAPPED_VALUE_BYTES skips the regex rules (a table still applies).
 */

export interface MappingRuleInput {
  readonly match?: string | undefined;
  readonly tenant?: string | number | undefined;
  readonly values?: Readonly<Record<string, string | number>> | undefined;
}

type Part = string | number | { readonly name: string };

export type MappingRule =
  | {
      readonly kind: 'match';
      readonly source: string;
      readonly regex: RegExp;
      /** The `tenant` text as configured, and parsed. */
      readonly tenant: string;
      readonly template: readonly Part[];
    }
  | { readonly kind: 'values'; readonly table: ReadonlyMap<string, string> };

export interface TenantMapping {
  readonly rules: readonly MappingRule[];
  /** The mapped value, or the value itself when no rule matches. */
  apply(value: string): string;
}

export function compileMapping(
  input: readonly MappingRuleInput[] | undefined,
  path: string,
): TenantMapping | undefined {
  if (input === undefined || input.length === 0) return undefined;
  const rules = input.map((r, i) => compileRule(r, `${path}[${i}]`));
  const hasRegex = rules.some((r) => r.kind === 'match');
  return {
    rules,
    apply(value) {
      const short = !hasRegex || utf8LengthAtMost(value, MAX_MAPPED_VALUE_BYTES);
      for (const rule of rules) {
        if (rule.kind === 'values') {
          const to = rule.table.get(value);
          if (to !== undefined) return to;
        } else if (short) {
          const m = rule.regex.exec(value);
          if (m !== null) return fill(rule.template, m);
        }
      }
      return value;
    },
  };
}

function compileRule(r: MappingRuleInput, at: string): MappingRule {
  const hasMatch = r.match !== undefined;
  if (hasMatch === (r.values !== undefined)) {
    throw new ConfigError('invalid_value', `${at}: a mapping rule has either match (with tenant) or values`);
  }
  if (!hasMatch) {
    if (r.tenant !== undefined) throw new ConfigError('invalid_value', `${at}.tenant: only a match rule has a tenant`);
    const table = new Map<string, string>();
    for (const [from, value] of Object.entries(r.values ?? {})) {
      const to = String(value);
      const problem = tenantIdProblem(to);
      if (problem !== undefined) {
        throw new ConfigError(
          'invalid_value',
          `${at}.values.${from}: ${JSON.stringify(to)} is not a valid tenant id: it ${problem}`,
        );
      }
      table.set(from, to);
    }
    return { kind: 'values', table };
  }
  const source = r.match ?? '';
  if (r.tenant === undefined) throw new ConfigError('invalid_value', `${at}.tenant: a match rule needs a tenant`);
  let regex: RegExp;
  try {
    regex = new RegExp(`^(?:${source})$`, 'u');
  } catch (e) {
    throw new ConfigError(
      'invalid_value',
      `${at}.match: ${JSON.stringify(source)} is not a valid regular expression: ${(e as Error).message}`,
    );
  }
  const check = checkRegexSafety(source);
  if (!check.ok) {
    throw new ConfigError(
      'invalid_value',
      `${at}.match: ${JSON.stringify(source)} could take too long on some values: ${check.why}`,
    );
  }
  const tenant = String(r.tenant);
  const template = parseTemplate(tenant, check.shape.groups, check.shape.names, `${at}.tenant`);
  return { kind: 'match', source, regex, tenant, template };
}

/** Literal text and group references (by number or by name). */
function parseTemplate(t: string, groups: number, names: ReadonlySet<string>, at: string): Part[] {
  const parts: Part[] = [];
  let lit = '';
  for (let i = 0; i < t.length; i++) {
    const c = t[i]!;
    if (c !== '$') {
      lit += c;
      continue;
    }
    const n = t[i + 1];
    if (n === '$') {
      lit += '$';
      i++;
      continue;
    }
    let ref: Part;
    if (n !== undefined && n >= '1' && n <= '9') {
      const k = Number(n);
      if (k > groups) throw new ConfigError('invalid_value', `${at}: $${k} but the match has ${groups} group(s)`);
      ref = k;
      i++;
    } else if (n === '{') {
      const close = t.indexOf('}', i + 2);
      const name = close < 0 ? '' : t.slice(i + 2, close);
      if (!names.has(name)) {
        throw new ConfigError('invalid_value', `${at}: \${${name}} names no group of the match`);
      }
      ref = { name };
      i = close;
    } else {
      throw new ConfigError('invalid_value', `${at}: "$" must be followed by 1-9, {name} or $`);
    }
    if (lit !== '') parts.push(lit);
    lit = '';
    parts.push(ref);
  }
  if (lit !== '') parts.push(lit);
  const text = parts.filter((p) => typeof p === 'string').join('');
  const problem = text === '' ? undefined : tenantIdProblem(`a${text}`);
  if (problem !== undefined) {
    throw new ConfigError('invalid_value', `${at}: ${JSON.stringify(t)} cannot make a valid tenant id: it ${problem}`);
  }
  return parts;
}

function fill(template: readonly Part[], m: RegExpExecArray): string {
  let out = '';
  for (const p of template) {
    if (typeof p === 'number') out += m[p] ?? '';
    else if (typeof p === 'string') out += p;
    else out += m.groups?.[p.name] ?? '';
  }
  return out;
}

/** True when `s` is at most `max` bytes in UTF-8 (without encoding it). */
export function utf8LengthAtMost(s: string, max: number): boolean {
  if (s.length * 3 <= max) return true;
  if (s.length > max) return false;
  let bytes = 0;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    bytes += c < 0x80 ? 1 : c < 0x800 ? 2 : c >= 0xd800 && c <= 0xdbff ? 4 : 3;
    if (c >= 0xd800 && c <= 0xdbff) i++;
    if (bytes > max) return false;
  }
  return true;
}
