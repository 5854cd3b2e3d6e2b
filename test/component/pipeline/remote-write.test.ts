import { afterEach, describe, expect, it } from 'vitest';
import { createHost } from '../../../src/component/host.js';
import { createDefaultRegistry } from '../../../src/component/default-registry.js';
import { createSilentLogger } from '../../../src/logger.js';
import type { Receiver } from '../../../src/component/receiver.js';
import { fakeDefinitions } from '../fake-components.js';
import { recordingTransport, sampleCount, series } from '../remote-write/recording-transport.js';

const pipeline = (deadline: string, maxPerSend: number) => `
test.source:
  ingest:
    forward_to: [prometheus.remote_write.cortex.receiver]
prometheus.remote_write:
  cortex:
    endpoint:
      - url: http://127.0.0.1:9/api/v1/push
        tenant: { label_list: [tenant, namespace], default: anonymous, label_remove: true }
    queue_config: { max_samples_per_send: ${maxPerSend}, batch_send_deadline: ${deadline} }
`;

let cleanup: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const c of cleanup.splice(0)) await c();
});

describe('pipeline with prometheus.remote_write', () => {
  it('wires a source to remote_write and names argument errors by path', async () => {
    const { transport } = recordingTransport();
    const host = createHost({
      registry: createDefaultRegistry({
        extra: fakeDefinitions({ log: [], received: new Map() }),
        remoteWrite: { transport },
      }),
      logger: createSilentLogger(),
    });
    await expect(
      host.reload(pipeline('5s', 2000).replace('http://127.0.0.1:9/api/v1/push', 'not a url')),
    ).rejects.toThrow(/^prometheus\.remote_write\.cortex\.endpoint\[0\]\.url: /);
    await expect(host.reload(pipeline('5x', 2000))).rejects.toThrow(
      /prometheus\.remote_write\.cortex\.queue_config\.batch_send_deadline: "5x" is not a duration/,
    );
    await expect(
      host.reload(pipeline('5s', 2000).replace('label_remove: true', 'label_remove: true, lable: x')),
    ).rejects.toThrow(/prometheus\.remote_write\.cortex\.endpoint\[0\]\.tenant: unknown key "lable"/);
    await host.reload(pipeline('5s', 2000));
    expect(host.ids()).toEqual(['prometheus.remote_write.cortex', 'test.source.ingest']);
  });

  it('hot reload keeps the receiver object and loses no queued sample', async () => {
    const { transport, sent } = recordingTransport();
    const host = createHost({
      registry: createDefaultRegistry({
        extra: fakeDefinitions({ log: [], received: new Map() }),
        remoteWrite: { transport },
      }),
      logger: createSilentLogger(),
    });
    await host.reload(pipeline('1h', 1000));
    const ac = new AbortController();
    const running = host.run(ac.signal);
    cleanup.push(async () => {
      ac.abort();
      await running;
    });
    const receiver = host.exports('prometheus.remote_write.cortex')?.receiver as Receiver;
    const source = host.exports('test.source.ingest')?.receiver as Receiver;
    let t = 0;
    const push = async (n: number) => {
      for (let i = 0; i < n; i++) {
        t++;
        await source.append([series('m', { tenant: `t${t % 3}` }, [[t, t]])]);
      }
    };
    await push(50);
    expect(sent).toHaveLength(0); // held by the 1h deadline
    await host.reload(pipeline('10ms', 7));
    expect(host.exports('prometheus.remote_write.cortex')?.receiver).toBe(receiver);
    await push(50);
    await host.reload(pipeline('10ms', 7)); // unchanged: left alone
    await push(20);
    ac.abort();
    await running;
    cleanup = [];
    expect(sampleCount(sent)).toBe(120);
    const tenants = new Set(sent.map((r) => r.request.headers['X-Scope-OrgID']));
    expect([...tenants].sort()).toEqual(['t0', 't1', 't2']);
  });
});
