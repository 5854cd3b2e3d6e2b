/**
 * The package as a user gets it: each subpath in package.json `exports` is imported from the BUILT
 * dist/ by a separate Node process in a temp dir whose node_modules/tenantwire links to this repo,
 * and a TypeScript consumer there type-checks against the emitted declarations (NodeNext reads
 * `exports`, node10 reads `typesVersions`). Run `npm run build` first.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { repoRoot, tempDir } from '../helpers/peers.js';

/** Every runtime name each subpath exports; a change here is a change of the public API. */
const expected: Record<string, readonly string[]> = {
  wire: [
    'DEFAULT_WIRE_LIMITS',
    'LIMIT_ERROR_CODES',
    'LimitError',
    'STALE_NAN_BITS',
    'WIRE_ERROR_CODES',
    'WireError',
    'activeSnappyBackend',
    'decodeRequestV2',
    'decodeWriteRequest',
    'encodeRequestV2',
    'encodeWriteRequest',
    'isSnappyFramed',
    'selectSnappyBackend',
    'snappyCompress',
    'snappyDecompress',
    'v1ToV2',
    'v2ToV1',
  ],
  transport: [
    'TransportError',
    'composeTransport',
    'createDirectoryTransport',
    'createFetchTransport',
    'createRetryPolicy',
    'createUndiciTransport',
    'withBasicAuth',
    'withBearerToken',
    'withHeaders',
    'withRetry',
    'withTenantSplit',
  ],
  tenant: [
    'MAX_TENANT_ID_BYTES',
    'TenantError',
    'compileTenantOptions',
    'isValidTenantId',
    'normalizeTenantOptions',
    'tenantIdProblem',
    'tenantOptionsFrom',
    'tenantOptionsSchema',
  ],
  pipeline: [
    'BackPressureError',
    'ReceiverClosedError',
    'alertingCortexSyncDefinition',
    'createAlertingCortexSync',
    'createDefaultRegistry',
    'createHost',
    'createOtlpReceiveHttpDefinition',
    'createReceiveHttpDefinition',
    'createRegistry',
    'createRemoteWrite',
    'fanOutReceiver',
    'isReceiver',
    'remoteWriteArgsSchema',
    'remoteWriteDefinition',
    'remoteWriteDefinitionWith',
  ],
  proxy: [
    'ConfigError',
    'WRITTEN_HEADERS',
    'buildApp',
    'cortexTenantConfigFromEnv',
    'createHealthState',
    'createProxyMetrics',
    'createTenantProxy',
    'embeddedDefaultConfig',
    'loadCortexTenantConfig',
    'parseCortexTenantConfig',
    'redactConfig',
  ],
  loki: [
    'LOKI_ERROR_CODES',
    'createLokiMetrics',
    'createLokiProxy',
    'decodePushJson',
    'decodePushRequest',
    'encodePushJson',
    'encodePushRequest',
    'lokiNotConfigured',
    'parseStreamLabels',
    'printStreamLabels',
  ],
  alerting: [
    'AlertingError',
    'DEFAULT_CORTEX_PREFIX',
    'LEGACY_CORTEX_PREFIX',
    'alertingModelSchema',
    'buildAlertingAdminServer',
    'buildClusterConfig',
    'buildDefaultConfig',
    'cortexBody',
    'cortexBodyYaml',
    'createAlertingSyncer',
    'createAlertmanagerApi',
    'createCortexConfigClient',
    'createIncrementalBuilder',
    'lintForCortex',
    'parseAlertingModel',
    'renderCortexBlocks',
    'renderCortexConfigYaml',
    'renderVanillaArgs',
    'validateAlertingModel',
    'validateClusterConfiguration',
  ],
};
const INTERNALS = [
  'writeFieldHeader',
  'fieldHeaderSize',
  'decodeUtf8',
  'scanWriteRequest',
  'splitWire',
  'splitWriteRequest',
  'splitRequestV2',
  'splitPushRequest',
  'foldOutcomes',
];
const pkg = JSON.parse(readFileSync(join(repoRoot, 'package.json'), 'utf8')) as {
  exports: Record<string, { types: string; import: string } | string>;
  typesVersions: Record<string, Record<string, string[]>>;
};
const tmp = tempDir('tenantwire-subpaths-');
let exported: Record<string, string[]> = {};

beforeAll(() => {
  if (!existsSync(join(repoRoot, 'dist/index.js'))) throw new Error('dist/ is missing: run `npm run build` first');
  mkdirSync(join(tmp.path, 'node_modules'));
  symlinkSync(repoRoot, join(tmp.path, 'node_modules/tenantwire'), 'dir');
  // One process imports every specifier by its bare name, as a user's program would.
  const specifiers = ['tenantwire', ...Object.keys(expected).map((s) => `tenantwire/${s}`)];
  const script =
    `const out = {}; for (const s of ${JSON.stringify(specifiers)}) out[s] = Object.keys(await ` +
    `import(s)).sort(); console.log(JSON.stringify(out));`;
  const stdout = execFileSync(process.execPath, ['--input-type=module', '-e', script], {
    cwd: tmp.path,
    encoding: 'utf8',
    timeout: 30_000,
  });
  exported = JSON.parse(stdout) as Record<string, string[]>;
});
afterAll(() => tmp.remove());

