/**
 * The npm package as users get it: `npm pack` of this checkout, installed into an empty folder
 * with production dependencies only, offline (from the npm cache `npm ci` filled), so the tests
 * see exactly what the tarball holds and what it depends on.
 */
import { execFile } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import { promisify } from 'node:util';
import { repoRoot } from '../helpers/peers.js';

const run = promisify(execFile);

export interface PackedFile {
  readonly path: string;
  readonly size: number;
}

export interface PackedInstall {
  /** The consumer folder: package.json and node_modules/. */
  readonly dir: string;
  readonly tarball: string;
  /** What `npm pack` put in the tarball. */
  readonly files: readonly PackedFile[];
  /** node_modules/tenantwire */
  readonly packageDir: string;
  /** node_modules/.bin/tenantwire */
  readonly bin: string;
}

async function npm(args: readonly string[], cwd: string): Promise<string> {
  try {
    const { stdout } = await run('npm', [...args], { cwd, maxBuffer: 64 * 1024 * 1024, timeout: 120_000 });
    return stdout;
  } catch (e) {
    const err = e as { stderr?: string; message: string };
    throw new Error(`npm ${args.join(' ')} (in ${cwd}) failed: ${err.message}\n${err.stderr ?? ''}`);
  }
}

export async function packAndInstall(workDir: string): Promise<PackedInstall> {
  if (!existsSync(join(repoRoot, 'dist/main.js'))) throw new Error('dist/ is missing: run `npm run build`');
  // --ignore-scripts: `prepare` would rebuild dist/ under the other tests that run it.
  const packed = JSON.parse(
    await npm(['pack', '--ignore-scripts', '--json', '--pack-destination', workDir], repoRoot),
  ) as Array<{ filename: string; files: PackedFile[] }>;
  const info = packed[0];
  if (!info) throw new Error('npm pack printed no package');
  const tarball = join(workDir, info.filename);
  const dir = join(workDir, 'consumer');
  await run('mkdir', ['-p', dir]);
  const spec = `file:../${basename(tarball)}`;
  const manifest = { name: 'consumer', private: true, type: 'module', dependencies: { tenantwire: spec } };
  writeFileSync(join(dir, 'package.json'), `${JSON.stringify(manifest)}\n`);
  writeFileSync(join(dir, 'package-lock.json'), `${JSON.stringify(consumerLock(manifest, tarball, spec))}\n`);
  // `npm ci` from that lock reads only tarballs, which the repository's own `npm ci` cached.
  await npm(['ci', '--omit=dev', '--offline', '--no-audit', '--no-fund'], dir);
  return {
    dir,
    tarball,
    files: info.files,
    packageDir: join(dir, 'node_modules/tenantwire'),
    bin: join(dir, 'node_modules/.bin/tenantwire'),
  };
}

interface LockEntry {
  readonly dev?: boolean;
  readonly [key: string]: unknown;
}

/**
 * The lock a user installing the tarball would get, with the versions this repository tests:
 * the repository's own lock without its dev-only entries, the tarball as the one direct
 * dependency. Without it an offline install would need the registry's package documents, which
 * `npm ci` never caches.
 */
function consumerLock(manifest: object, tarball: string, spec: string): object {
  const lock = JSON.parse(readFileSync(join(repoRoot, 'package-lock.json'), 'utf8')) as {
    packages: Record<string, LockEntry>;
  };
  const root = lock.packages[''] ?? {};
  const packages: Record<string, unknown> = {
    '': manifest,
    'node_modules/tenantwire': {
      version: root.version,
      resolved: spec,
      integrity: `sha512-${createHash('sha512').update(readFileSync(tarball)).digest('base64')}`,
      license: root.license,
      dependencies: root.dependencies,
      optionalDependencies: root.optionalDependencies,
      bin: root.bin,
      engines: root.engines,
    },
  };
  for (const [path, entry] of Object.entries(lock.packages)) {
    if (path !== '' && entry.dev !== true) packages[path] = entry;
  }
  return { name: 'consumer', lockfileVersion: 3, requires: true, packages };
}

/** Every package name under a node_modules folder (scoped ones as `@scope/name`). */
export function installedPackages(nodeModules: string): string[] {
  const names: string[] = [];
  for (const entry of readdirSync(nodeModules)) {
    if (entry.startsWith('.')) continue;
    if (entry.startsWith('@')) {
      for (const sub of readdirSync(join(nodeModules, entry))) names.push(`${entry}/${sub}`);
    } else names.push(entry);
  }
  return names.sort();
}
