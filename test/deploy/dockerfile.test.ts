/**
 * The Dockerfile cannot be built here (no image registry): its instructions are checked against
 * the rules the image must follow, and what it runs is checked for real: the packed install
 * with the image's config (npm-package.test.ts), and the HEALTHCHECK script against a live process.
 */
import { execFile } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, describe, expect, it } from 'vitest';
import { parseCortexTenantConfig } from '../../src/config/cortex-tenant.js';
import { shutdownDeadlineMs } from '../../src/cli/shutdown-deadline.js';
import { repoRoot, tempDir } from '../helpers/peers.js';
import { startProxyCli } from '../helpers/tenantwire-process.js';
import { parseDockerfile, type Instruction } from './dockerfile.js';

const run = promisify(execFile);
const text = readFileSync(join(repoRoot, 'Dockerfile'), 'utf8');
const { stages } = parseDockerfile(text);
const final = stages[stages.length - 1];
const all = (keyword: string, list: readonly Instruction[] = final?.instructions ?? []) =>
  list.filter((i) => i.keyword === keyword);
const one = (keyword: string): Instruction => {
  const found = all(keyword);
  expect(found, `the final stage has exactly one ${keyword}`).toHaveLength(1);
  return found[0] as Instruction;
};
const imageConfigPath = '/etc/tenantwire/cortex-tenant.yml';
const imageConfigText = readFileSync(join(repoRoot, 'deploy/docker/cortex-tenant.yml'), 'utf8');
const imageConfig = parseCortexTenantConfig(imageConfigText, 'cortex-tenant.yml', { env: {} });

