/**
 * A stream's labels string, Prometheus selector syntax as Loki clients send it:
 * `{app="api", env="prod"}`. The parser is strict: legacy label names
 * (`[a-zA-Z_][a-zA-Z0-9_]*`), double-quoted values with Go's escapes (`\"`, `\\`, `\n`, `\t`,
 * `\r`, `\a`, `\b`, `\f`, `\v`, `\xHH` below 0x80, `\uHHHH`, `\UHHHHHHHH`), no raw line break
 * in a value, no duplicate name, whitespace and one trailing comma allowed. Anything else is a
 * WireError('bad_labels' | 'duplicate_label') naming the position. The printer writes what
 * the parser reads back: `{a="b", c="d"}`, order kept.
 */
import type { Label } from '../wire/types.js';
import { escapeForMessage } from '../tenant/tenant-id.js';
import { lokiError } from './loki-errors.js';

const SIMPLE_ESCAPES: Readonly<Record<string, string>> = {
  '"': '"',
  '\\': '\\',
  n: '\n',
  t: '\t',
  r: '\r',
  a: '\x07',
  b: '\b',
  f: '\f',
  v: '\v',
};
const HEX_DIGITS: Readonly<Record<string, number>> = { x: 2, u: 4, U: 8 };

const isNameStart = (c: number): boolean => (c >= 65 && c <= 90) || (c >= 97 && c <= 122) || c === 95;
const isNameChar = (c: number): boolean => isNameStart(c) || (c >= 48 && c <= 57);
const isSpace = (c: number): boolean => c === 32 || c === 9 || c === 10 || c === 13;

export function parseStreamLabels(text: string): Label[] {
  let pos = 0;
  const fail = (problem: string): never => {
    throw lokiError('bad_labels', `stream labels "${escapeForMessage(text, 120)}": ${problem} at position ${pos}`);
  };
  const skipSpace = (): void => {
    while (pos < text.length && isSpace(text.charCodeAt(pos))) pos++;
  };
  const expect = (ch: string, what: string): void => {
    skipSpace();
    if (text[pos] !== ch) fail(`expected ${what}`);
    pos++;
  };

  const readName = (): string => {
    const start = pos;
    if (pos >= text.length || !isNameStart(text.charCodeAt(pos))) fail('expected a label name');
    while (pos < text.length && isNameChar(text.charCodeAt(pos))) pos++;
    return text.slice(start, pos);
  };

  const readValue = (): string => {
    if (text[pos] !== '"') fail('expected a double-quoted label value');
    pos++;
    let out = '';
    let runStart = pos;
    for (;;) {
      if (pos >= text.length) fail('unterminated label value');
      const ch = text[pos]!;
      if (ch === '"') {
        out += text.slice(runStart, pos);
        pos++;
        return out;
      }
      if (ch === '\n') fail('line break inside a label value');
      if (ch !== '\\') {
        pos++;
        continue;
      }
      out += text.slice(runStart, pos);
      const esc = text[pos + 1];
      if (esc === undefined) fail('unterminated escape');
      const simple = SIMPLE_ESCAPES[esc!];
      if (simple !== undefined) {
        out += simple;
        pos += 2;
      } else if (HEX_DIGITS[esc!] !== undefined) {
        out += readHexEscape(esc!, HEX_DIGITS[esc!]!);
      } else {
        fail(`unknown escape \\${escapeForMessage(esc!, 1)}`);
      }
      runStart = pos;
    }
  };

  const readHexEscape = (kind: string, digits: number): string => {
    const hex = text.slice(pos + 2, pos + 2 + digits);
    if (hex.length !== digits || !/^[0-9a-fA-F]+$/.test(hex)) fail(`\\${kind} needs ${digits} hex digits`);
    const code = parseInt(hex, 16);
    if (kind === 'x' && code >= 0x80) fail('\\x escapes above 0x7f are not UTF-8');
    if (code > 0x10ffff || (code >= 0xd800 && code <= 0xdfff)) fail(`\\${kind}${hex} is not a Unicode scalar value`);
    pos += 2 + digits;
    return String.fromCodePoint(code);
  };

  const labels: Label[] = [];
  const seen = new Set<string>();
  expect('{', '"{"');
  skipSpace();
  while (text[pos] !== '}') {
    const name = readName();
    expect('=', '"=" after the label name');
    skipSpace();
    const value = readValue();
    if (seen.has(name)) {
      throw lokiError(
        'duplicate_label',
        `stream labels "${escapeForMessage(text, 120)}": label "${name}" appears twice`,
      );
    }
    seen.add(name);
    labels.push({ name, value });
    skipSpace();
    if (text[pos] === ',') {
      pos++;
      skipSpace();
    } else if (text[pos] !== '}') {
      fail('expected "," or "}"');
    }
  }
  pos++;
  skipSpace();
  if (pos !== text.length) fail('unexpected text after "}"');
  return labels;
}

/** `{a="b", c="d"}` with `\`, `"` and control characters escaped. */
export function printStreamLabels(labels: readonly Label[]): string {
  let out = '{';
  for (let i = 0; i < labels.length; i++) {
    const l = labels[i]!;
    if (i > 0) out += ', ';
    out += `${l.name}="${quoteValue(l.value)}"`;
  }
  return `${out}}`;
}

function quoteValue(value: string): string {
  let out = '';
  let runStart = 0;
  for (let i = 0; i < value.length; i++) {
    const c = value.charCodeAt(i);
    if (c >= 0x20 && c !== 0x22 && c !== 0x5c && c !== 0x7f) continue;
    out += value.slice(runStart, i) + escapeChar(c);
    runStart = i + 1;
  }
  return runStart === 0 ? value : out + value.slice(runStart);
}

function escapeChar(c: number): string {
  switch (c) {
    case 0x22:
      return '\\"';
    case 0x5c:
      return '\\\\';
    case 0x0a:
      return '\\n';
    case 0x0d:
      return '\\r';
    case 0x09:
      return '\\t';
    default:
      return `\\x${c.toString(16).padStart(2, '0')}`;
  }
}
