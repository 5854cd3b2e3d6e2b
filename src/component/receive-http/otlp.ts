import type { Registry } from 'prom-client';
import type { Logger } from '../../logger.js';
import { normalizeOtlpOptions, type OtlpTranslateOptions } from '../../otlp/options.js';
import type { OtlpExportHandler } from '../../protocol/otlp-types.js';
import type { WriteHandler } from '../../protocol/write-types.js';
import { createOtlpHandler } from '../../proxy/otlp-handler.js';
import { createOtlpMetrics, type OtlpMetrics } from '../../proxy/otlp-metrics.js';
import type { ReceiveHttpArgs } from './arguments.js';

/**
 * The OTLP side of `otlp.receive_http`: the drop-in's OTLP handler (decode, translate, answer as
 * OTLP/HTTP specifies) in front of the receive path, which pushes the translated series into the
 * `forward_to` receivers; the arguments in force are read per export, so an update applies to
 * the next one without a restart of the server.
 */
export interface PipelineOtlp {
  readonly handler: OtlpExportHandler;
  readonly onAnswer: (status: number) => void;
  apply(args: ReceiveHttpArgs): void;
}

/** Several components share one registry: the OTLP metrics are made once per registry. */
const metricsByRegistry = new WeakMap<Registry, OtlpMetrics>();

function otlpMetricsOf(registry: Registry): OtlpMetrics {
  let m = metricsByRegistry.get(registry);
  if (!m) metricsByRegistry.set(registry, (m = createOtlpMetrics(registry)));
  return m;
}

export function createPipelineOtlp(write: WriteHandler, registry: Registry, logger: Logger): PipelineOtlp {
  const metrics = otlpMetricsOf(registry);
  let current: OtlpExportHandler | undefined;
  const build = (translation: OtlpTranslateOptions, args: ReceiveHttpArgs): OtlpExportHandler =>
    createOtlpHandler({
      write,
      translation,
      limits: { maxDecodedBytes: args.max_decoded_bytes, maxElements: args.max_decoded_elements },
      metrics,
      logger,
    });
  return {
    handler: (e) => {
      // The component applies its arguments before it listens.
      if (current === undefined) throw new Error('otlp.receive_http: no arguments applied yet');
      return current(e);
    },
    onAnswer: (status) => metrics.requests.inc({ code: String(status) }),
    apply(args) {
      current = build(normalizeOtlpOptions(args.otlp ?? undefined, 'otlp'), args);
    },
  };
}