describe('package.json exports', () => {
  it('maps the root and each subpath to dist/ with types, all emitted by the build', () => {
    expect(Object.keys(pkg.exports).sort()).toEqual(
      ['.', './package.json', ...Object.keys(expected).map((s) => `./${s}`)].sort(),
    );
    for (const [key, target] of Object.entries(pkg.exports)) {
      if (key === './package.json') continue;
      if (typeof target === 'string') throw new Error(`${key} has no types condition`);
      expect(target.import, key).toMatch(/^\.\/dist\/.+\.js$/);
      expect(target.types, key).toBe(target.import.replace(/\.js$/, '.d.ts'));
      expect(existsSync(join(repoRoot, target.import)), target.import).toBe(true);
      expect(existsSync(join(repoRoot, target.types)), target.types).toBe(true);
      if (key !== '.') expect(pkg.typesVersions['*']![key.slice(2)], key).toEqual([target.types.slice(2)]);
    }
  });
});

describe('importing the built package', () => {
  it.each(Object.keys(expected))('tenantwire/%s exports exactly its documented names', (subpath) => {
    expect(exported[`tenantwire/${subpath}`]).toEqual([...expected[subpath]!].sort());
  });

  it('the root exports at most 40 names, each also in a subpath, and no internals', () => {
    const root = exported.tenantwire!;
    expect(root.length).toBeGreaterThan(0);
    expect(root.length).toBeLessThanOrEqual(40);
    const everywhere = new Set([
      ...Object.values(expected).flat(),
      'TenantwireError',
      'isTenantwireError',
      'createLogger',
      'createSilentLogger',
    ]);
    expect(root.filter((n) => !everywhere.has(n))).toEqual([]);
    for (const names of Object.values(exported)) expect(names.filter((n) => INTERNALS.includes(n))).toEqual([]);
  });
});

describe('type-checking a consumer against the declarations', () => {
  const consumer = `import { createHost, type Host } from 'tenantwire/pipeline';
import {
  decodeWriteRequest,
  WIRE_ERROR_CODES,
  type WriteRequest,
  type WireLimits,
  type WireErrorCode,
} from 'tenantwire/wire';
import { createUndiciTransport, type Transport } from 'tenantwire/transport';
import { type TenantOptions } from 'tenantwire/tenant';
import { createTenantProxy, type CortexTenantConfig } from 'tenantwire/proxy';
import { decodePushRequest, type LokiPushRequest } from 'tenantwire/loki';
import { buildClusterConfig, type AlertingModel } from 'tenantwire/alerting';
import { createRemoteWrite, type Receiver } from 'tenantwire';
const code: WireErrorCode = WIRE_ERROR_CODES[0];
export type All = [
  Host,
  WriteRequest,
  WireLimits,
  Transport,
  TenantOptions,
  CortexTenantConfig,
  LokiPushRequest,
  AlertingModel,
  Receiver,
];
const request: WriteRequest = decodeWriteRequest(new Uint8Array());
// @ts-expect-error a wrong type must be an error, or this check proves nothing
const wrong: Transport = 42;
export const used = [
  createHost,
  createUndiciTransport,
  createTenantProxy,
  decodePushRequest,
  buildClusterConfig,
  createRemoteWrite,
  request,
  wrong,
  code,
];
`;
  const tsc = join(repoRoot, 'node_modules/typescript/bin/tsc');
  it.each([
    ['NodeNext (exports)', { module: 'NodeNext', moduleResolution: 'NodeNext' }],
    ['node10 (typesVersions)', { module: 'ES2022', moduleResolution: 'node10' }],
  ])(
    '%s',
    (name, options) => {
      const dir = join(tmp.path, name.split(' ')[0]!);
      mkdirSync(dir);
      writeFileSync(join(dir, 'package.json'), JSON.stringify({ type: 'module' }));
      writeFileSync(join(dir, 'consumer.ts'), consumer);
      const compilerOptions = {
        ...options,
        target: 'ES2022',
        strict: true,
        noEmit: true,
        skipLibCheck: true,
        types: [],
        preserveSymlinks: false,
      };
      writeFileSync(join(dir, 'tsconfig.json'), JSON.stringify({ compilerOptions, files: ['consumer.ts'] }));
      let out = '';
      try {
        execFileSync(process.execPath, [tsc, '-p', join(dir, 'tsconfig.json')], {
          cwd: dir,
          encoding: 'utf8',
          timeout: 60_000,
        });
      } catch (e) {
        out = String((e as { stdout?: string }).stdout ?? e);
      }
      expect(out).toBe('');
    },
    90_000,
  );
});
