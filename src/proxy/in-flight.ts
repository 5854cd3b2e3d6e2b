import { TenantwireError } from '../errors.js';
import type { ReceiveBudget } from '../protocol/write-types.js';

/**
 * cortex-tenant's `concurrency`: how many incoming requests one process handles at once, across
 * remote-write and Loki pushes; and tenantwire's `max_decoded_bytes_in_flight`: how many bytes
 * those requests may decode to together, counted from the length a snappy body declares before
 * anything is allocated. Past either, a request is refused at once (the route answers 503 with
 * Retry-After, which every sender retries) instead of queueing or allocating without bound. A
 * request alone always gets in (its own size is bounded by `max_decoded_bytes`). Bodies still
 * being received take their bytes from the same budget, so bodies arriving at once are bounded too.
 */
export interface InFlightLimit extends ReceiveBudget {
  readonly max: number;
  /** Takes a place (and `bytes` of the byte budget) or throws TenantwireError `queue_full`. */
  enter(bytes?: number): void;
  /** Gives back what `enter` took. */
  leave(bytes?: number): void;
}

export function createInFlightLimit(max: number, maxBytes = Number.POSITIVE_INFINITY): InFlightLimit {
  let inFlight = 0;
  let bytesInFlight = 0;
  return {
    max,
    enter(bytes = 0) {
      if (inFlight >= max) {
        throw new TenantwireError('queue_full', `too many requests in flight (concurrency ${max}); retry later`);
      }
      if (bytesInFlight > 0 && bytesInFlight + bytes > maxBytes) {
        throw new TenantwireError(
          'queue_full',
          `requests in flight already decode to ${bytesInFlight} bytes; this one declares ${bytes} more, past ` +
            `max_decoded_bytes_in_flight (${maxBytes}); retry later`,
        );
      }
      inFlight++;
      bytesInFlight += bytes;
    },
    leave(bytes = 0) {
      inFlight--;
      bytesInFlight -= bytes;
    },
    takeReceived(bytes, held) {
      // A body alone always gets in, as a request alone does.
      if (bytesInFlight > held && bytesInFlight + bytes > maxBytes) return false;
      bytesInFlight += bytes;
      return true;
    },
    giveReceived(bytes) {
      bytesInFlight -= bytes;
    },
  };
}
