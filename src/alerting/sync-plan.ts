/**
 * The pure half of the syncer: from the desired configs and what we know of Cortex, which
 * tenants to POST, which to DELETE, which to check for the applied marker.
 */
export interface ClusterSyncStatus {
  readonly clusterId: string;
  /** `model`: built from the model; `default`: a tenant seen by remote-write that got the default config. */
  readonly source: 'model' | 'default';
  /** Hash of the config last stored (201 and read back), if any. */
  readonly hash?: string;
  /** Hash of the config we want there. */
  readonly desiredHash?: string;
  readonly stored: boolean;
  /** The marker receiver of `hash` was seen in the tenant's `/api/v2/receivers`. */
  readonly applied: boolean;
  readonly error?: string;
  /** Clock time (ms) of the last successful store or confirmation. */
  readonly lastSyncedAt?: number;
}

export interface SyncPlan {
  readonly post: string[];
  readonly remove: string[];
  readonly confirm: string[];
  /** Full resync: read back every desired tenant and POST where Cortex differs. */
  readonly verify: string[];
}

export function planSync(
  desired: ReadonlyMap<string, { readonly hash: string }>,
  known: ReadonlyMap<string, ClusterSyncStatus>,
  full: boolean,
): SyncPlan {
  const post: string[] = [];
  const confirm: string[] = [];
  const verify: string[] = [];
  for (const [id, d] of desired) {
    const s = known.get(id);
    if (full) verify.push(id);
    else if (!s?.stored || s.hash !== d.hash) post.push(id);
    else if (!s.applied) confirm.push(id);
  }
  const remove = [...known.values()]
    .filter((s) => s.source === 'model' && !desired.has(s.clusterId))
    .map((s) => s.clusterId);
  return { post: post.sort(), remove: remove.sort(), confirm: confirm.sort(), verify: verify.sort() };
}

/** Runs `fn` over `items` with at most `limit` in flight; resolves when all settled. */
export async function forEachLimited<T>(
  items: readonly T[],
  limit: number,
  fn: (item: T) => Promise<void>,
): Promise<void> {
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < items.length) {
      const item = items[next++] as T;
      await fn(item);
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, Math.min(limit, items.length)) }, worker));
}
