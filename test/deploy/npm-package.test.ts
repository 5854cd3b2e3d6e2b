/**
 * The published package, installed from its tarball with production dependencies only: the CLI
 * serves and inspects, an ESM program and a TypeScript consumer use the public API through every
 * subpath. The container image runs this same install (see the Dockerfile), with its config.
 */
import { execFile } from 'node:child_process';
import { readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eventually } from '../helpers/eventually.js';
import { freePort, repoRoot, tempDir, waitForHttp } from '../helpers/peers.js';
import { startRecordingUpstream } from '../helpers/recording-upstream.js';
import { remoteWriteBody, series } from '../helpers/series.js';
import { startCommand } from '../helpers/tenantwire-process.js';
import { installedPackages, packAndInstall, type PackedInstall } from './packed-install.js';

const run = promisify(execFile);
const pkg = JSON.parse(readFileSync(join(repoRoot, 'package.json'), 'utf8')) as {
  dependencies: Record<string, string>;
  devDependencies: Record<string, string>;
  optionalDependencies?: Record<string, string>;
  exports: Record<string, unknown>;
};
const subpaths = Object.keys(pkg.exports)
  .filter((k) => k !== './package.json')
  .map((k) => (k === '.' ? 'tenantwire' : `tenantwire/${k.slice(2)}`));

const work = tempDir('npm-package');
let installed: PackedInstall;

beforeAll(async () => {
  installed = await packAndInstall(work.path);
}, 180_000);
afterAll(() => work.remove());

/** Every file under `dir`, relative to it, with its size and mtime: to see that nothing was written. */
function snapshot(dir: string): Map<string, string> {
  const out = new Map<string, string>();
  const walk = (d: string) => {
    for (const e of readdirSync(d, { withFileTypes: true })) {
      const p = join(d, e.name);
      if (e.isDirectory()) walk(p);
      else {
        const s = statSync(p);
        out.set(relative(dir, p), `${s.size}:${s.mtimeMs}`);
      }
    }
  };
  walk(dir);
  return out;
}

