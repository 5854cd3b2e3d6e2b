/**
 * The root of the public API is small and exported by name (the subpaths are checked against the
 * built package in test/entry/subpaths.test.ts), and the dependency rules of the architecture hold:
 * nothing inside src/ imports index.ts, only server/ imports fastify, only the undici transport
 * imports undici, the pure cores do no I/O, proxy/ and component/ reach the server only through
 * protocol/ (receive_http excepted, it owns a server), nothing below them imports them, and
 * there are no import cycles.
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative, resolve, dirname } from 'node:path';
import { describe, expect, it } from 'vitest';
import * as api from '../src/index.js';
import { repoRoot } from './helpers/peers.js';

const src = join(repoRoot, 'src');
function files(dir: string): string[] {
  return readdirSync(dir).flatMap((n) => {
    const p = join(dir, n);
    return statSync(p).isDirectory() ? files(p) : p.endsWith('.ts') && !p.endsWith('.d.ts') ? [p] : [];
  });
}
const all = files(src);
const importsOf = (file: string): string[] =>
  [...readFileSync(file, 'utf8').matchAll(/^\s*(?:import|export)\s[^'"]*?from\s+['"]([^'"]+)['"]/gm)].map((m) => m[1]!);
const rel = (f: string) => relative(src, f);

describe('public API', () => {
  const names = Object.keys(api);

  it('exports the common factories by name from the root', () => {
    for (const name of [
      'createRemoteWrite',
      'createUndiciTransport',
      'withTenantSplit',
      'decodeWriteRequest',
      'encodeRequestV2',
      'createTenantProxy',
      'createHost',
      'buildClusterConfig',
      'createAlertingSyncer',
    ]) {
      expect(typeof (api as Record<string, unknown>)[name], name).toBe('function');
    }
  });

  it('keeps the root small and leaves the internals out', () => {
    expect(names.length).toBeLessThanOrEqual(40);
    for (const internal of [
      'writeFieldHeader',
      'fieldHeaderSize',
      'decodeUtf8',
      'scanWriteRequest',
      'splitWire',
      'splitWriteRequest',
      'splitRequestV2',
      'splitPushRequest',
      'foldOutcomes',
    ]) {
      expect(names, internal).not.toContain(internal);
    }
  });
});

describe('dependency rules', () => {
  it('nothing inside src imports index.ts or the subpath entries', () => {
    const entry = (p: string) => p === join(src, 'index.js') || p.startsWith(`${join(src, 'entry')}/`);
    const offenders = all.filter((f) => importsOf(f).some((i) => entry(resolve(dirname(f), i))));
    expect(offenders.map(rel)).toEqual([]);
  });

  it('only server/ imports fastify, only the undici transport imports undici', () => {
    const fastify = all.filter((f) => importsOf(f).some((i) => i === 'fastify' || i.startsWith('@fastify/')));
    expect(fastify.map(rel).filter((f) => !f.startsWith('server/'))).toEqual([]);
    const undici = all.filter((f) => importsOf(f).includes('undici'));
    expect(undici.map(rel)).toEqual(['transport/undici-transport.ts']);
  });

  it('the pure cores do no I/O', () => {
    const io = /^(node:)?(fs|fs\/promises|net|http|https|child_process|cluster|dgram)$|^(fastify|undici|pino)$/;
    const pure = all.filter((f) => /^(wire|tenant|otlp)\//.test(rel(f)));
    const offenders = pure.filter((f) => importsOf(f).some((i) => io.test(i)));
    expect(offenders.map(rel)).toEqual([]);
  });

  /** Every relative import of every file as `from -> to`, both relative to src/. */
  const edges = all.flatMap((f) =>
    importsOf(f)
      .filter((i) => i.startsWith('.'))
      .map((i) => ({ from: rel(f), to: relative(src, resolve(dirname(f), i)) })),
  );
  const violations = (from: RegExp, to: RegExp, except: RegExp = /^$/) =>
    edges.filter((e) => from.test(e.from) && !except.test(e.from) && to.test(e.to)).map((e) => `${e.from} -> ${e.to}`);

  it('the layers below never import the layers above them', () => {
    const above: Record<string, RegExp> = {
      'server/': /^(proxy|component|cli)\//,
      'proxy/': /^(component|cli|server)\//,
      'component/': /^(cli)\//,
      'queue/': /^(proxy|component|cli|server|config)\//,
      'wal/': /^(queue|proxy|component|cli|server|transport|tenant|config|wire|protocol)\//,
      'transport/': /^(proxy|component|cli|server|alerting|queue|wal)\//,
      'tenant/': /^(proxy|component|cli|server|transport|alerting|config)\//,
      'protocol/': /^(proxy|component|cli|server|transport|alerting|config|tenant|loki|http)\//,
      'wire/': /^(proxy|component|cli|server|transport|alerting|config|tenant|loki|protocol|otlp)\//,
      // OTLP decoding and translation to remote-write series: a pure core beside wire/.
      'otlp/': /^(proxy|component|cli|server|transport|alerting|config|tenant|loki|protocol|queue|wal)\//,
    };
    const offenders = edges.filter((e) => {
      const layer = Object.keys(above).find((l) => e.from.startsWith(l));
      return layer !== undefined && above[layer]!.test(e.to);
    });
    expect(offenders.map((e) => `${e.from} -> ${e.to}`)).toEqual([]);
  });

  it('nothing below proxy/ and component/ imports them', () => {
    const below = /^(wire|tenant|transport|protocol|config|loki|alerting|http|queue|wal|otlp)\//;
    expect(violations(below, /^(proxy|component|server|cli)\//)).toEqual([]);
  });

  it('only the edge imports server/: the CLI, receive_http (which owns a server) and the public API', () => {
    // proxy/ and component/ meet the server through protocol/ (the write types, the headers).
    expect(
      violations(/./, /^server\//, /^(server\/|component\/receive-http\/|cli\/|entry\/|main\.ts$|index\.ts$)/),
    ).toEqual([]);
  });

  it('only the CLI, the component host and the public API read config/ (the file formats)', () => {
    // A default shared across layers lives in src/defaults.ts; zod error wording in src/zod-errors.ts.
    expect(violations(/./, /^config\//, /^(config\/|cli\/|entry\/|main\.ts$|index\.ts$)/)).toEqual([]);
  });

  it('has no import cycles', () => {
    const graph = new Map(
      all.map((f) => [
        f,
        importsOf(f)
          .filter((i) => i.startsWith('.'))
          .map((i) => resolve(dirname(f), i).replace(/\.js$/, '.ts')),
      ]),
    );
    const state = new Map<string, number>();
    const cycles: string[] = [];
    const visit = (f: string, path: string[]) => {
      if (state.get(f) === 2) return;
      if (state.get(f) === 1) {
        cycles.push([...path.slice(path.indexOf(f)), f].map(rel).join(' -> '));
        return;
      }
      state.set(f, 1);
      for (const d of graph.get(f) ?? []) visit(d, [...path, f]);
      state.set(f, 2);
    };
    for (const f of all) visit(f, []);
    expect(cycles).toEqual([]);
  });
});
