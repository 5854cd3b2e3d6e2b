import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parseAlertingModel, validateAlertingModel } from '../../src/alerting/model.js';
import { isValidTenantId, tenantIdProblem } from '../../src/tenant/tenant-id.js';
import { ConfigError } from '../../src/errors.js';

const fixture = readFileSync(new URL('../fixtures/alerting/model.yaml', import.meta.url), 'utf8');
const base = () => ({
  default_hook: 'http://127.0.0.1:3000/hook',
  clusters: [{ id: 'c1', name: 'one' }],
  endpoints: [{ id: 'hook', webhook: { url: 'https://x.example/h' } }],
  conditions: [{ id: 'a', name: 'A', type: 'cpu', cluster: 'c1', severity: 'info', endpoints: ['hook'] }],
});

function messageOf(value: unknown): string {
  try {
    validateAlertingModel(value);
  } catch (e) {
    expect(e).toBeInstanceOf(ConfigError);
    expect((e as ConfigError).code).toBe('alerting_model_invalid');
    return (e as Error).message;
  }
  throw new Error('expected the model to be rejected');
}

describe('alerting model', () => {
  it('parses the fixture (YAML) and the same model as JSON', () => {
    const m = parseAlertingModel(fixture);
    expect(m.global_cluster_id).toBe('UPSTREAM_CLUSTER_ID');
    expect(m.conditions).toHaveLength(9);
    expect(parseAlertingModel(JSON.stringify(m))).toEqual(m);
  });

  it('defaults the global cluster id and the endpoint list of a condition', () => {
    const m = validateAlertingModel({
      ...base(),
      conditions: [{ id: 'b', name: 'B', type: 'monitoring_backend', severity: 'error' }],
    });
    expect(m.global_cluster_id).toBe('UPSTREAM_CLUSTER_ID');
    expect(m.conditions[0]?.endpoints).toEqual([]);
  });

  it('rejects unknown keys, naming the path', () => {
    expect(messageOf({ ...base(), extra: 1 })).toContain('(root): unknown key(s) "extra"');
    const m = base();
    (m.conditions[0] as Record<string, unknown>).delay = '1m';
    expect(messageOf(m)).toContain('conditions.0: unknown key(s) "delay"');
  });

  it('rejects unknown clusters and endpoints, and names the path', () => {
    const m = base();
    m.conditions[0]!.cluster = 'nope';
    m.conditions[0]!.endpoints = ['hook', 'ghost'];
    const msg = messageOf(m);
    expect(msg).toContain('conditions.0.cluster: unknown cluster "nope"');
    expect(msg).toContain('conditions.0.endpoints.1: unknown endpoint "ghost"');
  });

  it('puts backend conditions on the global id and every other condition on a known cluster', () => {
    expect(
      messageOf({
        ...base(),
        conditions: [{ id: 'b', name: 'B', type: 'logging_backend', cluster: 'c1', severity: 'error' }],
      }),
    ).toContain('conditions.0.cluster: a logging_backend condition belongs to the global cluster id');
    expect(messageOf({ ...base(), conditions: [{ id: 'b', name: 'B', type: 'memory', severity: 'error' }] })).toContain(
      'conditions.0.cluster: a memory condition must name a cluster',
    );
  });

  it('rejects duplicates, bad durations, endpoints with zero or two kinds', () => {
    const m = base();
    m.clusters.push({ id: 'c1', name: 'again' });
    expect(messageOf(m)).toContain('clusters.1.id: duplicate cluster id "c1"');
    expect(messageOf({ ...base(), conditions: [{ ...base().conditions[0], throttling: 'soon' }] })).toContain(
      'conditions.0.throttling',
    );
    expect(messageOf({ ...base(), conditions: [{ ...base().conditions[0], repeat: '0s' }] })).toContain(
      'conditions.0.repeat: must be greater than zero',
    );
    expect(messageOf({ ...base(), endpoints: [{ id: 'hook' }] })).toContain(
      'endpoints.0: an endpoint has exactly one of',
    );
    expect(
      messageOf({
        ...base(),
        endpoints: [
          {
            id: 'hook',
            webhook: { url: 'https://a.example' },
            slack: { webhook_url: 'https://b.example', channel: '#c' },
          },
        ],
      }),
    ).toContain('found slack, webhook');
  });

  it('refuses cluster ids that are not Cortex tenant ids', () => {
    for (const bad of ['.', '..', 'a|b', 'a\nb', 'a\rb', 'a/b', 'ä', 'x'.repeat(151), '']) {
      expect(isValidTenantId(bad), bad).toBe(false);
    }
    for (const good of ["a!-_.*'()Z9", 'x'.repeat(150), 'UPSTREAM_CLUSTER_ID'])
      expect(isValidTenantId(good), good).toBe(true);
    expect(tenantIdProblem('a|b')).toContain('"|"');
    expect(messageOf({ ...base(), clusters: [{ id: 'a|b', name: 'x' }], conditions: [] })).toContain(
      'clusters.0.id: not a valid Cortex tenant id',
    );
  });

  it('reports YAML syntax errors with their own code', () => {
    expect(() => parseAlertingModel('clusters: [')).toThrow(expect.objectContaining({ code: 'alerting_model_syntax' }));
  });
});
