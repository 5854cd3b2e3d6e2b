import type { ProtocolVersion } from '../wire/types.js';
import { V1_PROTO, V2_PROTO } from './headers.js';

/**
 * What a remote-write request's headers say about its body, decided the way Prometheus's own
 * receiver decides it: a missing Content-Type or Content-Encoding is tolerated as 1.0 with
 * snappy (old senders); an explicit other encoding or message type is refused with 415 so a
 * 2.0 sender can fall back to 1.0.
 */
export type Negotiated =
  | { readonly ok: true; readonly version: ProtocolVersion }
  | { readonly ok: false; readonly status: 415; readonly message: string };

export function negotiate(contentType: string | undefined, contentEncoding: string | undefined): Negotiated {
  const encoding = (contentEncoding ?? '').trim().toLowerCase();
  if (encoding !== '' && encoding !== 'snappy') {
    return refuse(
      `unsupported Content-Encoding "${printable(encoding)}": remote write bodies are snappy block compressed`,
    );
  }
  if (contentType === undefined || contentType.trim() === '') return { ok: true, version: '1.0' };
  const [mediaRaw, ...params] = contentType.split(';');
  const media = (mediaRaw ?? '').trim().toLowerCase();
  if (media !== 'application/x-protobuf') {
    return refuse(`unsupported Content-Type "${printable(contentType)}": expected application/x-protobuf`);
  }
  let proto: string | undefined;
  for (const p of params) {
    const eq = p.indexOf('=');
    if (eq < 0) continue;
    if (p.slice(0, eq).trim().toLowerCase() === 'proto')
      proto = p
        .slice(eq + 1)
        .trim()
        .replace(/^"|"$/g, '');
  }
  if (proto === undefined || proto === V1_PROTO) return { ok: true, version: '1.0' };
  if (proto === V2_PROTO) return { ok: true, version: '2.0' };
  return refuse(`unsupported remote write message type proto=${printable(proto)}: expected ${V1_PROTO} or ${V2_PROTO}`);
}

function refuse(message: string): Negotiated {
  return { ok: false, status: 415, message };
}

/** Header values echoed into messages are cut short and stripped of control characters. */
export function printable(value: string, max = 100): string {
  // eslint-disable-next-line no-control-regex
  const clean = value.replace(/[\u0000-\u001f\u007f]/g, '?');
  return clean.length > max ? `${clean.slice(0, max)}...` : clean;
}
