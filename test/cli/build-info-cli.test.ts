import { afterEach, describe, expect, it } from 'vitest';
import { cpSync, mkdirSync, readdirSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { VERSION } from '../../src/version.js';
import { freePort, repoRoot, tempDir, waitForHttp } from '../helpers/peers.js';
import { startCommand, startTenantwire } from '../helpers/tenantwire-process.js';

/**
 * The built CLI reports what it runs with on /metrics, and warns at start when the napi
 * `snappy` package is missing (run from a copy of dist/ whose node_modules lack it).
 */
const cleanups: (() => unknown)[] = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

async function configFile(dir: string, port: number, workers: number): Promise<string> {
  const path = join(dir, 'cortex-tenant.yml');
  writeFileSync(
    path,
    `listen: 127.0.0.1:${port}\nlisten_metrics_address: 127.0.0.1:${await freePort()}\ntarget: ` +
      `http://127.0.0.1:9/push\nworkers: ${workers}\nlog_level: info\ntimeout_shutdown: 0s\n`,
  );
  return path;
}

/** A copy of the app (package.json, dist/) whose node_modules hold everything but snappy. */
function appWithoutSnappy(dir: string): string {
  const app = join(dir, 'app');
  mkdirSync(join(app, 'node_modules'), { recursive: true });
  cpSync(join(repoRoot, 'package.json'), join(app, 'package.json'));
  cpSync(join(repoRoot, 'dist'), join(app, 'dist'), { recursive: true });
  for (const name of readdirSync(join(repoRoot, 'node_modules'))) {
    if (name === 'snappy' || name === '@napi-rs') continue;
    symlinkSync(join(repoRoot, 'node_modules', name), join(app, 'node_modules', name));
  }
  return join(app, 'dist/main.js');
}

describe('build info and the snappy backend, from the built CLI', () => {
  it('serves tenantwire_build_info = 1 with napi snappy, also summed over two workers, and no warning', async () => {
    const dir = tempDir('build-info');
    cleanups.push(() => dir.remove());
    const port = await freePort();
    const tw = startTenantwire(['--config', await configFile(dir.path, port, 2)]);
    cleanups.push(() => tw.stop(5_000));
    await waitForHttp(`http://127.0.0.1:${port}/alive`, undefined, 20_000);
    const text = await (await fetch(`http://127.0.0.1:${port}/metrics`)).text();
    expect(text).toContain(
      `tenantwire_build_info{version="${VERSION}",node_version="${process.version}",snappy_backend="napi"} 1\n`,
    );
    expect(tw.output()).not.toContain('fallback');
  }, 30_000);

  it('warns at start and reports snappy_backend="js" when the snappy package does not load', async () => {
    const dir = tempDir('build-info');
    cleanups.push(() => dir.remove());
    const main = appWithoutSnappy(dir.path);
    const port = await freePort();
    const tw = startCommand(process.execPath, [main, '--config', await configFile(dir.path, port, 1)]);
    cleanups.push(() => tw.stop(5_000));
    await waitForHttp(`http://127.0.0.1:${port}/alive`, undefined, 20_000).catch((e: Error) => {
      throw new Error(`${e.message}\n${tw.output()}`);
    });
    const text = await (await fetch(`http://127.0.0.1:${port}/metrics`)).text();
    expect(text).toMatch(/tenantwire_build_info\{[^}]*snappy_backend="js"\} 1\n/);
    const out = tw.output();
    const warning = out.split('\n').find((l) => l.includes('"level":"warn"') && l.includes('fallback'));
    expect(warning, out).toBeDefined();
    expect(warning).toMatch(/did not load \(Cannot find module 'snappy'/);
    expect(warning).toMatch(/5x slower/);
  }, 30_000);
});
