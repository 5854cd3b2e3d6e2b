import yaml from 'js-yaml';
import { ConfigError } from '../../errors.js';

/**
 * The pipeline file, after Alloy: top-level keys are component kinds, the next level labels,
 * then the arguments. References to other components' exports are strings
 * `<kind>.<label>.<export>` (see references.ts).
 *
 * ```yaml
 * prometheus.remote_write:
 *   cortex:
 *     endpoint: [{ url: http://127.0.0.1:9009/api/v1/push }]
 * ```
 */
export interface PipelineComponentSpec {
  readonly kind: string;
  readonly label: string;
  /** `<kind>.<label>` */
  readonly id: string;
  /** The raw arguments (a mapping), references still as strings. */
  readonly args: Readonly<Record<string, unknown>>;
}

export interface PipelineSpec {
  readonly components: readonly PipelineComponentSpec[];
}

const LABEL = /^[A-Za-z_][A-Za-z0-9_-]*$/;

const isMapping = (v: unknown): v is Record<string, unknown> =>
  typeof v === 'object' && v !== null && !Array.isArray(v);

export function parsePipelineYaml(text: string): unknown {
  try {
    return yaml.load(text, { schema: yaml.CORE_SCHEMA });
  } catch (e) {
    const mark = (e as { mark?: { line?: number; column?: number } }).mark;
    const where = mark?.line === undefined ? '' : ` at line ${mark.line + 1}, column ${(mark.column ?? 0) + 1}`;
    const reason = (e as { reason?: string }).reason ?? (e instanceof Error ? e.message : String(e));
    throw new ConfigError('yaml', `pipeline file is not valid YAML${where}: ${reason}`, { cause: e });
  }
}

/** Parses and checks the shape; kinds must be among `knownKinds`. Errors name the key path. */
export function parsePipeline(text: string, knownKinds: readonly string[]): PipelineSpec {
  const doc = parsePipelineYaml(text);
  if (doc === undefined || doc === null) return { components: [] };
  if (!isMapping(doc))
    throw new ConfigError('invalid_value', 'pipeline file: the top level must be a mapping of component kinds');
  const known = new Set(knownKinds);
  const components: PipelineComponentSpec[] = [];
  for (const [kind, labels] of Object.entries(doc)) {
    if (!known.has(kind)) {
      const hint = closest(kind, knownKinds);
      throw new ConfigError(
        'unknown_kind',
        `${kind}: unknown component kind${hint ? ` (did you mean ${hint}?)` : ''}; known kinds: ` +
          `${[...knownKinds].sort().join(', ')}`,
      );
    }
    if (!isMapping(labels))
      throw new ConfigError('invalid_value', `${kind}: expected a mapping of labels to arguments`);
    for (const [label, args] of Object.entries(labels)) {
      if (!LABEL.test(label)) {
        throw new ConfigError(
          'invalid_value',
          `${kind}.${label}: a label is letters, digits, '_' and '-', starting with a letter or '_'`,
        );
      }
      if (args !== null && args !== undefined && !isMapping(args)) {
        throw new ConfigError('invalid_value', `${kind}.${label}: expected a mapping of arguments`);
      }
      components.push({ kind, label, id: `${kind}.${label}`, args: args ?? {} });
    }
  }
  return { components };
}

/** The known kind nearest to a misspelt one (edit distance at most 3), for error hints. */
function closest(word: string, candidates: readonly string[]): string | undefined {
  let best: string | undefined;
  let bestD = 4;
  for (const c of candidates) {
    const d = distance(word, c);
    if (d < bestD) {
      bestD = d;
      best = c;
    }
  }
  return best;
}

function distance(a: string, b: string): number {
  let prev = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const cur = [i];
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      cur[j] = Math.min((prev[j] ?? 0) + 1, (cur[j - 1] ?? 0) + 1, (prev[j - 1] ?? 0) + cost);
    }
    prev = cur;
  }
  return prev[b.length] ?? 0;
}
