// @peculiar/x509 uses tsyringe, which needs the Reflect metadata polyfill loaded first.
import 'reflect-metadata';
import { KeyObject, X509Certificate, createHash, randomBytes, webcrypto } from 'node:crypto';
import { chmod, mkdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import * as x509 from '@peculiar/x509';

/** The host's TLS certificate and key, and the fingerprint that invites pin. */
export interface HostIdentity {
  certPem: string;
  keyPem: string;
  /** SHA-256 of the DER certificate, base64url (43 characters). */
  fingerprint: string;
}

const CERT_FILE = 'host-cert.pem';
const KEY_FILE = 'host-key.pem';
const ALGORITHM = { name: 'ECDSA', namedCurve: 'P-256', hash: 'SHA-256' } as const;
const VALIDITY_YEARS = 20;

x509.cryptoProvider.set(webcrypto as unknown as Crypto);

/** SHA-256 fingerprint (base64url) of a DER-encoded certificate. */
export function fingerprintOf(der: Buffer): string {
  return createHash('sha256').update(der).digest('base64url');
}

/** Creates a self-signed ECDSA P-256 certificate, valid for long enough that pins never expire. */
export async function createHostIdentity(): Promise<HostIdentity> {
  const keys = (await webcrypto.subtle.generateKey(ALGORITHM, true, ['sign', 'verify'])) as CryptoKeyPair;
  const notBefore = new Date(Date.now() - 24 * 3600 * 1000);
  const notAfter = new Date(notBefore);
  notAfter.setFullYear(notAfter.getFullYear() + VALIDITY_YEARS);
  const cert = await x509.X509CertificateGenerator.createSelfSigned({
    serialNumber: randomBytes(16).toString('hex').replace(/^[89a-f]/, '1'),
    name: 'CN=Porthole host',
    notBefore,
    notAfter,
    signingAlgorithm: ALGORITHM,
    keys,
    extensions: [
      new x509.BasicConstraintsExtension(false, undefined, true),
      new x509.KeyUsagesExtension(x509.KeyUsageFlags.digitalSignature, true),
    ],
  });
  const keyPem = KeyObject.from(keys.privateKey as webcrypto.CryptoKey).export({ type: 'pkcs8', format: 'pem' }) as string;
  const certPem = cert.toString('pem') + '\n';
  return { certPem, keyPem, fingerprint: fingerprintOf(Buffer.from(cert.rawData)) };
}

/** Loads the identity kept in `dir`, creating and saving one on first use. */
export async function loadOrCreateHostIdentity(dir: string): Promise<HostIdentity> {
  try {
    const [certPem, keyPem] = await Promise.all([
      readFile(join(dir, CERT_FILE), 'utf8'),
      readFile(join(dir, KEY_FILE), 'utf8'),
    ]);
    return { certPem, keyPem, fingerprint: fingerprintOf(new X509Certificate(certPem).raw) };
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw err;
  }
  const identity = await createHostIdentity();
  await mkdir(dir, { recursive: true, mode: 0o700 });
  await writeFile(join(dir, KEY_FILE), identity.keyPem, { mode: 0o600, flag: 'wx' });
  await chmod(join(dir, KEY_FILE), 0o600);
  await writeFile(join(dir, CERT_FILE), identity.certPem, { mode: 0o644, flag: 'wx' });
  return identity;
}
