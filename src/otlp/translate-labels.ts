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
  // Built sorted in place rather than through a Map: this runs once per data point.
  let out: Label[] = [];
  let renamed = false;
  for (const a of attributes) {
    const name = nameLabel(a.name);
    if (name === undefined) return new InvalidLabelName(a.name);
    // A key given twice (invalid OTLP, but it arrives) joins like a collision.
    if (out.length > 0 && out[out.length - 1]!.name === name) renamed = true;
    if (name === a.name) out.push(a);
    else {
      renamed = true;
      out.push({ name, value: a.value });
    }
  }
  // Renaming can reorder names and make two equal: a stable sort keeps key order for the join.
  if (renamed) out = joinEqualNames(out.sort((a, b) => compareUtf8(a.name, b.name)));
  for (const p of resource.promoted) {
    const name = nameLabel(p.name);
    if (name !== undefined) put(out, name, p.value, false);
  }
  for (const [name, value] of resource.scope) put(out, name, value, true);
  if (resource.job !== undefined) put(out, 'job', resource.job, true);
  if (resource.instance !== undefined) put(out, 'instance', resource.instance, true);
  return out;
}

/** Adjacent labels of one name (sorted input) as one, their values joined with `;`. */
function joinEqualNames(sorted: Label[]): Label[] {
  const out: Label[] = [];
  for (const l of sorted) {
    const last = out[out.length - 1];
    if (last !== undefined && last.name === l.name)
      out[out.length - 1] = { name: l.name, value: `${last.value};${l.value}` };
    else out.push(l);
  }
  return out;
}

/** Sets `name` in the sorted `out`: inserted where it sorts, or, when present, replaced if `override`. */
function put(out: Label[], name: string, value: string, override: boolean): void {
  let lo = 0;
  let hi = out.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (compareUtf8(out[mid]!.name, name) < 0) lo = mid + 1;
    else hi = mid;
  }
  if (lo < out.length && out[lo]!.name === name) {
    if (override) out[lo] = { name, value };
  } else out.splice(lo, 0, { name, value });
}

/** Whether one of the (one to three) `own` labels is named `name`. */
function hasName(own: readonly Label[], name: string): boolean {
  for (const l of own) if (l.name === name) return true;
  return false;
}

/**
 * `base` (sorted) with the series' own labels set over it, still sorted. Empty values are
 * dropped: a remote-write label with an empty value means "no label" to every receiver.
 */
export function seriesLabels(base: readonly Label[], own: readonly Label[]): Label[] {
  const out: Label[] = [];
  for (const l of base) if (l.value !== '' && !hasName(own, l.name)) out.push(l);
  for (const l of own) {
    let i = out.length;
    while (i > 0 && compareUtf8(out[i - 1]!.name, l.name) > 0) i--;
    out.splice(i, 0, l);
  }
  return out;
}
