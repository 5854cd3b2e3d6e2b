/**
 * deploy/prometheus/tenantwire-rules.yml: checked by Debian's `promtool check rules` and
 * unit-tested by `promtool test rules` (each alert fires on a crafted series and stays quiet
 * on a healthy one).
 */
import { execFile } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import yaml from 'js-yaml';
import { afterAll, describe, expect, it } from 'vitest';
import { peerPath, repoRoot, tempDir } from '../helpers/peers.js';

const run = promisify(execFile);
const dir = join(repoRoot, 'deploy/prometheus');
const rulesPath = join(dir, 'tenantwire-rules.yml');
const testsPath = join(dir, 'tenantwire-rules.test.yml');

interface RuleTests {
  tests: Array<{ alert_rule_test?: Array<{ alertname: string; exp_alerts: unknown[] }> }>;
}

async function promtool(args: string[]): Promise<{ ok: boolean; output: string }> {
  return run(peerPath('promtool'), args, { cwd: dir, timeout: 60_000 }).then(
    (r) => ({ ok: true, output: r.stdout + r.stderr }),
    (e: { stdout?: string; stderr?: string; message: string }) => ({
      ok: false,
      output: `${e.stdout ?? ''}${e.stderr ?? e.message}`,
    }),
  );
}

describe('alert rules', () => {
  const work = tempDir('alert-rules');
  afterAll(() => work.remove());
  const alerts = (
    yaml.load(readFileSync(rulesPath, 'utf8')) as { groups: Array<{ rules: Array<{ alert?: string }> }> }
  ).groups.flatMap((g) => g.rules.map((r) => r.alert ?? ''));

  it('cover what the issue names', () => {
    expect(alerts).toEqual(
      expect.arrayContaining([
        'TenantwireDown',
        'TenantwireUpstreamErrors',
        'TenantwirePartialAcceptance',
        'TenantwireSamplesDropped',
        'TenantwireQueueSamplesDropped',
        'TenantwireOverloaded',
        'TenantwireQueueLag',
        'TenantwireQueueDiskHigh',
        'TenantwireQueueDiskFull',
      ]),
    );
  });

  it("pass `promtool check rules`, as a file and as the PrometheusRule's spec", async () => {
    const file = await promtool(['check', 'rules', rulesPath]);
    expect(file.output).toContain(`SUCCESS: ${alerts.length} rules found`);
    expect(file.ok).toBe(true);
    const cr = yaml.load(readFileSync(join(repoRoot, 'deploy/kubernetes/monitoring/prometheusrule.yaml'), 'utf8')) as {
      spec: unknown;
    };
    const fromCr = join(work.path, 'from-prometheusrule.yml');
    writeFileSync(fromCr, yaml.dump(cr.spec));
    const crCheck = await promtool(['check', 'rules', fromCr]);
    expect(crCheck.output).toContain(`SUCCESS: ${alerts.length} rules found`);
  }, 60_000);

  it('pass `promtool test rules`: every alert fires in a test and stays quiet in another', async () => {
    const tests = (yaml.load(readFileSync(testsPath, 'utf8')) as RuleTests).tests.flatMap(
      (t) => t.alert_rule_test ?? [],
    );
    for (const a of alerts) {
      expect(
        tests.some((t) => t.alertname === a && t.exp_alerts.length > 0),
        `${a} fires in a test`,
      ).toBe(true);
      expect(
        tests.some((t) => t.alertname === a && t.exp_alerts.length === 0),
        `${a} stays quiet in a test`,
      ).toBe(true);
    }
    const result = await promtool(['test', 'rules', testsPath]);
    expect(result.output).toContain('SUCCESS');
    expect(result.ok).toBe(true);
  }, 60_000);

  it('`promtool test rules` fails when an alert would not fire (the tests can fail)', async () => {
    const broken = join(work.path, 'broken-rules.yml');
    writeFileSync(
      broken,
      readFileSync(rulesPath, 'utf8').replace('up{job="tenantwire"} == 0', 'up{job="tenantwire"} == 2'),
    );
    const tests = join(work.path, 'broken.test.yml');
    writeFileSync(tests, readFileSync(testsPath, 'utf8').replace('  - tenantwire-rules.yml', `  - ${broken}`));
    const result = await promtool(['test', 'rules', tests]);
    expect(result.ok).toBe(false);
    expect(result.output).toContain('alertname: TenantwireDown');
  }, 60_000);
});
