/**
 * A conservative static check of a mapping regex (JavaScript syntax, compiled with the `u` flag)
 * before it ever sees a label value. A backtracking engine can take exponential time on a regex
 * of star height above one, like `(a+)+`, or on a repeated alternation whose branches overlap,
 * like `(a|aa)+`; and polynomial time of a high degree on several unbounded repetitions in a
 * row (`.*a.*a.*b`: about 0.5 s on 1,024 bytes here). So we refuse:
 * - backreferences (`\1`, `\k<name>`) and lookarounds (`(?=`, `(?!`, `(?<=`, `(?<!`);
 * - a group that holds a repetition, itself repeated (`(a+)+`, `(a*){3}`; `(a+)?` is allowed);
 * - a repeated alternation unless every branch is a plain literal and none is a prefix of
 *   another (`(beep|boop)+` is allowed, `(a|aa)+`, `(a|[ab])+` and `(a|)*` are not);
 * - a pattern whose choices multiply past MAX_REGEX_CHOICES: an unbounded repetition counts
 *   for MAX_MAPPED_VALUE_BYTES + 1 choices, `{n,m}` for m-n+1, `?` for 2, an alternation for its
 *   branch count. With values capped at 1,024 bytes that allows two unbounded repetitions.
 * It also counts the capturing groups and collects their names, for the `tenant` template.
 * The pattern's syntax itself is checked by `new RegExp` (the caller's job).
 */

/** Label values longer than this (UTF-8 bytes) are not matched against regex rules. */
export const MAX_MAPPED_VALUE_BYTES = 1024;

/** Bound on the product of a pattern's choices (see above): two unbounded repetitions and a factor 4. */
export const MAX_REGEX_CHOICES = (MAX_MAPPED_VALUE_BYTES + 1) ** 2 * 4;

export interface RegexShape {
  readonly groups: number;
  readonly names: ReadonlySet<string>;
}

export type RegexCheck =
  | { readonly ok: true; readonly shape: RegexShape }
  | { readonly ok: false; readonly why: string };

interface Frame {
  /** Some atom inside (at any depth) is repeated a variable number of times. */
  repeated: boolean;
  branches: number;
  /** Every branch so far is a plain literal (no class, dot, group, quantifier or escape class). */
  literal: boolean;
  /** The literal text of each branch, while `literal` holds. */
  texts: string[];
  /** Holds (at any depth) an alternation whose branches may overlap. */
  risky: boolean;
}

interface Atom {
  readonly kind: 'char' | 'class' | 'group';
  readonly repeated: boolean;
  readonly risky?: boolean;
}

const UNBOUNDED = MAX_MAPPED_VALUE_BYTES + 1;

