import { describe, expect, it } from 'vitest';
import { createHost } from '../../../src/component/host.js';
import { createRegistry } from '../../../src/component/registry.js';
import { parseDuration } from '../../../src/component/pipeline/duration.js';
import { createSilentLogger } from '../../../src/logger.js';
import type { Receiver } from '../../../src/component/receiver.js';
import { fakeDefinitions, type Events } from '../fake-components.js';
import { eventually } from '../../helpers/eventually.js';

function setup() {
  const events: Events = { log: [], received: new Map() };
  const host = createHost({ registry: createRegistry(fakeDefinitions(events)), logger: createSilentLogger() });
  return { events, host };
}

const series = (v: number) => [
  { labels: [{ name: '__name__', value: 'up' }], samples: [{ value: v, timestamp: 1 }], exemplars: [], histograms: [] },
];

const WIRED = `
test.source:
  ingest:
    forward_to: [test.sink.a.receiver, test.sink.b.receiver]
test.sink:
  a: { note: first }
  b:
`;

describe('pipeline host', () => {
  it('builds in dependency order and wires references to exports', async () => {
    const { events, host } = setup();
    await host.reload(WIRED);
    expect(host.ids()).toEqual(['test.sink.a', 'test.sink.b', 'test.source.ingest']);
    expect(events.log).toEqual(['build test.sink.a first', 'build test.sink.b ', 'build test.source.ingest']);
    const receiver = host.exports('test.source.ingest')?.receiver as Receiver;
    await receiver.append(series(1));
    expect(events.received.get('test.sink.a')).toHaveLength(1);
    expect(events.received.get('test.sink.b')).toHaveLength(1);
  });

  it('runs every component and stops senders before sinks', async () => {
    const { events, host } = setup();
    await host.reload(WIRED);
    const ac = new AbortController();
    const done = host.run(ac.signal);
    await eventually(
      () =>
        expect(events.log.filter((l) => l.startsWith('run')).sort()).toEqual([
          'run test.sink.a',
          'run test.sink.b',
          'run test.source.ingest',
        ]),
      {
        message: 'every component to run',
      },
    );
    expect(host.health()['test.sink.a']?.state).toBe('healthy');
    ac.abort();
    await done;
    const stops = events.log.filter((l) => l.startsWith('stop'));
    expect(stops).toEqual(['stop test.source.ingest', 'stop test.sink.b', 'stop test.sink.a']);
  });

  it(
    'reload: unchanged left alone, changed updated, removed stopped, added started; receivers keep ' + 'identity',
    async () => {
      const { events, host } = setup();
      await host.reload(WIRED);
      const ac = new AbortController();
      const done = host.run(ac.signal);
      const before = host.exports('test.sink.a')?.receiver;
      const sourceBefore = host.exports('test.source.ingest')?.receiver;
      events.log.length = 0;
      await host.reload(`
test.source:
  ingest:
    forward_to: [test.sink.a.receiver, test.sink.c.receiver]
test.sink:
  a: { note: second }
  c: {}
`);
      await eventually(() => expect(events.log).toContain('run test.sink.c'), {
        message: 'the added component to run',
      });
      expect(events.log).toEqual([
        'stop test.sink.b',
        'update test.sink.a second',
        'build test.sink.c ',
        'run test.sink.c',
        'update test.source.ingest',
      ]);
      expect(host.exports('test.sink.a')?.receiver).toBe(before);
      expect(host.exports('test.source.ingest')?.receiver).toBe(sourceBefore);
      events.log.length = 0;
      await host.reload(`
test.sink:
  c: {}
  a: { note: second }
test.source:
  ingest:
    forward_to: [test.sink.a.receiver, test.sink.c.receiver]
`);
      expect(events.log).toEqual([]);
      ac.abort();
      await done;
    },
  );

  it('names unknown kinds, with a hint', async () => {
    const { host } = setup();
    await expect(host.reload('test.snk:\n  a: {}\n')).rejects.toThrow(
      /test\.snk: unknown component kind \(did you mean test\.sink\?\)/,
    );
  });

  it('names the argument path of a bad or unknown argument', async () => {
    const { host } = setup();
    await expect(host.reload('test.sink:\n  a: { note: 3 }\n')).rejects.toThrow(/^test\.sink\.a\.note: /);
    await expect(host.reload('test.sink:\n  a: { nope: 1 }\n')).rejects.toThrow(/test\.sink\.a: unknown key "nope"/);
    await expect(
      host.reload('test.sink:\n  a: { note: x }\ntest.source:\n  s: { forward_to: [test.sink.a.receiver], port: x }\n'),
    ).rejects.toThrow(/test\.source\.s\.port: /);
  });

  it('names dangling references, unknown exports and malformed references', async () => {
    const { host } = setup();
    await expect(host.reload('test.source:\n  s: { forward_to: [test.sink.zz.receiver] }\n')).rejects.toThrow(
      /test\.source\.s\.forward_to\[0\]: test\.sink\.zz\.receiver refers to test\.sink\.zz, which is not declared/,
    );
    await expect(
      host.reload('test.sink:\n  a:\ntest.source:\n  s: { forward_to: [test.sink.a.nothing] }\n'),
    ).rejects.toThrow(/test\.source\.s\.forward_to\[0\]: test\.sink\.a has no export "nothing"/);
    await expect(host.reload('test.source:\n  s: { forward_to: [test.sink.a] }\n')).rejects.toThrow(
      /not a reference of the form/,
    );
  });

  it('names reference cycles', async () => {
    const { host } = setup();
    await expect(
      host.reload(
        'test.source:\n  a: { forward_to: [test.source.b.receiver] }\n  b: { forward_to: [test.source.a.receiver] }\n',
      ),
    ).rejects.toThrow('reference cycle: test.source.a -> test.source.b -> test.source.a');
    await expect(host.reload('test.source:\n  a: { forward_to: [test.source.a.receiver] }\n')).rejects.toThrow(
      /reference cycle/,
    );
  });

  it('reports YAML errors with a line, and keeps the old pipeline after a failed reload', async () => {
    const { host } = setup();
    await host.reload(WIRED);
    await expect(host.reload('test.sink:\n  a: [\n')).rejects.toThrow(/not valid YAML at line/);
    await expect(host.reload('test.sink:\n  a: { bad: 1 }\n')).rejects.toThrow(/unknown key/);
    expect(host.ids()).toEqual(['test.sink.a', 'test.sink.b', 'test.source.ingest']);
  });

  it('parses durations', () => {
    expect(parseDuration('30ms')).toBe(30);
    expect(parseDuration('5s')).toBe(5000);
    expect(parseDuration('1m30s')).toBe(90_000);
    expect(parseDuration('1h')).toBe(3_600_000);
    expect(parseDuration('5')).toBeUndefined();
    expect(parseDuration('s')).toBeUndefined();
  });
});