describe('Dockerfile', () => {
  it('is multi-stage: the runtime stage copies the installed package from an earlier stage', () => {
    expect(stages.length).toBeGreaterThanOrEqual(2);
    const names = stages.map((s) => s.name);
    const fromStages = all('COPY')
      .map((c) => /--from=(\S+)/.exec(c.args)?.[1])
      .filter((n): n is string => n !== undefined);
    expect(fromStages.length).toBeGreaterThan(0);
    for (const n of fromStages) expect(names).toContain(n);
    // No compiler, no dev dependencies in the runtime stage: it neither builds nor installs.
    expect(
      all('RUN')
        .map((r) => r.args)
        .join('\n'),
    ).not.toMatch(/npm (ci|install)|tsc|npm run build/);
  });

  it('installs production dependencies only, from the packed tarball', () => {
    const installs = stages.flatMap((s) => all('RUN', s.instructions)).filter((r) => /npm install/.test(r.args));
    expect(installs.length).toBeGreaterThan(0);
    for (const i of installs) {
      expect(i.args).toContain('--omit=dev');
      expect(i.args).toMatch(/\.tgz/);
    }
    expect(stages.flatMap((s) => all('RUN', s.instructions)).some((r) => /npm pack/.test(r.args))).toBe(true);
  });

  it('runs as a non-root user', () => {
    const user = one('USER').args.split(':')[0] ?? '';
    expect(['', '0', 'root']).not.toContain(user);
    // Numeric, so Kubernetes' runAsNonRoot can check it without reading /etc/passwd.
    expect(user).toMatch(/^\d+$/);
  });

  it('starts node directly (exec form, no shell), so SIGTERM reaches it, with the config path', () => {
    const entry = one('ENTRYPOINT').exec;
    expect(entry?.[0]).toBe('node');
    expect(entry?.[1]).toMatch(/node_modules\/tenantwire\/dist\/main\.js$/);
    const cmd = one('CMD').exec;
    expect(cmd).toEqual(['--config', imageConfigPath]);
    const stop = all('STOPSIGNAL');
    for (const s of stop) expect(s.args).toBe('SIGTERM');
    expect(text).not.toMatch(/\b(sh|bash) -c\b/);
    const copies = all('COPY').map((c) => c.args);
    expect(copies).toContain(`deploy/docker/cortex-tenant.yml ${imageConfigPath}`);
  });

  it('keeps every writable path on a volume: the data dir, which holds the queue', () => {
    const volumes = all('VOLUME').flatMap((v) => v.exec ?? v.args.split(/\s+/));
    expect(volumes).toContain(imageConfig.dataDir);
    // TENANTWIRE_QUEUE_DIR=queue (documented) lands under it.
    const queued = parseCortexTenantConfig(imageConfigText, 'cortex-tenant.yml', {
      env: { TENANTWIRE_QUEUE_DIR: 'queue' },
    });
    expect(queued.queue?.dir.startsWith(`${imageConfig.dataDir}/`)).toBe(true);
  });

  it("exposes the config's listeners and health-checks /ready on the listen port", () => {
    const exposed = all('EXPOSE').flatMap((e) => e.args.split(/\s+/));
    const port = (address: string | undefined) => address?.split(':').pop();
    expect(exposed).toContain(port(imageConfig.listen));
    expect(exposed).toContain(port(imageConfig.listenMetricsAddress));
    const check = one('HEALTHCHECK');
    expect(check.exec?.[0]).toBe('node');
    const script = readFileSync(join(repoRoot, 'deploy/docker/healthcheck.mjs'), 'utf8');
    expect(script).toContain(`http://127.0.0.1:${port(imageConfig.listen)}/ready`);
    expect(copiesTo(check.exec?.[1])).toBe(true);
  });

  it('documents the config path, the CT_* variables and a stop timeout above the shutdown deadline', () => {
    expect(text).toContain(imageConfigPath);
    expect(text).toMatch(/CT_\*/);
    const seconds = Number(/docker stop -t[^(]*\((\d+) s; queue mode (\d+) s\)/.exec(text)?.[1]);
    const queueSeconds = Number(/queue mode (\d+) s\)/.exec(text)?.[1]);
    expect(seconds * 1000).toBe(shutdownDeadlineMs(imageConfig));
    const queued = parseCortexTenantConfig(imageConfigText, 'c.yml', { env: { TENANTWIRE_QUEUE_DIR: 'queue' } });
    expect(queueSeconds * 1000).toBe(shutdownDeadlineMs(queued));
  });

  it('copies only files that exist and that .dockerignore lets through', () => {
    const ignore = readFileSync(join(repoRoot, '.dockerignore'), 'utf8')
      .split('\n')
      .map((l) => l.trim())
      .filter((l) => l !== '' && !l.startsWith('#'));
    expect(ignore[0]).toBe('*');
    const allowed = ignore.slice(1).map((l) => l.replace(/^!/, '').replace(/\/$/, ''));
    const sources = stages
      .flatMap((s) => all('COPY', s.instructions))
      .filter((c) => !c.args.includes('--from='))
      .flatMap((c) => c.args.split(/\s+/).slice(0, -1));
    expect(sources.length).toBeGreaterThan(0);
    for (const s of sources) {
      expect(existsSync(join(repoRoot, s)), s).toBe(true);
      expect(
        allowed.some((a) => s === a || s.startsWith(`${a}/`)),
        `${s} passes .dockerignore`,
      ).toBe(true);
    }
  });
});

function copiesTo(path: string | undefined): boolean {
  return path !== undefined && all('COPY').some((c) => c.args.endsWith(` ${path}`));
}

describe('the HEALTHCHECK script', () => {
  const dir = tempDir('healthcheck');
  afterAll(() => dir.remove());
  const script = join(repoRoot, 'deploy/docker/healthcheck.mjs');

  it('exits 0 while /ready answers 2xx and 1 once the process is gone', async () => {
    const { tw, port } = await startProxyCli(dir.path, 'http://127.0.0.1:1/push', []);
    const env = { ...process.env, TENANTWIRE_HEALTHCHECK_URL: `http://127.0.0.1:${port}/ready` };
    try {
      await run(process.execPath, [script], { env, timeout: 10_000 });
    } finally {
      await tw.stop();
    }
    const failed = await run(process.execPath, [script], { env, timeout: 10_000 }).then(
      () => undefined,
      (e: { code?: number; stderr?: string }) => e,
    );
    expect(failed?.code).toBe(1);
    expect(failed?.stderr).toContain(`127.0.0.1:${port}/ready`);
  }, 40_000);
});
