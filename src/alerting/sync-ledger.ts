import { mkdir, readFile, rename, writeFile } from 'node:fs/promises';
import { dirname } from 'node:path';
import { AlertingError } from '../errors.js';

/**
 * What the syncer has stored in Cortex, kept across restarts. Cortex's config API cannot list
 * tenants, so without it a cluster removed from the model while the syncer was down would keep
 * its Alertmanager config in Cortex for good; with it, the next start deletes it.
 */
export interface SyncLedger {
  /** The cluster ids stored by an earlier run ([] when there is none). */
  load(): Promise<readonly string[]>;
  save(clusterIds: readonly string[]): Promise<void>;
}

const VERSION = 1;

/** A ledger in a JSON file (`{"version":1,"managed":[...]}`), replaced atomically on save. */
export function createFileSyncLedger(path: string): SyncLedger {
  return {
    async load() {
      let text: string;
      try {
        text = await readFile(path, 'utf8');
      } catch (e) {
        if ((e as NodeJS.ErrnoException).code === 'ENOENT') return [];
        throw new AlertingError(
          'alerting_state_unreadable',
          `cannot read the sync state ${path}: ${(e as Error).message}`,
          { cause: e },
        );
      }
      let doc: unknown;
      try {
        doc = JSON.parse(text);
      } catch (e) {
        throw new AlertingError('alerting_state_invalid', `${path}: not JSON (${(e as Error).message})`, { cause: e });
      }
      const managed = (doc as { managed?: unknown } | null)?.managed;
      if (!Array.isArray(managed) || !managed.every((x) => typeof x === 'string')) {
        throw new AlertingError(
          'alerting_state_invalid',
          `${path}: expected {"version":${VERSION},"managed":["cluster id", ...]}`,
        );
      }
      return managed as string[];
    },
    async save(clusterIds) {
      await mkdir(dirname(path), { recursive: true });
      const tmp = `${path}.${process.pid}.tmp`;
      await writeFile(tmp, `${JSON.stringify({ version: VERSION, managed: [...clusterIds].sort() })}\n`);
      await rename(tmp, path);
    },
  };
}
