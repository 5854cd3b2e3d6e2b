/**
 * A throwaway self-signed certificate for 127.0.0.1 (openssl, one day), for tests of TLS ingress
 * and https upstreams. Returns the paths of the key and the certificate written into `dir`.
 */
import { execFileSync } from 'node:child_process';
import { join } from 'node:path';

export function makeSelfSignedCert(dir: string, name = 'server'): { key: string; cert: string } {
  const key = join(dir, `${name}.key`);
  const cert = join(dir, `${name}.crt`);
  const subject = ['-subj', '/CN=127.0.0.1', '-addext', 'subjectAltName=IP:127.0.0.1'];
  const args = [
    'req',
    '-x509',
    '-newkey',
    'rsa:2048',
    '-nodes',
    '-keyout',
    key,
    '-out',
    cert,
    '-days',
    '1',
    ...subject,
  ];
  execFileSync('openssl', args, { stdio: 'ignore' });
  return { key, cert };
}
