/**
 * Cortex's own upload rules, which amtool knows nothing of: no key ending in `_file`, bare
 * template names, size and count limits. Plus our template-function check, since Cortex accepts
 * unknown functions at upload and fails at notification time.
 */
import { lintTemplate } from './template-lint.js';

export interface CortexLimits {
  /** `alertmanager_max_config_size_bytes`; 0 = unlimited. */
  readonly maxConfigSizeBytes: number;
  /** `alertmanager_max_templates_count`; 0 = unlimited. */
  readonly maxTemplatesCount: number;
  /** `alertmanager_max_template_size_bytes`; 0 = unlimited. */
  readonly maxTemplateSizeBytes: number;
}

export const NO_LIMITS: CortexLimits = { maxConfigSizeBytes: 0, maxTemplatesCount: 0, maxTemplateSizeBytes: 0 };

export interface LintProblem {
  readonly code:
    | 'file_key'
    | 'template_name'
    | 'config_too_large'
    | 'too_many_templates'
    | 'template_too_large'
    | 'template_function';
  readonly message: string;
}

/** Every key ending in `_file`, with its path (paths are only spelled out for hits). */
export function findFileKeys(value: unknown): string[] {
  const found: string[] = [];
  const stack: (string | number)[] = [];
  const spell = (): string => stack.map((p, i) => (typeof p === 'number' ? `[${p}]` : i === 0 ? p : `.${p}`)).join('');
  const walk = (v: unknown): void => {
    if (Array.isArray(v)) {
      for (let i = 0; i < v.length; i++) {
        stack.push(i);
        walk(v[i]);
        stack.pop();
      }
      return;
    }
    if (v === null || typeof v !== 'object') return;
    for (const k in v) {
      stack.push(k);
      if (k.endsWith('_file')) found.push(spell());
      walk((v as Record<string, unknown>)[k]);
      stack.pop();
    }
  };
  walk(value);
  return found;
}

/** Why a template name is refused by Cortex (it must be a bare file name), or undefined. */
export function templateNameProblem(name: string): string | undefined {
  if (name === '' || name === '.' || name === '..') return `template name ${JSON.stringify(name)} is not a file name`;
  if (name.includes('/') || name.includes('\\'))
    return `template name ${JSON.stringify(name)} has a path: Cortex wants a bare file name`;
  return undefined;
}

function inlineTemplates(value: unknown, out: string[] = []): string[] {
  if (typeof value === 'string') {
    if (value.includes('{{')) out.push(value);
  } else if (Array.isArray(value)) {
    for (const v of value) inlineTemplates(v, out);
  } else if (value !== null && typeof value === 'object') {
    for (const v of Object.values(value)) inlineTemplates(v, out);
  }
  return out;
}

export interface LintInput {
  /** The Alertmanager config as an object (before YAML). */
  readonly config: unknown;
  /** Its YAML text, for the size limit. */
  readonly configYaml: string;
  readonly templateFiles: Readonly<Record<string, string>>;
}

export function lintForCortex(input: LintInput, limits: CortexLimits = NO_LIMITS): LintProblem[] {
  const problems: LintProblem[] = [];
  for (const p of findFileKeys(input.config)) {
    problems.push({ code: 'file_key', message: `${p}: Cortex rejects keys ending in _file` });
  }
  const names = Object.keys(input.templateFiles);
  for (const n of names) {
    const why = templateNameProblem(n);
    if (why) problems.push({ code: 'template_name', message: why });
  }
  const templates = (input.config as { templates?: unknown } | null)?.templates;
  if (Array.isArray(templates)) {
    for (const t of templates) {
      const why = typeof t === 'string' ? templateNameProblem(t) : 'template entry is not a string';
      if (why) problems.push({ code: 'template_name', message: `templates: ${why}` });
    }
  }
  const size = Buffer.byteLength(input.configYaml, 'utf8');
  if (limits.maxConfigSizeBytes > 0 && size > limits.maxConfigSizeBytes) {
    problems.push({
      code: 'config_too_large',
      message: `config is ${size} bytes, over the limit of ${limits.maxConfigSizeBytes}`,
    });
  }
  if (limits.maxTemplatesCount > 0 && names.length > limits.maxTemplatesCount) {
    problems.push({
      code: 'too_many_templates',
      message: `${names.length} templates, over the limit of ${limits.maxTemplatesCount}`,
    });
  }
  for (const [name, text] of Object.entries(input.templateFiles)) {
    const bytes = Buffer.byteLength(text, 'utf8');
    if (limits.maxTemplateSizeBytes > 0 && bytes > limits.maxTemplateSizeBytes) {
      problems.push({
        code: 'template_too_large',
        message: `template ${name} is ${bytes} bytes, over the limit of ${limits.maxTemplateSizeBytes}`,
      });
    }
    for (const p of lintTemplate(text))
      problems.push({ code: 'template_function', message: `template ${name}: ${p.message}` });
  }
  for (const text of new Set(inlineTemplates(input.config))) {
    for (const p of lintTemplate(text))
      problems.push({ code: 'template_function', message: `inline template ${JSON.stringify(text)}: ${p.message}` });
  }
  return problems;
}
