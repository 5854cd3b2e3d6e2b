import { z } from 'zod';
import { isReceiver, type Receiver } from '../../src/component/receiver.js';
import type { ComponentDefinition } from '../../src/component/types.js';
import type { TimeSeries } from '../../src/wire/types.js';

/** Test components: a sink that records what it receives, a source that forwards to receivers. */
export interface Events {
  log: string[];
  received: Map<string, TimeSeries[]>;
}

export function fakeDefinitions(events: Events) {
  const sinkArgs = z.strictObject({ note: z.string().default('') });
  const sink: ComponentDefinition<z.output<typeof sinkArgs>, { receiver: Receiver }> = {
    kind: 'test.sink',
    args: sinkArgs,
    async build(options, args) {
      let current = args;
      const got: TimeSeries[] = [];
      events.received.set(options.id, got);
      const receiver: Receiver = {
        async pushRequest(req) {
          got.push(...req.timeseries);
        },
        async append(series) {
          got.push(...series);
        },
      };
      events.log.push(`build ${options.id} ${current.note}`);
      return {
        exports: { receiver },
        async update(next) {
          current = next;
          events.log.push(`update ${options.id} ${current.note}`);
        },
        async run(signal) {
          events.log.push(`run ${options.id}`);
          await new Promise<void>((r) => signal.addEventListener('abort', () => r(), { once: true }));
          events.log.push(`stop ${options.id}`);
        },
      };
    },
  };
  const sourceArgs = z.strictObject({
    forward_to: z.array(z.custom<Receiver>(isReceiver, { message: 'expected a receiver reference' })),
    port: z.number().int().optional(),
  });
  const source: ComponentDefinition<
    z.output<typeof sourceArgs>,
    { receiver: Receiver; targets: () => readonly Receiver[] }
  > = {
    kind: 'test.source',
    args: sourceArgs,
    async build(options, args) {
      let targets = args.forward_to;
      events.log.push(`build ${options.id}`);
      const receiver: Receiver = {
        async pushRequest(req, ctx) {
          await Promise.all(targets.map((t) => t.pushRequest(req, ctx)));
        },
        async append(series, ctx) {
          await Promise.all(targets.map((t) => t.append(series, ctx)));
        },
      };
      return {
        exports: { receiver, targets: () => targets },
        async update(next) {
          targets = next.forward_to;
          events.log.push(`update ${options.id}`);
        },
        async run(signal) {
          events.log.push(`run ${options.id}`);
          await new Promise<void>((r) => signal.addEventListener('abort', () => r(), { once: true }));
          events.log.push(`stop ${options.id}`);
        },
      };
    },
  };
  return [sink, source];
}
