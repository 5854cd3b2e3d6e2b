import type { IncomingMessage } from 'node:http';
import { LimitError, TenantwireError, WireError } from '../errors.js';
import type { ReceiveBudget } from '../protocol/write-types.js';

/**
 * Reads one request body as bytes, up to `maxBytes` (413 above, refused from Content-Length
 * before a byte is read), taking its bytes from `budget` as they arrive: when the budget is spent
 * by other requests the body is refused with 503 (the sender retries) instead of buffered.
 */
export function readRawBody(
  payload: IncomingMessage,
  maxBytes: number,
  budget: ReceiveBudget | undefined,
  done: (error: Error | null, body?: Buffer) => void,
): void {
  const declared = Number(payload.headers['content-length']);
  if (Number.isFinite(declared) && declared > maxBytes) {
    done(tooLarge(maxBytes));
    return;
  }
  const chunks: Buffer[] = [];
  let held = 0;
  let finished = false;
  const finish = (error: Error | null, body?: Buffer) => {
    if (finished) return;
    finished = true;
    payload.off('data', onData);
    budget?.giveReceived(held);
    // The rest of a refused body is read and thrown away by node:http, not kept.
    if (error) payload.resume();
    done(error, body);
  };
  const onData = (chunk: Buffer) => {
    if (held + chunk.length > maxBytes) return finish(tooLarge(maxBytes));
    if (budget && !budget.takeReceived(chunk.length, held)) {
      // queue_full: answered 503 + Retry-After like every other "we are full" refusal.
      return finish(
        new TenantwireError(
          'queue_full',
          `request bodies being received and handled already hold the bytes in flight budget ` +
            `(max_decoded_bytes_in_flight); retry later`,
        ),
      );
    }
    held += chunk.length;
    chunks.push(chunk);
  };
  payload.on('data', onData);
  payload.once('end', () => finish(null, chunks.length === 1 ? chunks[0] : Buffer.concat(chunks, held)));
  payload.once('error', (e: Error) =>
    finish(new WireError('body_unreadable', `cannot read the request body: ${e.message}`)),
  );
  payload.once('aborted', () =>
    finish(new WireError('body_aborted', 'the sender closed the connection before the body was complete')),
  );
}

function tooLarge(maxBytes: number): LimitError {
  return new LimitError('body_too_large', `request body larger than the limit of ${maxBytes} bytes`);
}
