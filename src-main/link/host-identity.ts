// @peculiar/x509 uses tsyringe, which needs the Reflect metadata polyfill loaded first.
import 'reflect-metadata';
import { KeyObject, X509Certificate, createHash, createPrivateKey, randomBytes, webcrypto } from 'node:crypto';
import { link, mkdir, readFile, rename, unlink, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import * as x509 from '@peculiar/x509';

/** The host's TLS certificate and key, and the fingerprint that invites pin. */
export interface HostIdentity {
  certPem: string;
  keyPem: string;
  /** SHA-256 of the DER certificate, base64url (43 characters). */
  fingerprint: string;
}

const IDENTITY_FILE = 'host-identity.pem';
const ALGORITHM = { name: 'ECDSA', namedCurve: 'P-256', hash: 'SHA-256' } as const;
const VALIDITY_YEARS = 20;

x509.cryptoProvider.set(webcrypto as unknown as Crypto);

/** SHA-256 fingerprint (base64url) of a DER-encoded certificate. */
export function fingerprintOf(der: Buffer): string {
  return createHash('sha256').update(der).digest('base64url');
}

/** Creates a self-signed ECDSA P-256 certificate, valid for long enough that pins never expire. */
export function createHostIdentity(): Promise<HostIdentity> {
  return createSelfSignedIdentity('Porthole host', VALIDITY_YEARS);
}

/** A self-signed ECDSA P-256 certificate named `commonName`, valid from yesterday for `years`. */
export async function createSelfSignedIdentity(commonName: string, years: number): Promise<HostIdentity> {
  const keys = (await webcrypto.subtle.generateKey(ALGORITHM, true, ['sign', 'verify'])) as CryptoKeyPair;
  const notBefore = new Date(Date.now() - 24 * 3600 * 1000);
  const notAfter = new Date(notBefore);
  notAfter.setFullYear(notAfter.getFullYear() + years);
  const cert = await x509.X509CertificateGenerator.createSelfSigned({
    serialNumber: randomBytes(16)
      .toString('hex')
      .replace(/^[89a-f]/, '1'),
    name: `CN=${commonName}`,
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
  const certPem = `${cert.toString('pem')}\n`;
  return { certPem, keyPem, fingerprint: fingerprintOf(Buffer.from(cert.rawData)) };
}

export interface StoredIdentity {
  identity: HostIdentity;
  /** Set when a damaged identity file was set aside and a new identity made. */
  replacedDamaged?: string;
}

/**
 * Loads the identity kept in `dir`, creating it on first use. Key and certificate live in one
 * file (mode 0600), published with a hard link so that it appears whole or not at all, and two
 * first starts at once agree on one identity.
 */
export async function loadOrCreateHostIdentity(dir: string): Promise<StoredIdentity> {
  const path = join(dir, IDENTITY_FILE);
  let text: string | undefined;
  try {
    text = await readFile(path, 'utf8');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw err;
  }
  if (text !== undefined) {
    const identity = parseIdentity(text);
    if (identity) return { identity };
    const aside = `${path}.damaged-${Date.now()}`;
    await rename(path, aside);
    return { ...(await createAndPublish(dir, path)), replacedDamaged: aside };
  }
  return createAndPublish(dir, path);
}

async function createAndPublish(dir: string, path: string): Promise<StoredIdentity> {
  const identity = await createHostIdentity();
  await mkdir(dir, { recursive: true, mode: 0o700 });
  const temp = `${path}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`;
  await writeFile(temp, identity.keyPem + identity.certPem, { mode: 0o600, flag: 'wx' });
  try {
    await link(temp, path);
    return { identity };
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
    // Another start published first: use its identity, so both print the same invites.
    const winner = parseIdentity(await readFile(path, 'utf8'));
    if (!winner) throw err;
    return { identity: winner };
  } finally {
    await unlink(temp);
  }
}

function parseIdentity(text: string): HostIdentity | undefined {
  const keyPem = text.match(/-----BEGIN PRIVATE KEY-----[^-]+-----END PRIVATE KEY-----\n?/)?.[0];
  const certPem = text.match(/-----BEGIN CERTIFICATE-----[^-]+-----END CERTIFICATE-----\n?/)?.[0];
  if (!keyPem || !certPem) return undefined;
  try {
    const cert = new X509Certificate(certPem);
    if (!cert.checkPrivateKey(createPrivateKey(keyPem))) return undefined;
    return { certPem, keyPem, fingerprint: fingerprintOf(cert.raw) };
  } catch {
    return undefined;
  }
}
