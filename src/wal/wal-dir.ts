import { join } from 'node:path';
import { decodeTenantDir, TENANT_NAME_FILE } from './tenant-dir.js';
import { io } from './wal-errors.js';
import type { Logger, WalFileSystem } from './types.js';

/**
 * Finds the tenants in `<dir>/tenants/`: each directory name decodes to its tenant, or (for a
 * long name) holds a `tenant` file with it. Anything else is logged and left alone.
 */
export async function loadTenantDirs(
  fs: WalFileSystem,
  tenantsDir: string,
  logger: Logger,
): Promise<{ readonly tenant: string; readonly dir: string }[]> {
  const found: { tenant: string; dir: string }[] = [];
  for (const name of (await io('readdir', tenantsDir, () => fs.readdir(tenantsDir))).sort()) {
    const dir = join(tenantsDir, name);
    const st = await io('stat', dir, () => fs.stat(dir));
    if (!st.isDirectory) {
      logger.warn({ file: dir }, 'wal: not a tenant directory, left alone');
      continue;
    }
    const decoded = decodeTenantDir(name);
    if (!decoded) {
      logger.warn({ dir }, 'wal: directory name is not an encoded tenant, left alone');
      continue;
    }
    if ('tenant' in decoded) {
      found.push({ tenant: decoded.tenant, dir });
      continue;
    }
    try {
      const tenant = Buffer.from(await fs.readFile(join(dir, TENANT_NAME_FILE))).toString('utf8');
      found.push({ tenant, dir });
    } catch (e) {
      // created and killed before the name was durable: nothing in it was acknowledged
      logger.warn({ dir, err: e }, 'wal: tenant directory without its name file, left alone');
    }
  }
  return found;
}
