/**
 * Checks that templates call only functions Alertmanager 0.25 defines. Cortex does not check
 * inline templates at upload; an unknown function fails later, when a notification is sent.
 */

/** Go text/template keywords and built-in functions. */
const GO_BUILTINS = [
  'if',
  'else',
  'end',
  'range',
  'with',
  'define',
  'template',
  'block',
  'break',
  'continue',
  'and',
  'or',
  'not',
  'eq',
  'ne',
  'lt',
  'le',
  'gt',
  'ge',
  'len',
  'index',
  'slice',
  'print',
  'printf',
  'println',
  'html',
  'js',
  'urlquery',
  'call',
  'nil',
  'true',
  'false',
];

/** Functions Alertmanager 0.25 adds (template.DefaultFuncs). */
const ALERTMANAGER_025_FUNCS = [
  'toUpper',
  'toLower',
  'title',
  'join',
  'match',
  'safeHtml',
  'reReplaceAll',
  'stringSlice',
];

export const ALLOWED_TEMPLATE_IDENTIFIERS: ReadonlySet<string> = new Set([...GO_BUILTINS, ...ALERTMANAGER_025_FUNCS]);

export interface TemplateProblem {
  readonly function: string;
  readonly message: string;
}

/** Removes string literals (double-quoted, back-quoted, rune) so their text is not read as code. */
function stripLiterals(action: string): string {
  return action.replace(/"(?:[^"\\]|\\.)*"|`[^`]*`|'(?:[^'\\]|\\.)*'/g, ' ');
}

const memo = new Map<string, readonly TemplateProblem[]>();

/** Every function-like identifier inside `{{ ... }}` actions that Alertmanager 0.25 does not know. */
export function lintTemplate(text: string): TemplateProblem[] {
  const known = memo.get(text);
  if (known) return [...known];
  const found = lintTemplateUncached(text);
  if (memo.size > 1_000) memo.clear();
  memo.set(text, found);
  return [...found];
}

function lintTemplateUncached(text: string): TemplateProblem[] {
  const problems: TemplateProblem[] = [];
  const seen = new Set<string>();
  for (const m of text.matchAll(/\{\{-?([\s\S]*?)-?\}\}/g)) {
    const body = m[1] ?? '';
    if (/^\s*\/\*/.test(body)) continue; // comment
    const code = stripLiterals(body);
    for (const id of code.matchAll(/(^|[^.$\w])([A-Za-z_][A-Za-z0-9_]*)/g)) {
      const name = id[2] ?? '';
      if (ALLOWED_TEMPLATE_IDENTIFIERS.has(name) || seen.has(name)) continue;
      seen.add(name);
      problems.push({
        function: name,
        message: `template function ${JSON.stringify(name)} is not defined in Alertmanager 0.25`,
      });
    }
  }
  return problems;
}
