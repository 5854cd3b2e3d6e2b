import type { IncomingWrite } from '../protocol/write-types.js';
import type { CompiledTenantOptions } from '../tenant/options.js';
import { splitRequestV2 } from '../tenant/split-v2.js';
import { decodeRequestV2 } from '../wire/decode-v2.js';
import { encodeRequestV2 } from '../wire/encode-v2.js';
import { encodeWriteRequest } from '../wire/encode-v1.js';
import { v2ToV1 } from '../wire/convert.js';
import { snappyCompress, snappyDecompress } from '../wire/snappy.js';
import { declaredLength } from '../wire/snappy-preamble.js';
import { DEFAULT_WIRE_LIMITS, type ProtocolVersion, type RequestV2, type WireLimits } from '../wire/types.js';
import type { TenantSend } from './forward.js';
import type { SendPlan } from './plan-v1.js';

/**
 * Remote-write 2.0 in: decode (every ref bounds-checked), split with a symbol table per
 * tenant, and forward as 2.0 or converted to 1.0 (`forward_protocol`). The answer carries the
 * Written headers summed over the tenants, as a 2.0 sender expects.
 */
export function planV2(
  write: IncomingWrite,
  tenant: CompiledTenantOptions,
  limits: WireLimits,
  forwardProtocol: '1.0' | '2.0' | 'same',
): SendPlan {
  const req =
    write.decoded !== undefined && decodesAsIs(write.decoded, write.compressed, limits)
      ? write.decoded
      : decodeRequestV2(snappyDecompress(write.compressed, limits), limits);
  const split = splitRequestV2(req, tenant, write.sourceTenant);
  const out: ProtocolVersion = forwardProtocol === '1.0' ? '1.0' : '2.0';
  const passthrough = split.unchanged && out === '2.0';
  const sends: TenantSend[] = split.batches.map((b) => {
    const common = {
      tenant: b.tenant,
      version: out,
      series: b.series,
      sent: { samples: b.samples, histograms: b.histograms, exemplars: b.exemplars },
    };
    if (passthrough) return { ...common, body: write.compressed };
    // 1.0 goes out decompressed (compressed when sent, maybe joined with others); 2.0 bodies carry
    // their own symbol table and cannot be joined.
    return out === '2.0'
      ? { ...common, body: snappyCompress(encodeRequestV2(b.request)) }
      : { ...common, raw: encodeWriteRequest(v2ToV1(b.request)) };
  });
  return {
    sends,
    passthrough,
    metadataDropped: 0,
    missingTenantDropped: split.samplesDropped,
    emptyStatus: 204,
    answerProtocol: '2.0',
  };
}

const LONE_SURROGATE = /\p{Cs}/u;

/**
 * Whether decoding `compressed` would certainly give back `req` unchanged: within the byte
 * limit, within the element limit (counted as an upper bound of what the decoder counts), and
 * every symbol well-formed (UTF-8 encoding would replace a lone surrogate). Otherwise the body
 * is decoded as any other, so a refusal is the same one, with the same message.
 */
function decodesAsIs(req: RequestV2, compressed: Uint8Array, limits: WireLimits): boolean {
  if (declaredLength(compressed) > limits.maxDecodedBytes) return false;
  const max = limits.maxElements ?? DEFAULT_WIRE_LIMITS.maxElements;
  let n = req.symbols.length;
  for (const s of req.symbols) if (LONE_SURROGATE.test(s)) return false;
  for (const ts of req.timeseries) {
    n += 1 + ts.labelsRefs.length + ts.samples.length;
    for (const h of ts.histograms) {
      n += 1 + h.negativeSpans.length + h.negativeDeltas.length + h.negativeCounts.length;
      n += h.positiveSpans.length + h.positiveDeltas.length + h.positiveCounts.length + h.customValues.length;
    }
    for (const e of ts.exemplars) n += 1 + e.labelsRefs.length;
    if (n > max) return false;
  }
  return true;
}
