import { describe, expect, it } from 'vitest';
import { PassThrough } from 'node:stream';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { runInspect } from '../../src/cli/inspect.js';
import { encodeWriteRequest } from '../../src/wire/encode-v1.js';
import { repoRoot } from '../helpers/peers.js';
import { sampleBodies, sampleRequest } from '../fixtures/wire/make-samples.js';

const fixture = (name: string) => new Uint8Array(readFileSync(join(repoRoot, 'test/fixtures/wire', name)));

async function inspect(args: string[], files: Record<string, Uint8Array> = {}, stdinBytes?: Uint8Array) {
  const stdout = new PassThrough();
  const stderr = new PassThrough();
  const stdin = new PassThrough();
  let out = '';
  let err = '';
  stdout.on('data', (c: Buffer) => (out += c.toString()));
  stderr.on('data', (c: Buffer) => (err += c.toString()));
  stdin.end(stdinBytes ?? new Uint8Array(0));
  const code = await runInspect(args, {
    stdin,
    stdout,
    stderr,
    readFile: async (p) => {
      const f = files[p];
      if (!f) throw new Error(`ENOENT: ${p}`);
      return f;
    },
  });
  return { code, out, err };
}

describe('tenantwire inspect', () => {
  it('the bundled samples are what make-samples.ts generates', () => {
    const { v1, v2 } = sampleBodies();
    expect(Buffer.from(fixture('sample-v1.snappy')).equals(Buffer.from(v1))).toBe(true);
    expect(Buffer.from(fixture('sample-v2.snappy')).equals(Buffer.from(v2))).toBe(true);
  });

  it('summarizes a 1.0 snappy body with series per tenant', async () => {
    const r = await inspect(['s.snappy', '--tenant-label', 'tenant'], { 's.snappy': fixture('sample-v1.snappy') });
    expect(r.code).toBe(0);
    expect(r.out).toContain('remote-write 1.0 (snappy');
    expect(r.out).toMatch(/series: +14/);
    expect(r.out).toContain('1 stale markers');
    expect(r.out).toMatch(/histograms: 1/);
    expect(r.out).toMatch(/team-a: 5/);
  });

  it('detects 2.0 and raw protobuf, reads stdin, defaults to __tenant__', async () => {
    const v2 = await inspect(['s2'], { s2: fixture('sample-v2.snappy') });
    expect(v2.code).toBe(0);
    expect(v2.out).toContain('remote-write 2.0 (snappy');
    expect(v2.out).toContain('(label __tenant__)');
    expect(v2.out).toContain('(none): 14');
    const raw = await inspect(['-', '--tenant-label=tenant'], {}, encodeWriteRequest(sampleRequest()));
    expect(raw.code).toBe(0);
    expect(raw.out).toContain('remote-write 1.0 (raw protobuf');
  });

  it('prints JSON with StaleNaN and bigints as strings', async () => {
    const r = await inspect(['s', '--json'], { s: fixture('sample-v1.snappy') });
    expect(r.code).toBe(0);
    const doc = JSON.parse(r.out);
    expect(doc.version).toBe('1.0');
    const values = doc.request.timeseries.flatMap((s: { samples: { value: unknown }[] }) =>
      s.samples.map((x) => x.value),
    );
    expect(values).toContain('StaleNaN');
    const h = doc.request.timeseries.find((s: { histograms: unknown[] }) => s.histograms.length > 0).histograms[0];
    expect(h.countInt).toBe('12');
    expect(h.positiveDeltas).toEqual(['3', '2', '-1']);
    const v2 = JSON.parse((await inspect(['s', '--json'], { s: fixture('sample-v2.snappy') })).out);
    expect(v2.version).toBe('2.0');
    expect(v2.request.symbols[0]).toBe('');
  });

  it('bad input: message on stderr, exit 1; bad usage: exit 2', async () => {
    const junk = await inspect(['j'], { j: Uint8Array.from([0xff, 0xfe, 0x0b, 0x0c, 0x01]) });
    expect(junk.code).toBe(1);
    expect(junk.err).toContain('unknown_format');
    const framed = await inspect(['f'], {
      f: Uint8Array.from([0xff, 0x06, 0x00, 0x00, 0x73, 0x4e, 0x61, 0x50, 0x70, 0x59]),
    });
    expect(framed.code).toBe(1);
    expect(framed.err).toContain('framing format');
    const missing = await inspect(['nope']);
    expect(missing.code).toBe(1);
    expect(missing.err).toContain('cannot read nope');
    expect((await inspect([])).code).toBe(2);
    expect((await inspect(['a', '--bogus'])).code).toBe(2);
  });
});