describe('the tarball', () => {
  it('ships the LICENSE, the build, the protos, and the sources its source maps name', () => {
    const paths = new Set(installed.files.map((f) => f.path));
    expect(paths.has('LICENSE')).toBe(true);
    expect(readFileSync(join(installed.packageDir, 'LICENSE'), 'utf8')).toContain('Apache License');
    expect(paths.has('dist/main.js')).toBe(true);
    expect(paths.has('proto/prometheus/remote.proto')).toBe(true);
    expect([...paths].filter((p) => /^(test|bench|examples|scripts|deploy|\.peers|node_modules)\//.test(p))).toEqual(
      [],
    );
    const maps = [...paths].filter((p) => p.endsWith('.map'));
    expect(maps.length).toBeGreaterThan(0);
    const missing: string[] = [];
    for (const map of maps) {
      const { sources } = JSON.parse(readFileSync(join(installed.packageDir, map), 'utf8')) as { sources: string[] };
      for (const s of sources) {
        const target = join(map, '..', s);
        if (!paths.has(target)) missing.push(`${map} -> ${target}`);
      }
    }
    expect(missing).toEqual([]);
  });

  it('installs production dependencies only: protobufjs and the dev tools stay out', () => {
    expect(pkg.dependencies.protobufjs).toBeUndefined();
    expect(pkg.devDependencies.protobufjs).toBeDefined();
    const names = installedPackages(join(installed.dir, 'node_modules'));
    for (const dev of Object.keys(pkg.devDependencies)) expect(names, dev).not.toContain(dev);
    for (const dep of Object.keys(pkg.dependencies)) expect(names, dep).toContain(dep);
  });
});

describe('the installed CLI', () => {
  it('`tenantwire --config FILE` serves with the image config and CT_* overrides, writing nothing outside its volume', async () => {
    const upstream = await startRecordingUpstream();
    const volume = tempDir('npm-package-volume');
    const port = await freePort();
    const metricsPort = await freePort();
    const before = snapshot(installed.dir);
    // The container's config file, the container's variables: only addresses differ.
    const tw = startCommand(installed.bin, ['--config', join(repoRoot, 'deploy/docker/cortex-tenant.yml')], {
      cwd: volume.path,
      env: {
        CT_LISTEN: `127.0.0.1:${port}`,
        CT_LISTEN_METRICS_ADDRESS: `127.0.0.1:${metricsPort}`,
        CT_TARGET: upstream.url,
        CT_TIMEOUT_SHUTDOWN: '0s',
        TENANTWIRE_WORKERS: '1',
        TENANTWIRE_DATA_DIR: volume.path,
        TENANTWIRE_QUEUE_DIR: 'queue',
      },
    });
    try {
      await waitForHttp(`http://127.0.0.1:${port}/ready`, undefined, 20_000).catch((e: Error) => {
        throw new Error(`${e.message}\n${tw.output()}`);
      });
      const body = remoteWriteBody([
        series({ __name__: 'up', __tenant__: 'a' }),
        series({ __name__: 'up', __tenant__: 'b' }),
      ]);
      const answer = await fetch(`http://127.0.0.1:${port}/api/v1/write`, {
        method: 'POST',
        body,
        headers: { 'content-encoding': 'snappy', 'content-type': 'application/x-protobuf' },
      });
      expect(answer.status).toBe(204);
      await eventually(() => expect(upstream.received.map((r) => r.tenant).sort()).toEqual(['a', 'b']), {
        timeoutMs: 15_000,
      });
      const metrics = await (await fetch(`http://127.0.0.1:${metricsPort}/metrics`)).text();
      expect(metrics).toMatch(/tenantwire_queue_pending_records\{[^}]*tenant="a"/);
      expect(readdirSync(join(volume.path, 'queue'))).toContain('worker-0');
      expect(await tw.stop(30_000)).toBe(0);
      // A read-only root filesystem works: the install tree is as it was.
      expect(snapshot(installed.dir)).toEqual(before);
    } finally {
      await tw.stop(5_000);
      await upstream.close();
      volume.remove();
    }
  }, 90_000);

  it('`tenantwire inspect` reads a remote-write file', async () => {
    const file = join(work.path, 'body.snappy');
    writeFileSync(file, remoteWriteBody([series({ __name__: 'up', __tenant__: 'red' }, [{ value: 1, timestamp: 1 }])]));
    const { stdout } = await run(installed.bin, ['inspect', file, '--json'], { timeout: 30_000 });
    const doc = JSON.parse(stdout) as {
      file: string;
      request: { timeseries: Array<{ labels: Array<{ name: string; value: string }> }> };
    };
    expect(doc.file).toBe(file);
    expect(doc.request.timeseries[0]?.labels).toContainEqual({ name: '__tenant__', value: 'red' });
    const summary = await run(installed.bin, ['inspect', file], { timeout: 30_000 });
    expect(summary.stdout).toContain(`==> ${file} <==`);
  }, 40_000);
});

describe('the public API from the tarball', () => {
  it('an ESM program imports every subpath and round-trips a request', async () => {
    const program = join(installed.dir, 'program.mjs');
    writeFileSync(
      program,
      [
        `const names = ${JSON.stringify(subpaths)};`,
        'const counts = {};',
        'for (const n of names) counts[n] = Object.keys(await import(n)).length;',
        "const { encodeWriteRequest, decodeWriteRequest, snappyCompress, snappyDecompress } = await import('tenantwire');",
        "const { isValidTenantId } = await import('tenantwire/tenant');",
        "const req = { timeseries: [{ labels: [{ name: '__name__', value: 'up' }], samples: [{ value: 2, timestamp: 5 }], exemplars: [], histograms: [] }], metadata: [] };",
        'const back = decodeWriteRequest(snappyDecompress(snappyCompress(encodeWriteRequest(req))));',
        "const version = (await import('tenantwire/package.json', { with: { type: 'json' } })).default.version;",
        "console.log(JSON.stringify({ counts, value: back.timeseries[0].samples[0].value, ok: isValidTenantId('team-a'), version }));",
      ].join('\n'),
    );
    const { stdout } = await run(process.execPath, [program], { cwd: installed.dir, timeout: 30_000 });
    const out = JSON.parse(stdout) as { counts: Record<string, number>; value: number; ok: boolean; version: string };
    for (const s of subpaths) expect(out.counts[s], s).toBeGreaterThan(0);
    expect(out).toMatchObject({ value: 2, ok: true });
    expect(out.version).toMatch(/^\d+\.\d+\.\d+/);
  }, 40_000);

  it.each(['nodenext', 'node10'])(
    'a TypeScript consumer type-checks against the shipped types (moduleResolution %s)',
    async (resolution) => {
      const dir = join(installed.dir, `ts-${resolution}`);
      await run('mkdir', ['-p', dir]);
      writeFileSync(
        join(dir, 'consumer.ts'),
        [
          "import { createRemoteWrite, encodeWriteRequest, type WriteRequest, type Transport } from 'tenantwire';",
          "import { decodeRequestV2, WireError, type RequestV2 } from 'tenantwire/wire';",
          "import { withBearerToken, composeTransport, createUndiciTransport } from 'tenantwire/transport';",
          "import { isValidTenantId, type TenantOptions } from 'tenantwire/tenant';",
          "import { createHost } from 'tenantwire/pipeline';",
          "import { parseCortexTenantConfig, type CortexTenantConfig } from 'tenantwire/proxy';",
          "import { decodePushJson } from 'tenantwire/loki';",
          "import { buildClusterConfig } from 'tenantwire/alerting';",
          'const req: WriteRequest = { timeseries: [], metadata: [] };',
          'const bytes: Uint8Array = encodeWriteRequest(req);',
          'const v2: RequestV2 | undefined = bytes.length > 1 ? decodeRequestV2(bytes) : undefined;',
          "const t: Transport = composeTransport(createUndiciTransport(), withBearerToken('x'));",
          "const config: CortexTenantConfig = parseCortexTenantConfig('target: http://127.0.0.1:1/push', 'inline');",
          'const opts: TenantOptions | undefined = undefined;',
          "const used = [createRemoteWrite, createHost, decodePushJson, buildClusterConfig, WireError, isValidTenantId('a'), v2, t, config.timeoutMs + 1, opts];",
          'export { used };',
          // A misuse must not compile: the types are real, not `any`.
          '// @ts-expect-error timeoutMs is a number',
          'const wrong: string = config.timeoutMs;',
          'export { wrong };',
        ].join('\n'),
      );
      const module = resolution === 'node10' ? 'commonjs' : 'nodenext';
      writeFileSync(
        join(dir, 'tsconfig.json'),
        JSON.stringify({
          compilerOptions: {
            target: 'ES2022',
            module,
            moduleResolution: resolution,
            strict: true,
            noEmit: true,
            skipLibCheck: false,
            esModuleInterop: true,
            types: ['node'],
            typeRoots: [join(repoRoot, 'node_modules/@types')],
          },
          files: ['consumer.ts'],
        }),
      );
      // node10 (commonjs) cannot `require` an ESM-only package at run time, but its types resolve
      // through typesVersions: this checks those declarations, not a runnable program.
      const tsc = join(repoRoot, 'node_modules/typescript/bin/tsc');
      const result = await run(process.execPath, [tsc, '-p', dir], { cwd: dir, timeout: 120_000 }).catch(
        (e: { stdout?: string; message: string }) => ({ stdout: e.stdout ?? e.message, failed: true }),
      );
      expect(result.stdout).toBe('');
      expect('failed' in result).toBe(false);
    },
    150_000,
  );
});
