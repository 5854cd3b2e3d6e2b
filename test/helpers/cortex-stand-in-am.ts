/**
 * One real `prometheus-alertmanager` 0.25 process per tenant, for the Cortex stand-in: config
 * and template files written to a tenant directory, started on 127.0.0.1 with gossip off, and
 * reloaded through `POST /-/reload` when the tenant's config changes.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { freePort, peerEnv, peerPath, startProcess, waitForHttp } from './peers.js';
import type { RunningPeer } from './peers.js';

/**
 * Debian's build reads its default templates from the absolute path
 * /usr/share/prometheus/alertmanager/default.tmpl. When that file is not installed on the host,
 * the daemon runs in a private mount namespace where the extracted package's /usr/share is
 * overlaid on the host's (nothing changes outside that namespace).
 */
const DEBIAN_DEFAULT_TEMPLATE = '/usr/share/prometheus/alertmanager/default.tmpl';

export function startAlertmanagerProcess(args: string[]): RunningPeer {
  const bin = peerPath('prometheus-alertmanager');
  const share = join(dirname(dirname(bin)), 'share');
  const [cmd, argv] = existsSync(DEBIAN_DEFAULT_TEMPLATE)
    ? [bin, args]
    : [
        'unshare',
        [
          '--mount',
          '--propagation',
          'private',
          'sh',
          '-c',
          `mount -t overlay overlay -o lowerdir=${share}:/usr/share /usr/share && exec "$0" "$@"`,
          bin,
          ...args,
        ],
      ];
  return startProcess(cmd, argv);
}

export interface TenantFiles {
  readonly alertmanager_config: string;
  readonly template_files: Readonly<Record<string, string>>;
}

/** Writes the config and its templates into `dir` (templates beside the config, bare names). */
export function writeTenantFiles(dir: string, files: TenantFiles): string {
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir, { recursive: true });
  const file = join(dir, 'alertmanager.yaml');
  writeFileSync(file, files.alertmanager_config);
  for (const [name, text] of Object.entries(files.template_files)) writeFileSync(join(dir, name), text);
  return file;
}

/** Real validation with amtool check-config; returns its output when the config is invalid. */
export function checkWithAmtool(file: string): string | undefined {
  const r = spawnSync(peerPath('amtool'), ['check-config', file], {
    env: peerEnv(),
    encoding: 'utf8',
    timeout: 20_000,
  });
  return r.status === 0 ? undefined : `${r.stdout}${r.stderr}`.trim();
}

export interface TenantAlertmanager {
  readonly url: string;
  reload(files: TenantFiles): Promise<void>;
  stop(): Promise<void>;
}

export async function startTenantAlertmanager(
  root: string,
  tenant: string,
  files: TenantFiles,
): Promise<TenantAlertmanager> {
  const configDir = join(root, 'config', tenant);
  const storage = join(root, 'storage', tenant);
  mkdirSync(storage, { recursive: true });
  const file = writeTenantFiles(configDir, files);
  const port = await freePort();
  const url = `http://127.0.0.1:${port}`;
  const peer = startAlertmanagerProcess([
    `--config.file=${file}`,
    `--storage.path=${storage}`,
    `--web.listen-address=127.0.0.1:${port}`,
    '--cluster.listen-address=',
    '--log.level=warn',
  ]);
  try {
    await waitForHttp(`${url}/-/ready`, peer, 20_000);
  } catch (e) {
    await peer.stop();
    throw e;
  }
  return {
    url,
    async reload(next) {
      writeTenantFiles(configDir, next);
      const r = await fetch(`${url}/-/reload`, { method: 'POST', signal: AbortSignal.timeout(10_000) });
      if (!r.ok) throw new Error(`reload of ${tenant} failed: ${r.status} ${await r.text()}`);
    },
    stop: () => peer.stop(),
  };
}
