import { ConfigError } from '../../errors.js';
import { formatPath } from '../../zod-errors.js';
import type { PipelineComponentSpec } from './parse.js';

/**
 * References between components: any string argument that starts with a known kind and a dot
 * is a reference `<kind>.<label>.<export>`. Pure: finding, checking, substituting, ordering.
 */
export interface Reference {
  /** Where it was written, e.g. `prometheus.receive_http.ingest.forward_to[0]`. */
  readonly path: string;
  readonly raw: string;
  /** `<kind>.<label>` of the referenced component. */
  readonly componentId: string;
  readonly exportName: string;
}

const IDENT = /^[A-Za-z_][A-Za-z0-9_-]*$/;

/** Splits a reference string, or returns undefined when it does not start with a known kind. */
export function parseReference(
  value: string,
  kindsLongestFirst: readonly string[],
  path: string,
): Omit<Reference, 'path'> | undefined {
  for (const kind of kindsLongestFirst) {
    if (!value.startsWith(`${kind}.`)) continue;
    const rest = value.slice(kind.length + 1).split('.');
    const [label, exportName] = rest;
    if (
      rest.length !== 2 ||
      label === undefined ||
      exportName === undefined ||
      !IDENT.test(label) ||
      !IDENT.test(exportName)
    ) {
      throw new ConfigError(
        'bad_reference',
        `${path}: ${JSON.stringify(value)} is not a reference of the form ${kind}.<label>.<export>`,
      );
    }
    return { raw: value, componentId: `${kind}.${label}`, exportName };
  }
  return undefined;
}

/** Every reference inside `args`, with its path; checks each names a declared component. */
export function findReferences(
  component: PipelineComponentSpec,
  knownKinds: readonly string[],
  declared: ReadonlySet<string>,
): Reference[] {
  const kinds = [...knownKinds].sort((a, b) => b.length - a.length);
  const found: Reference[] = [];
  const walk = (value: unknown, path: (string | number)[]): void => {
    if (typeof value === 'string') {
      const where = formatPath(component.id, path);
      const ref = parseReference(value, kinds, where);
      if (!ref) return;
      if (!declared.has(ref.componentId)) {
        throw new ConfigError(
          'dangling_reference',
          `${where}: ${value} refers to ${ref.componentId}, which is not declared in the pipeline`,
        );
      }
      found.push({ ...ref, path: where });
    } else if (Array.isArray(value)) {
      value.forEach((v, i) => {
        walk(v, [...path, i]);
      });
    } else if (typeof value === 'object' && value !== null) {
      for (const [k, v] of Object.entries(value)) walk(v, [...path, k]);
    }
  };
  walk(component.args, []);
  return found;
}

/** A copy of `args` with each reference string replaced by `resolve(reference)`. */
export function substituteReferences(
  args: unknown,
  kindsLongestFirst: readonly string[],
  resolve: (ref: Omit<Reference, 'path'>) => unknown,
): unknown {
  if (typeof args === 'string') {
    const ref = parseReference(args, kindsLongestFirst, '');
    return ref ? resolve(ref) : args;
  }
  if (Array.isArray(args)) return args.map((v) => substituteReferences(v, kindsLongestFirst, resolve));
  if (typeof args === 'object' && args !== null) {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(args)) out[k] = substituteReferences(v, kindsLongestFirst, resolve);
    return out;
  }
  return args;
}

/**
 * Component ids in dependency order (a component after everything it references), stable in
 * declaration order otherwise. A cycle is a ConfigError naming it: `a -> b -> a`.
 */
export function dependencyOrder(ids: readonly string[], dependsOn: ReadonlyMap<string, readonly string[]>): string[] {
  const order: string[] = [];
  const state = new Map<string, 'visiting' | 'done'>();
  const visit = (id: string, trail: string[]): void => {
    const s = state.get(id);
    if (s === 'done') return;
    if (s === 'visiting') {
      const cycle = [...trail.slice(trail.indexOf(id)), id];
      throw new ConfigError('reference_cycle', `reference cycle: ${cycle.join(' -> ')}`);
    }
    state.set(id, 'visiting');
    for (const dep of dependsOn.get(id) ?? []) visit(dep, [...trail, id]);
    state.set(id, 'done');
    order.push(id);
  };
  for (const id of ids) visit(id, []);
  return order;
}
