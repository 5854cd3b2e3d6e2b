import type { Counter, Registry } from 'prom-client';
import { counter } from './metric-builders.js';

/**
 * The OTLP ingest path's own metrics, on the proxy's registry. What the OTLP path hands on is a
 * remote write like any other, so the `cortex_tenant_timeseries_*` and `tenantwire_*` remote-write
 * metrics count it too; these count what only the OTLP edge sees: answers in OTLP terms and data
 * points before and after translation.
 */
export interface OtlpMetrics {
  /** `POST /v1/metrics` answered, by HTTP status (refusals at the edge included). */
  readonly requests: Counter<'code'>;
  readonly dataPointsReceived: Counter;
  readonly dataPointsTranslated: Counter;
  /** Points received but not written, by reason (the translator's reasons, and `tenant_stage`). */
  readonly dataPointsDropped: Counter<'reason'>;
}

export function createOtlpMetrics(registry: Registry): OtlpMetrics {
  return {
    requests: counter(
      registry,
      'tenantwire_otlp_requests_total',
      'OTLP/HTTP metrics exports (POST /v1/metrics) answered, by HTTP status.',
      ['code'],
    ),
    dataPointsReceived: counter(
      registry,
      'tenantwire_otlp_data_points_received_total',
      'OTLP metric data points decoded from exports that were handled.',
    ),
    dataPointsTranslated: counter(
      registry,
      'tenantwire_otlp_data_points_translated_total',
      'OTLP metric data points translated to remote-write series and handed to the tenant stage.',
    ),
    dataPointsDropped: counter(
      registry,
      'tenantwire_otlp_data_points_dropped_total',
      'OTLP metric data points received but not written, by reason: the translator reasons (delta ' +
        'temporality, invalid or unsupported points, ...), and tenant_stage (series the tenant stage ' +
        'dropped: no tenant, a forbidden tenant, a per-tenant limit; counted by reason in ' +
        'tenantwire_samples_dropped_total). Each is reported to the sender as partial success.',
      ['reason'],
    ),
  };
}
