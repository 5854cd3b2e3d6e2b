// The image's HEALTHCHECK: exit 0 when /ready answers 2xx within 2 s, else 1. Node has fetch,
// so the image needs no curl. TENANTWIRE_HEALTHCHECK_URL overrides the address (for a listen
// address other than the image's 0.0.0.0:8080).
const url = process.env.TENANTWIRE_HEALTHCHECK_URL || 'http://127.0.0.1:8080/ready';
try {
  const answer = await fetch(url, { signal: AbortSignal.timeout(2000) });
  await answer.body?.cancel();
  if (!answer.ok) {
    console.error(`${url}: ${answer.status}`);
    process.exit(1);
  }
} catch (e) {
  console.error(`${url}: ${e instanceof Error ? e.message : String(e)}`);
  process.exit(1);
}
