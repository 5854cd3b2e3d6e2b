import { countItems, writtenHeaders } from '../../protocol/headers.js';
import type { WriteAnswer, WriteHandler, IncomingWrite } from '../../protocol/write-types.js';
import { decodeWriteRequest } from '../../wire/decode-v1.js';
import { decodeRequestV2 } from '../../wire/decode-v2.js';
import { v2ToV1 } from '../../wire/convert.js';
import { snappyDecompress } from '../../wire/snappy.js';
import type { WireLimits, WriteRequest } from '../../wire/types.js';
import { fanOutReceiver, type Receiver } from '../receiver.js';

/**
 * The receive path of a pipeline: decode the body (2.0 is converted to 1.0 series) and push
 * the whole request into every `forward_to` receiver. Answers once the receivers accepted it
 * into their queues: 204, or what the error maps to (400 bad data or tenant, 503 + Retry-After when full).
 */
export function createReceiveHandler(
  current: () => { receivers: readonly Receiver[]; limits: WireLimits },
): WriteHandler {
  return async (write: IncomingWrite): Promise<WriteAnswer> => {
    const { receivers, limits } = current();
    const raw = snappyDecompress(write.compressed, limits);
    let request: WriteRequest;
    let written: Record<string, string> | undefined;
    if (write.version === '2.0') {
      request = v2ToV1(decodeRequestV2(raw, limits));
      written = writtenHeaders(countItems(request.timeseries));
    } else {
      request = decodeWriteRequest(raw, limits);
    }
    const target = receivers.length === 1 ? receivers[0]! : fanOutReceiver(receivers);
    await target.pushRequest(request, {
      ...(write.sourceTenant !== undefined ? { sourceTenant: write.sourceTenant } : {}),
      ...(write.rights !== undefined ? { rights: write.rights } : {}),
    });
    return written ? { status: 204, headers: written } : { status: 204 };
  };
}
