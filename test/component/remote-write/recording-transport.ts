import { decodeWriteRequest } from '../../../src/wire/decode-v1.js';
import { snappyDecompress } from '../../../src/wire/snappy.js';
import type { Transport, TransportRequest, TransportResult } from '../../../src/transport/types.js';
import type { TimeSeries, WriteRequest } from '../../../src/wire/types.js';

export interface Recorded {
  readonly at: number;
  readonly request: TransportRequest;
  readonly decoded: WriteRequest;
}

/** A transport that decodes and keeps every request; answers from `answer` (default 204). */
export function recordingTransport(
  answer: (req: TransportRequest, n: number) => TransportResult | Promise<TransportResult> = () => ok(),
) {
  const sent: Recorded[] = [];
  const transport: Transport = {
    async send(request) {
      const decoded = decodeWriteRequest(snappyDecompress(request.body ?? new Uint8Array()));
      sent.push({ at: Date.now(), request, decoded });
      return answer(request, sent.length);
    },
    async close() {},
  };
  return { transport, sent };
}

export const ok = (): TransportResult => ({ kind: 'response', status: 204, headers: {}, body: new Uint8Array() });
export const status = (s: number, retryAfterMs?: number): TransportResult =>
  retryAfterMs === undefined
    ? { kind: 'response', status: s, headers: {}, body: new TextEncoder().encode(`status ${s}`) }
    : { kind: 'response', status: s, headers: {}, body: new Uint8Array(), retryAfterMs };

export function series(name: string, extra: Record<string, string>, samples: [number, number][]): TimeSeries {
  const labels = [
    { name: '__name__', value: name },
    ...Object.entries(extra).map(([k, v]) => ({ name: k, value: v })),
  ].sort((a, b) => (a.name < b.name ? -1 : 1));
  return {
    labels,
    samples: samples.map(([timestamp, value]) => ({ timestamp, value })),
    exemplars: [],
    histograms: [],
  };
}

export const sampleCount = (sent: readonly Recorded[]): number =>
  sent.reduce((n, r) => n + r.decoded.timeseries.reduce((m, s) => m + s.samples.length, 0), 0);
