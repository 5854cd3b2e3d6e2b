/**
 * Every default is written once: the cortex-tenant file, prometheus.receive_http and the Loki
 * push path start from the wire limits, the remote_write tenant bound is the proxy's, and the
 * varint size the splitter uses is the wire layer's, exact past 32 bits.
 */
import { describe, expect, it } from 'vitest';
import { receiveHttpArgsSchema } from '../../src/component/receive-http/arguments.js';
import { remoteWriteArgsSchema } from '../../src/component/remote-write/arguments.js';
import { parseCortexTenantConfig } from '../../src/config/cortex-tenant.js';
import { DEFAULT_LOKI_LIMITS } from '../../src/loki/types.js';
import { DEFAULT_FAN_OUT } from '../../src/proxy/fan-out.js';
import { varintSize } from '../../src/wire/field-header.js';
import { DEFAULT_MAX_REQUEST_BYTES, DEFAULT_WIRE_LIMITS, MIB } from '../../src/wire/types.js';
import { createWriter } from '../../src/wire/writer.js';

describe('one place for every default', () => {
  it('keeps the documented numbers', () => {
    expect(DEFAULT_WIRE_LIMITS).toEqual({ maxDecodedBytes: 32 * MIB, maxElements: 2_000_000 });
    expect(DEFAULT_MAX_REQUEST_BYTES).toBe(32 * MIB);
    expect(DEFAULT_FAN_OUT.maxTenants).toBe(1000);
  });

  it('the receive paths start from the wire limits', () => {
    const c = parseCortexTenantConfig('', 'test.yml', { env: {} });
    expect([c.maxRequestBytes, c.maxDecodedBytes, c.maxDecodedElements]).toEqual([
      DEFAULT_MAX_REQUEST_BYTES,
      DEFAULT_WIRE_LIMITS.maxDecodedBytes,
      DEFAULT_WIRE_LIMITS.maxElements,
    ]);
    const r = receiveHttpArgsSchema.parse({ forward_to: [{ pushRequest: async () => {}, append: async () => {} }] });
    expect([r.max_request_bytes, r.max_decoded_bytes, r.max_decoded_elements]).toEqual([
      c.maxRequestBytes,
      c.maxDecodedBytes,
      c.maxDecodedElements,
    ]);
    expect(DEFAULT_LOKI_LIMITS).toEqual(DEFAULT_WIRE_LIMITS);
  });

  it('remote_write holds as many tenants as one proxied request may name', () => {
    const c = parseCortexTenantConfig('', 'test.yml', { env: {} });
    const rw = remoteWriteArgsSchema.parse({ endpoint: [{ url: 'http://127.0.0.1:9/api/v1/push' }] });
    expect(rw.endpoint[0]!.max_tenants).toBe(c.maxTenantsPerRequest);
    expect(c.maxTenantsPerRequest).toBe(DEFAULT_FAN_OUT.maxTenants);
  });
});

describe('varintSize', () => {
  it('matches the bytes a varint takes, past 32 bits too', () => {
    for (const v of [
      0,
      1,
      127,
      128,
      2 ** 14,
      2 ** 21 - 1,
      2 ** 28 - 1,
      2 ** 28,
      2 ** 32 - 1,
      2 ** 35 - 1,
      2 ** 35,
      2 ** 42,
      2 ** 49 + 3,
      Number.MAX_SAFE_INTEGER,
    ]) {
      let bytes = 1;
      for (let rest = v; rest >= 128; rest = Math.floor(rest / 128)) bytes++;
      expect(varintSize(v), String(v)).toBe(bytes);
    }
  });

  it('agrees with the writer', () => {
    for (const v of [0, 300, 2 ** 28, 2 ** 35, 2 ** 49]) {
      const w = createWriter();
      w.int64(v);
      expect(w.finish().length, String(v)).toBe(varintSize(v));
    }
  });
});
