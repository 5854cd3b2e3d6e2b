/**
 * A write plan carries what `on_missing: drop` dropped (samples plus histograms), the same for
 * the wire split, the decode split and 2.0, so that the proxy can count it; a request whose
 * series were all dropped plans no sends and answers 204.
 */
import { describe, expect, it } from 'vitest';
import { planV1Decode, planV1Wire } from '../../src/proxy/plan-v1.js';
import { planV2 } from '../../src/proxy/plan-v2.js';
import type { IncomingWrite } from '../../src/protocol/write-types.js';
import { compileTenantOptions, normalizeTenantOptions } from '../../src/tenant/options.js';
import { DEFAULT_WIRE_LIMITS } from '../../src/wire/types.js';
import { remoteWriteBody, sample, series } from '../helpers/series.js';

const tenant = compileTenantOptions(
  normalizeTenantOptions({ label: 'ns', mapping: [{ match: 'team-(.+)', tenant: '$1' }], on_missing: 'drop' }),
);

const write = (version: '1.0' | '2.0', ...s: ReturnType<typeof series>[]): IncomingWrite => ({
  version,
  compressed: remoteWriteBody(s, { version }),
  sourceTenant: undefined,
  clientAddress: '127.0.0.1',
  signal: new AbortController().signal,
});

const plans = {
  wire: (w: IncomingWrite) => planV1Wire(w, tenant, DEFAULT_WIRE_LIMITS),
  decode: (w: IncomingWrite) => planV1Decode(w, tenant, DEFAULT_WIRE_LIMITS),
  '2.0': (w: IncomingWrite) => planV2(w, tenant, DEFAULT_WIRE_LIMITS, 'same'),
};

describe.each(Object.entries(plans))('%s plan with on_missing: drop', (name, plan) => {
  const version = name === '2.0' ? '2.0' : '1.0';

  it('sends the mapped tenants and reports the dropped samples', () => {
    const p = plan(
      write(
        version,
        series({ __name__: 'up', ns: 'team-a' }),
        series({ __name__: 'up', job: 'x' }, [sample(1), sample(2, 1_700_000_001_000)]),
      ),
    );
    expect(p.sends.map((s) => s.tenant)).toEqual(['a']);
    expect(p.missingTenantDropped).toBe(2);
    expect(p.passthrough).toBe(false);
  });

  it('plans nothing and answers 204 when every series is dropped', () => {
    const p = plan(write(version, series({ __name__: 'up', job: 'x' })));
    expect(p.sends).toEqual([]);
    expect(p.missingTenantDropped).toBe(1);
    expect(p.emptyStatus).toBe(204);
  });
});
