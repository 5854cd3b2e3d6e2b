import type { IncomingWrite } from '../protocol/write-types.js';
import type { CompiledTenantOptions } from '../tenant/options.js';
import { splitRequestV2 } from '../tenant/split-v2.js';
import { decodeRequestV2 } from '../wire/decode-v2.js';
import { encodeRequestV2 } from '../wire/encode-v2.js';
import { encodeWriteRequest } from '../wire/encode-v1.js';
import { v2ToV1 } from '../wire/convert.js';
import { snappyCompress, snappyDecompress } from '../wire/snappy.js';
import type { ProtocolVersion, WireLimits } from '../wire/types.js';
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
  const raw = snappyDecompress(write.compressed, limits);
  const req = decodeRequestV2(raw, limits);
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
