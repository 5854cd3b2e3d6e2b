/**
 * Real bytes: Debian's Prometheus 2.42 scrapes itself every second and remote-writes into a
 * node:http capture server started here (answering 204). The captured bodies must carry the
 * 1.0 headers, decode with our codec (series such as `up` and `prometheus_build_info`, a
 * relabelled `tenant` label, metadata), re-encode to bytes protobufjs reads the same way, and
 * scan to the same series.
 */
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eventually } from '../helpers/eventually.js';
import { freePort, startPeer, tempDir, waitForHttp, type RunningPeer } from '../helpers/peers.js';
import { decodeWriteRequest } from '../../src/wire/decode-v1.js';
import { encodeWriteRequest } from '../../src/wire/encode-v1.js';
import { decodeUtf8, findLabelValue, scanWriteRequest } from '../../src/wire/scan.js';
import { snappyDecompress } from '../../src/wire/snappy.js';
import type { WriteRequest } from '../../src/wire/types.js';
import { canonical, pbDecodeV1Canonical } from '../wire/helpers/oracle.js';

interface Capture {
  readonly headers: IncomingHttpHeaders;
  readonly body: Uint8Array;
}

const tmp = tempDir('e2e-capture');
const captures: Capture[] = [];
let server: Server | undefined;
let prometheus: RunningPeer | undefined;
const WAIT_MS = 30_000;

function hasMetadata(): boolean {
  return captures.some((c) => {
    try {
      return decodeWriteRequest(snappyDecompress(c.body)).metadata.length > 0;
    } catch {
      return false;
    }
  });
}

beforeAll(async () => {
  server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      if (captures.length < 50) captures.push({ headers: req.headers, body: new Uint8Array(Buffer.concat(chunks)) });
      res.writeHead(204).end();
    });
  });
  await new Promise<void>((res) => server!.listen(0, '127.0.0.1', () => res()));
  const addr = server.address();
  const capturePort = typeof addr === 'object' && addr ? addr.port : 0;

  const promPort = await freePort();
  const cfg = join(tmp.path, 'prometheus.yml');
  writeFileSync(
    cfg,
    [
      'global: { scrape_interval: 1s, external_labels: { cluster: e2e } }',
      'scrape_configs:',
      '  - job_name: self',
      `    static_configs: [{ targets: ['127.0.0.1:${promPort}'] }]`,
      '    relabel_configs:',
      '      - { target_label: tenant, replacement: team-e2e }',
      'remote_write:',
      `  - url: http://127.0.0.1:${capturePort}/push`,
      '    queue_config: { batch_send_deadline: 1s }',
      '    metadata_config: { send_interval: 1s }',
      '',
    ].join('\n'),
  );
  prometheus = startPeer('prometheus', [
    `--config.file=${cfg}`,
    `--storage.tsdb.path=${join(tmp.path, 'data')}`,
    `--web.listen-address=127.0.0.1:${promPort}`,
  ]);
  await waitForHttp(`http://127.0.0.1:${promPort}/-/ready`, prometheus);
  await eventually(
    () => {
      expect(captures.length, `bodies captured\n${prometheus?.output().slice(-2000)}`).toBeGreaterThanOrEqual(3);
      expect(hasMetadata(), 'a captured body carries metadata').toBe(true);
    },
    { timeoutMs: WAIT_MS, intervalMs: 250, message: 'Prometheus to send 3 bodies and metadata' },
  );
}, 90_000);

afterAll(async () => {
  await prometheus?.stop();
  await new Promise<void>((res) => (server ? server.close(() => res()) : res()));
  tmp.remove();
});

describe('remote-write bodies captured from Prometheus 2.42', () => {
  it('captured a few bodies with the 1.0 headers', () => {
    expect(captures.length, prometheus?.output().slice(-2000)).toBeGreaterThanOrEqual(3);
    for (const c of captures) {
      expect(c.headers['content-encoding']).toBe('snappy');
      expect(c.headers['content-type']).toBe('application/x-protobuf');
      expect(c.headers['x-prometheus-remote-write-version']).toBe('0.1.0');
      expect(c.headers['user-agent']).toMatch(/Prometheus/);
    }
  });

  it('decodes them, finds up and prometheus_build_info with the tenant label, and metadata', () => {
    const reqs: WriteRequest[] = captures.map((c) => decodeWriteRequest(snappyDecompress(c.body)));
    const names = new Set(
      reqs.flatMap((r) => r.timeseries.map((s) => s.labels.find((l) => l.name === '__name__')?.value)),
    );
    expect(names.has('up')).toBe(true);
    expect(names.has('prometheus_build_info')).toBe(true);
    const up = reqs
      .flatMap((r) => r.timeseries)
      .find((s) => s.labels.some((l) => l.name === '__name__' && l.value === 'up'))!;
    expect(up.labels).toContainEqual({ name: 'tenant', value: 'team-e2e' });
    expect(up.labels).toContainEqual({ name: 'cluster', value: 'e2e' });
    expect(reqs.some((r) => r.metadata.length > 0)).toBe(true);
  });

  it("our decode -> encode is read by protobufjs as the same message, and is Prometheus's bytes", () => {
    for (const c of captures) {
      const raw = snappyDecompress(c.body);
      const ours = decodeWriteRequest(raw);
      const reencoded = encodeWriteRequest(ours);
      expect(pbDecodeV1Canonical(reencoded)).toBe(pbDecodeV1Canonical(raw));
      expect(canonical(decodeWriteRequest(reencoded))).toBe(canonical(ours));
      // gogoproto and our encoder agree on field order and defaults
      expect(Buffer.from(reencoded).equals(Buffer.from(raw))).toBe(true);
    }
  });

  it('the scanner finds the same series and the tenant label', () => {
    const tenant = [new TextEncoder().encode('tenant')];
    for (const c of captures) {
      const raw = snappyDecompress(c.body);
      const scan = scanWriteRequest(raw);
      const req = decodeWriteRequest(raw);
      expect(scan.seriesCount).toBe(req.timeseries.length);
      expect(scan.metadataCount).toBe(req.metadata.length);
      for (let i = 0; i < scan.seriesCount; i++) {
        const found = findLabelValue(scan, i, tenant);
        expect(found && decodeUtf8(raw, found.valueStart, found.valueEnd)).toBe('team-e2e');
      }
    }
  });
});
