// A guest has no identity of its own, yet the relay's control connection needs a client
// certificate. One self-signed certificate is made per process, the first time a guest dials a
// relay, and reused: it identifies nothing (the pinned host certificate is what protects the guest).
// @peculiar/x509 uses tsyringe, which needs the Reflect metadata polyfill loaded first.
import 'reflect-metadata';
import { KeyObject, randomBytes, webcrypto } from 'node:crypto';
import * as x509 from '@peculiar/x509';
import type { RelayIdentity } from './relay-control';

const ALGORITHM = { name: 'ECDSA', namedCurve: 'P-256', hash: 'SHA-256' } as const;
const DAY_MS = 24 * 3600 * 1000;

x509.cryptoProvider.set(webcrypto as unknown as Crypto);

let made: Promise<RelayIdentity> | undefined;

/** This process's throwaway client certificate and key. */
export function throwawayIdentity(): Promise<RelayIdentity> {
  if (made === undefined) {
    const making = createThrowawayIdentity();
    made = making;
    making.catch(() => {
      made = undefined; // a failure is not kept: the next dial tries again
    });
    return making;
  }
  return made;
}

async function createThrowawayIdentity(): Promise<RelayIdentity> {
  const keys = (await webcrypto.subtle.generateKey(ALGORITHM, true, ['sign', 'verify'])) as CryptoKeyPair;
  const now = Date.now();
  const cert = await x509.X509CertificateGenerator.createSelfSigned({
    serialNumber: `01${randomBytes(15).toString('hex')}`,
    name: 'CN=Porthole guest',
    notBefore: new Date(now - DAY_MS),
    notAfter: new Date(now + 365 * DAY_MS),
    signingAlgorithm: ALGORITHM,
    keys,
    extensions: [
      new x509.BasicConstraintsExtension(false, undefined, true),
      new x509.KeyUsagesExtension(x509.KeyUsageFlags.digitalSignature, true),
    ],
  });
  const keyPem = KeyObject.from(keys.privateKey as webcrypto.CryptoKey).export({ type: 'pkcs8', format: 'pem' }) as string;
  return { certPem: `${cert.toString('pem')}\n`, keyPem };
}
