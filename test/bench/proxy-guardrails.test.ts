import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { guardrailsConfig } from '../../bench/proxy/guardrails.js';
import { LABELS, TARGETS } from '../../bench/proxy/target-list.js';
import { tenantwireConfig } from '../../bench/proxy/targets.js';
import { parseCortexTenantConfig } from '../../src/config/cortex-tenant.js';
import { repoRoot } from '../helpers/peers.js';

const dirs: string[] = [];
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

describe('the guardrails row of the proxy suite', () => {
  it('writes a config tenantwire accepts, with mapping, ingress users and the header to send', () => {
    const dir = mkdtempSync(join(tmpdir(), 'bench-rails-'));
    dirs.push(dir);
    const rails = guardrailsConfig(dir);
    const yaml = tenantwireConfig(
      8080,
      { repoRoot, peersBin: '', sinkPushUrl: 'http://127.0.0.1:9/push', tenantLabel: 'tenant', workers: undefined },
      'wire',
      undefined,
      false,
      undefined,
      rails,
    );
    const config = parseCortexTenantConfig(yaml, 'bench.yml', { env: {} });
    expect(yaml).not.toContain('workers:');
    expect(JSON.stringify(config)).toContain('team-$1');
    expect(JSON.stringify(config)).toContain('bench.pass');
    expect(JSON.stringify(config)).toContain('1000000000');
    const [user, password] = Buffer.from(rails.authorization.replace(/^Basic /, ''), 'base64')
      .toString('utf8')
      .split(':');
    expect(user).toBe('bench');
    expect(password).toMatch(/\S+/);
  });

  it('is one of the default rows, so the quick run measures its cost too', () => {
    const row = TARGETS.find((t) => t.label === LABELS.guardrails);
    expect(row).toMatchObject({ guardrails: true, body: 'split' });
    expect(row?.fullOnly).toBeUndefined();
  });
});
