import { labelsHash } from './series-hash.js';

/**
 * An endpoint's `remote_name` label: its `name`, else a short hash of its URL (Prometheus does
 * the same), so that it stays the same across restarts: a durable endpoint's WAL lives under it.
 */
export function endpointName(args: { readonly name?: string | undefined; readonly url: string }): string {
  return (
    args.name ??
    labelsHash([{ name: 'url', value: args.url }])
      .toString(16)
      .padStart(8, '0')
      .slice(0, 6)
  );
}

/** The URL without user info, for labels and logs. */
export function redactUrl(url: string): string {
  try {
    const u = new URL(url);
    u.username = '';
    u.password = '';
    return u.toString();
  } catch {
    return url;
  }
}
