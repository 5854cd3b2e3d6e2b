import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import yaml from 'js-yaml';
import { afterAll, describe, expect, it } from 'vitest';
import { runAlertingCli } from '../../src/cli/alerting.js';
import { tempDir } from '../helpers/peers.js';
import { amtool } from './amtool-run.js';

const dir = tempDir('cli-render');
afterAll(() => dir.remove());
const capture = () => {
  const out: string[] = [];
  const err: string[] = [];
  return {
    out,
    err,
    io: { stdout: { write: (t: string) => out.push(t) }, stderr: { write: (t: string) => err.push(t) } },
  };
};
const fixture = new URL('../fixtures/alerting/model.yaml', import.meta.url).pathname;

describe('tenantwire alerting render', () => {
  it('writes alertmanager.yaml, templates and cortex-body.yaml per cluster id; amtool accepts each', async () => {
    const c = capture();
    expect(await runAlertingCli(['render', '--model', fixture, `--out=${dir.path}`], c.io)).toBe(0);
    expect(readdirSync(dir.path).sort()).toEqual(['UPSTREAM_CLUSTER_ID', 'c1', 'c2']);
    expect(c.out.join('')).toMatch(/^UPSTREAM_CLUSTER_ID [0-9a-f]{64}\n/);
    for (const id of ['UPSTREAM_CLUSTER_ID', 'c1', 'c2']) {
      const d = join(dir.path, id);
      expect(existsSync(join(d, 'opni.tmpl'))).toBe(true);
      const body = yaml.load(readFileSync(join(d, 'cortex-body.yaml'), 'utf8')) as {
        alertmanager_config: string;
        template_files: Record<string, string>;
      };
      expect(body.alertmanager_config).toBe(readFileSync(join(d, 'alertmanager.yaml'), 'utf8'));
      expect(Object.keys(body.template_files)).toEqual(['opni.tmpl']);
      const r = amtool(['check-config', join(d, 'alertmanager.yaml')]);
      expect(r.code, r.out).toBe(0);
    }
  });

  it('exits 2 with the failing key on a bad model, a missing file or a bad flag', async () => {
    const c = capture();
    expect(await runAlertingCli(['render', '--model', '/nonexistent.yaml', '--out', dir.path], c.io)).toBe(2);
    expect(await runAlertingCli(['render', '--model', fixture], c.io)).toBe(2);
    expect(c.err.join('')).toContain('--out is required');
    expect(await runAlertingCli(['render', '--bogus'], c.io)).toBe(2);
    expect(await runAlertingCli(['nope'], c.io)).toBe(2);
    const bad = join(dir.path, 'bad.yaml');
    const { writeFileSync } = await import('node:fs');
    writeFileSync(bad, 'default_hook: http://x/\nclusters: [{ id: "a|b", name: x }]\n');
    expect(await runAlertingCli(['render', '--model', bad, '--out', dir.path], c.io)).toBe(2);
    expect(c.err.join('')).toContain('clusters.0.id: not a valid Cortex tenant id');
  });
});
