/**
 * A data point's labels (prometheusremotewrite helper.go createAttributes + createLabels):
 * 1. the point's attributes, sorted by key, named by the label namer; two keys that map to the
 *    same name join their values with `;` in key order (`a.b=1`, `a_b=2` -> `a_b="1;2"`);
 * 2. promoted resource attributes, only where no point attribute took the name;
 * 3. scope labels (promote_scope_metadata), overriding;
 * 4. `job` and `instance` from the resource, overriding;
 * 5. the series' own labels (`__name__`, `le`, `quantile`), overriding.
 */
import type { Label } from '../wire/types.js';
import type { LabelNamer } from './names.js';
import type { ResourceLabels } from './resource.js';
import { compareUtf8 } from './translate-values.js';

/** The key that failed the label namer (empty, or only underscores after escaping). */
export class InvalidLabelName {
  constructor(readonly key: string) {}
}

/**
 * Steps 1 to 4, sorted by name, from the attributes as stringAttributes() gives them (sorted by
 * key); an InvalidLabelName when an attribute key has no valid label name.
 */
export function baseLabels(
  attributes: readonly Label[],
  resource: ResourceLabels,
  nameLabel: LabelNamer,
): Label[] | InvalidLabelName {
  const l = new Map<string, string>();
  for (const a of attributes) {
    const name = nameLabel(a.name);
    if (name === undefined) return new InvalidLabelName(a.name);
    const prev = l.get(name);
    l.set(name, prev === undefined ? a.value : `${prev};${a.value}`);
  }
  for (const p of resource.promoted) {
    const name = nameLabel(p.name);
    if (name !== undefined && !l.has(name)) l.set(name, p.value);
  }
  for (const [name, value] of resource.scope) l.set(name, value);
  if (resource.job !== undefined) l.set('job', resource.job);
  if (resource.instance !== undefined) l.set('instance', resource.instance);
  const out: Label[] = [];
  for (const [name, value] of l) out.push({ name, value });
  return out.sort((a, b) => compareUtf8(a.name, b.name));
}

/**
 * `base` (sorted) with the series' own labels set over it, still sorted. Empty values are
 * dropped: a remote-write label with an empty value means "no label" to every receiver.
 */
export function seriesLabels(base: readonly Label[], own: readonly Label[]): Label[] {
  const out: Label[] = [];
  const ownNames = new Set(own.map((l) => l.name));
  for (const l of base) if (!ownNames.has(l.name) && l.value !== '') out.push(l);
  for (const l of own) {
    let i = out.length;
    while (i > 0 && compareUtf8(out[i - 1]!.name, l.name) > 0) i--;
    out.splice(i, 0, l);
  }
  return out;
}
