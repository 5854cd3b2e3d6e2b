import { isTenantwireError, TenantwireError } from '../errors.js';
import type { Logger } from '../logger.js';
import { decodeOtlpMetrics } from '../otlp/decode.js';
import { inflateOtlpBody } from '../otlp/inflate.js';
import type { OtlpTranslateOptions } from '../otlp/options.js';
import { translateOtlp, type OtlpTranslation } from '../otlp/translate.js';
import type { IncomingOtlpExport, OtlpExportHandler } from '../protocol/otlp-types.js';
import type { ReceiveBudget, WriteAnswer, WriteHandler } from '../protocol/write-types.js';
import { encodeRequestV2 } from '../wire/encode-v2.js';
import { snappyCompress } from '../wire/snappy.js';
import type { RequestV2 } from '../wire/types.js';
import { otlpAnswerFor, otlpAnswerForError, type Written } from './otlp-status.js';
import type { OtlpMetrics } from './otlp-metrics.js';

export interface OtlpHandlerOptions {
  /**
   * The remote-write handler the translated request is handed to (the tenant proxy or queue
   * mode), built to forward 1.0 or 2.0: it gets a remote-write 2.0 request, so that its answer
   * carries the Written headers (what the tenant stage let through).
   */
  readonly write: WriteHandler;
  /** The `otlp:` block, normalized. */
  readonly translation: OtlpTranslateOptions;
  /** max_decoded_bytes bounds the inflated body, max_decoded_elements the decoded request. */
  readonly limits: { readonly maxDecodedBytes: number; readonly maxElements: number };
  readonly metrics: OtlpMetrics;
  readonly logger: Logger;
  /** The in-flight byte budget: the inflated body holds its bytes while it is decoded. */
  readonly budget?: ReceiveBudget;
}

/**
 * One OTLP/HTTP metrics export through the remote-write path: inflate (bounded), decode
 * (bounded), translate, encode as remote-write 2.0 and hand to the same handler the remote-write
 * routes use, so tenant resolution, rights, limits, fan-out and the queue apply unchanged; its
 * answer becomes an OTLP answer (otlp-status.ts). Bad input is a 400 Status, never a throw.
 */
export function createOtlpHandler(options: OtlpHandlerOptions): OtlpExportHandler {
  const { metrics, logger } = options;
  return async (e: IncomingOtlpExport): Promise<WriteAnswer> => {
    let translation: OtlpTranslation;
    let compressed: Uint8Array;
    try {
      translation = decodeAndTranslate(e, options);
      compressed = snappyCompress(encodeRequestV2(translation.request));
    } catch (error) {
      return refusal(e, error, logger);
    }
    metrics.dataPointsReceived.inc(translation.dataPoints);
    metrics.dataPointsTranslated.inc(translation.translated);
    for (const [reason, n] of Object.entries(translation.dropped)) {
      if (n > 0) metrics.dataPointsDropped.inc({ reason }, n);
    }
    let answer: WriteAnswer;
    try {
      answer = await options.write({
        version: '2.0',
        compressed,
        // The proxy splits this object instead of decompressing and decoding `compressed` again.
        decoded: translation.request,
        sourceTenant: e.sourceTenant,
        clientAddress: e.clientAddress,
        ...(e.rights ? { rights: e.rights } : {}),
        signal: e.signal,
      });
    } catch (error) {
      // What the remote-write route would answer for the same error (400, 403, 503 + Retry-After).
      const mapped = otlpAnswerForError(error);
      if (mapped.unexpected) {
        logger.error({ err: error, client: e.clientAddress }, 'unexpected error handling an OTLP metrics export');
      }
      answer = mapped;
    }
    const otlp = otlpAnswerFor(answer, translation, sentOf(translation.request), e.encoding);
    if (otlp.tenantDropped > 0) metrics.dataPointsDropped.inc({ reason: 'tenant_stage' }, otlp.tenantDropped);
    return otlp.answer;
  };
}

function decodeAndTranslate(e: IncomingOtlpExport, o: OtlpHandlerOptions): OtlpTranslation {
  const raw = inflateOtlpBody(e.body, e.coding, o.limits.maxDecodedBytes);
  // The inflated copy counts against the in-flight byte budget while it is decoded.
  const held = raw === e.body ? 0 : raw.byteLength;
  if (held > 0 && o.budget && !o.budget.takeReceived(held, 0)) {
    throw new TenantwireError(
      'queue_full',
      'request bodies being received and handled already hold the bytes in flight budget ' +
        '(max_decoded_bytes_in_flight); retry later',
    );
  }
  try {
    const request = decodeOtlpMetrics(raw, e.encoding, { maxElements: o.limits.maxElements });
    return translateOtlp(request, o.translation, { maxElements: o.limits.maxElements });
  } finally {
    if (held > 0) o.budget?.giveReceived(held);
  }
}

/** Samples and histograms of the translated request: what the tenant stage is handed. */
function sentOf(req: RequestV2): Written {
  let samples = 0;
  let histograms = 0;
  for (const ts of req.timeseries) {
    samples += ts.samples.length;
    histograms += ts.histograms.length;
  }
  return { samples, histograms };
}

/**
 * A body that cannot be taken, as a Status in the request's encoding. Whatever the decoders or
 * the translator throw is about the input: an error without a stable code (a bug they did not
 * guard) is still answered 400 with its message, and logged, never 500.
 */
function refusal(e: IncomingOtlpExport, error: unknown, logger: Logger): WriteAnswer {
  let answer: WriteAnswer;
  if (isTenantwireError(error)) {
    const mapped = otlpAnswerForError(error);
    answer = mapped.unexpected ? { status: 400, body: error.message } : mapped;
  } else {
    logger.error({ err: error, client: e.clientAddress }, 'OTLP metrics body not decoded: unexpected error');
    answer = { status: 400, body: error instanceof Error ? error.message : String(error) };
  }
  const body = answer.status === 400 ? `bad OTLP metrics export: ${String(answer.body)}` : answer.body;
  const empty = { translated: 0, dropped: {}, messages: [] };
  return otlpAnswerFor({ ...answer, ...(body !== undefined ? { body } : {}) }, empty, ZERO, e.encoding).answer;
}

const ZERO: Written = { samples: 0, histograms: 0 };