export function checkRegexSafety(pattern: string): RegexCheck {
  const fail = (why: string): RegexCheck => ({ ok: false, why });
  const stack: Frame[] = [newFrame()];
  let groups = 0;
  const names = new Set<string>();
  let choices = 1;
  let last: Atom | undefined;
  const top = (): Frame => stack[stack.length - 1]!;
  const atom = (a: Atom, text?: string): void => {
    const f = top();
    if (text === undefined) f.literal = false;
    else f.texts[f.texts.length - 1] += text;
    last = a;
  };

  let i = 0;
  while (i < pattern.length) {
    const c = pattern[i]!;
    if (c === '\\') {
      const n = pattern[i + 1] ?? '';
      if (/[1-9]/.test(n) || n === 'k') return fail(`backreferences (\\${n}) are not allowed`);
      if ((n === 'p' || n === 'P' || n === 'u') && pattern[i + 2] === '{') {
        const close = pattern.indexOf('}', i + 3);
        i = close < 0 ? pattern.length : close + 1;
        atom({ kind: 'class', repeated: false });
      } else if (n === 'x') {
        i += 4;
        atom({ kind: 'char', repeated: false });
      } else if (n === 'u') {
        i += 6;
        atom({ kind: 'char', repeated: false });
      } else if (/[dDwWsSbB]/.test(n)) {
        i += 2;
        atom({ kind: 'class', repeated: false });
      } else {
        i += 2;
        atom({ kind: 'char', repeated: false }, /[.*+?^${}()|[\]\\/-]/.test(n) ? n : undefined);
      }
      continue;
    }
    if (c === '[') {
      let j = i + 1;
      while (j < pattern.length && pattern[j] !== ']') j += pattern[j] === '\\' ? 2 : 1;
      i = j + 1;
      atom({ kind: 'class', repeated: false });
      continue;
    }
    if (c === '(') {
      if (pattern.startsWith('(?=', i) || pattern.startsWith('(?!', i)) return fail('lookaheads are not allowed');
      if (pattern.startsWith('(?<=', i) || pattern.startsWith('(?<!', i)) return fail('lookbehinds are not allowed');
      if (pattern.startsWith('(?:', i)) {
        i += 3;
      } else if (pattern.startsWith('(?<', i)) {
        const close = pattern.indexOf('>', i + 3);
        names.add(pattern.slice(i + 3, close < 0 ? pattern.length : close));
        groups++;
        i = close < 0 ? pattern.length : close + 1;
      } else if (pattern.startsWith('(?', i)) {
        return fail('group modifiers "(?..." other than (?: and (?<name> are not allowed');
      } else {
        groups++;
        i++;
      }
      stack.push(newFrame());
      last = undefined;
      continue;
    }
    if (c === ')') {
      if (stack.length === 1) return fail('unbalanced ")"');
      const f = stack.pop()!;
      choices *= f.branches;
      const outer = top();
      outer.literal = false;
      if (f.repeated) outer.repeated = true;
      const risky = f.risky || (f.branches > 1 && !prefixFree(f));
      if (risky) outer.risky = true;
      last = { kind: 'group', repeated: f.repeated, risky };
      i++;
      continue;
    }
    if (c === '|') {
      const f = top();
      f.branches++;
      f.texts.push('');
      last = undefined;
      i++;
      continue;
    }
    const q = readQuantifier(pattern, i);
    if (q !== undefined) {
      if (last === undefined) return fail(`a quantifier at position ${i} has nothing to repeat`);
      const variable = q.max !== q.min;
      const repeatsGroup = q.max > 1 || q.max === Infinity;
      if (last.kind === 'group' && repeatsGroup) {
        if (last.repeated) return fail(`a repeated group holds a repetition (nested quantifier) at position ${i}`);
        if (last.risky === true) {
          return fail(
            `a repeated alternation at position ${i} must have plain literal branches, none a prefix of another`,
          );
        }
      }
      if (variable) top().repeated = true;
      top().literal = false;
      choices *= q.max === Infinity ? UNBOUNDED : Math.min(q.max - q.min + 1, UNBOUNDED);
      if (choices > MAX_REGEX_CHOICES) {
        return fail(
          `too many repetitions and alternatives: at most two unbounded repetitions (*, +, {n,}) ` +
            `are allowed, bounded ones and alternatives counting by their number of choices`,
        );
      }
      last = undefined;
      i = q.end;
      continue;
    }
    i++;
    if (c === '.' || c === '^' || c === '$') atom({ kind: 'class', repeated: false });
    else atom({ kind: 'char', repeated: false }, c);
  }
  if (stack.length !== 1) return fail('unbalanced "("');
  choices *= top().branches;
  if (choices > MAX_REGEX_CHOICES) return fail('too many alternatives');
  return { ok: true, shape: { groups, names } };
}

function newFrame(): Frame {
  return { repeated: false, branches: 1, literal: true, texts: [''], risky: false };
}

function prefixFree(f: Frame): boolean {
  if (!f.literal) return false;
  const t = f.texts;
  for (let a = 0; a < t.length; a++) {
    if (t[a] === '') return false;
    for (let b = 0; b < t.length; b++) if (a !== b && t[b]!.startsWith(t[a]!)) return false;
  }
  return true;
}

interface Quantifier {
  readonly min: number;
  readonly max: number;
  /** Position after the quantifier (and its lazy `?`). */
  readonly end: number;
}

function readQuantifier(p: string, i: number): Quantifier | undefined {
  const c = p[i];
  let q: Quantifier | undefined;
  if (c === '*') q = { min: 0, max: Infinity, end: i + 1 };
  else if (c === '+') q = { min: 1, max: Infinity, end: i + 1 };
  else if (c === '?') q = { min: 0, max: 1, end: i + 1 };
  else if (c === '{') {
    const m = /^\{(\d+)(,(\d*))?\}/.exec(p.slice(i));
    if (m === null) return undefined;
    const min = Number(m[1]);
    const max = m[2] === undefined ? min : m[3] === '' ? Infinity : Number(m[3]);
    q = { min, max, end: i + m[0].length };
  }
  if (q !== undefined && p[q.end] === '?') q = { ...q, end: q.end + 1 };
  return q;
}
