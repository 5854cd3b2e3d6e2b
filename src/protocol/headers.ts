/**
 * The remote-write protocol's header names and values, written once: what every outgoing
 * remote-write request carries (the proxy's per-tenant forwards, the remote_write component's
 * batches and metadata), the default tenant header, and the Written headers of a 2.0 answer.
 */
import { USER_AGENT } from '../version.js';
import type { ProtocolVersion } from '../wire/types.js';

/** The tenant header Cortex, Mimir and Loki read, and every tenant-header setting's default. */
export const DEFAULT_TENANT_HEADER = 'X-Scope-OrgID';

/** The message type a 1.0 body declares in its Content-Type `proto` parameter (or leaves out). */
export const V1_PROTO = 'prometheus.WriteRequest';
export const V2_PROTO = 'io.prometheus.write.v2.Request';

export const REMOTE_WRITE_VERSION_HEADER = 'X-Prometheus-Remote-Write-Version';

/** What a 2.0 receiver answers with: how much of the request it wrote. */
export const WRITTEN_HEADERS = {
  samples: 'X-Prometheus-Remote-Write-Samples-Written',
  histograms: 'X-Prometheus-Remote-Write-Histograms-Written',
  exemplars: 'X-Prometheus-Remote-Write-Exemplars-Written',
} as const;

/** What a write holds (or what was written of it), counted as 2.0's Written headers count. */
export interface ItemCounts {
  readonly samples: number;
  readonly histograms: number;
  readonly exemplars: number;
}

/** The three Written headers a 2.0 sender reads from every answer. */
export function writtenHeaders(c: ItemCounts): Record<string, string> {
  return {
    [WRITTEN_HEADERS.samples]: String(c.samples),
    [WRITTEN_HEADERS.histograms]: String(c.histograms),
    [WRITTEN_HEADERS.exemplars]: String(c.exemplars),
  };
}

/** Samples, histograms and exemplars of a list of series, for metrics and Written headers. */
export function countItems(
  series: readonly {
    readonly samples: unknown[] | readonly unknown[];
    readonly histograms: readonly unknown[];
    readonly exemplars: readonly unknown[];
  }[],
): ItemCounts {
  let samples = 0;
  let histograms = 0;
  let exemplars = 0;
  for (const s of series) {
    samples += s.samples.length;
    histograms += s.histograms.length;
    exemplars += s.exemplars.length;
  }
  return { samples, histograms, exemplars };
}

const CONTENT_TYPE: Readonly<Record<ProtocolVersion, string>> = {
  '1.0': 'application/x-protobuf',
  '2.0': `application/x-protobuf;proto=${V2_PROTO}`,
};
const VERSION_VALUE: Readonly<Record<ProtocolVersion, string>> = { '1.0': '0.1.0', '2.0': '2.0.0' };

/** Content-Type of an outgoing request of a given version. */
export function contentTypeFor(version: ProtocolVersion): string {
  return CONTENT_TYPE[version];
}

/** X-Prometheus-Remote-Write-Version of an outgoing request of a given version. */
export function versionHeaderFor(version: ProtocolVersion): string {
  return VERSION_VALUE[version];
}

/**
 * The headers of every outgoing remote-write request of `version`: snappy, the version's
 * Content-Type and version header, tenantwire's User-Agent; then `extra` (tenant, request id).
 */
export function remoteWriteHeaders(
  version: ProtocolVersion,
  extra?: Readonly<Record<string, string>>,
): Record<string, string> {
  return {
    'Content-Encoding': 'snappy',
    'Content-Type': CONTENT_TYPE[version],
    [REMOTE_WRITE_VERSION_HEADER]: VERSION_VALUE[version],
    'User-Agent': USER_AGENT,
    ...extra,
  };
}
