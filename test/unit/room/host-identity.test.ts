import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { X509Certificate, createHash, createPrivateKey, sign, verify } from 'node:crypto';
import { mkdir, mkdtemp, readFile, readdir, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createHostIdentity, fingerprintOf, loadOrCreateHostIdentity } from '../../../src-main/link/host-identity';

let root: string;
before(async () => {
  root = await mkdtemp(join(tmpdir(), 'porthole-identity-'));
});
after(async () => {
  await rm(root, { recursive: true, force: true });
});

const YEAR_MS = 365.25 * 24 * 3600 * 1000;

test('created on first use, in a directory that does not exist yet, as one private file', async () => {
  const dir = join(root, 'first', 'nested');
  const { identity, replacedDamaged } = await loadOrCreateHostIdentity(dir);
  assert.equal(replacedDamaged, undefined);
  assert.deepEqual(await readdir(dir), ['host-identity.pem'], 'no temporary file is left behind');
  assert.equal((await stat(join(dir, 'host-identity.pem'))).mode & 0o777, 0o600);
  assert.equal((await stat(dir)).mode & 0o077, 0, 'the identity directory is private');
  assert.equal(await readFile(join(dir, 'host-identity.pem'), 'utf8'), identity.keyPem + identity.certPem);
  assert.match(identity.fingerprint, /^[A-Za-z0-9_-]{43}$/);
});

test('kept: the second load returns the same identity and rewrites nothing', async () => {
  const dir = join(root, 'kept');
  const first = await loadOrCreateHostIdentity(dir);
  const fileStat = await stat(join(dir, 'host-identity.pem'));
  const second = await loadOrCreateHostIdentity(dir);
  assert.deepEqual(second, first);
  assert.equal((await stat(join(dir, 'host-identity.pem'))).mtimeMs, fileStat.mtimeMs);
  const other = await loadOrCreateHostIdentity(join(root, 'other'));
  assert.notEqual(other.identity.fingerprint, first.identity.fingerprint, 'each machine gets its own identity');
});

test('two first starts at once agree on one identity', async () => {
  const dir = join(root, 'race');
  const results = await Promise.all([1, 2, 3, 4].map(() => loadOrCreateHostIdentity(dir)));
  const fingerprints = new Set(results.map((r) => r.identity.fingerprint));
  assert.equal(fingerprints.size, 1);
  assert.deepEqual(await readdir(dir), ['host-identity.pem']);
});

test('an ECDSA P-256 self-signed certificate valid for about 20 years, whose key matches', async () => {
  const identity = await createHostIdentity();
  const cert = new X509Certificate(identity.certPem);
  const key = createPrivateKey(identity.keyPem);
  assert.equal(cert.publicKey.asymmetricKeyType, 'ec');
  assert.equal(cert.publicKey.asymmetricKeyDetails?.namedCurve, 'prime256v1');
  assert.equal(key.asymmetricKeyType, 'ec');
  assert.ok(cert.checkPrivateKey(key));
  assert.ok(cert.verify(cert.publicKey), 'self-signed');
  assert.equal(cert.ca, false);
  const validFrom = Date.parse(cert.validFrom);
  const validTo = Date.parse(cert.validTo);
  assert.ok(validFrom <= Date.now(), 'valid already');
  const years = (validTo - Date.now()) / YEAR_MS;
  assert.ok(years > 19.9 && years < 20.1, `valid for ${years.toFixed(2)} more years`);
  // The key really signs what the certificate's public key verifies.
  const signature = sign('sha256', Buffer.from('porthole'), key);
  assert.ok(verify('sha256', Buffer.from('porthole'), cert.publicKey, signature));
});

test('the fingerprint is the SHA-256 of the DER certificate, base64url', async () => {
  const identity = await createHostIdentity();
  const cert = new X509Certificate(identity.certPem);
  const expected = createHash('sha256').update(cert.raw).digest('base64url');
  assert.equal(identity.fingerprint, expected);
  assert.equal(fingerprintOf(cert.raw), expected);
  // Same value as OpenSSL's own fingerprint, written differently.
  assert.equal(Buffer.from(expected, 'base64url').toString('hex').toUpperCase(), cert.fingerprint256.replaceAll(':', ''));
  const another = await createHostIdentity();
  assert.notEqual(another.fingerprint, identity.fingerprint);
});

test('a damaged or half-written identity file is set aside and replaced, and the caller is told', async () => {
  const cases: Record<string, (pem: string) => string> = {
    garbage: () => 'not a certificate',
    'key only': (pem) => pem.slice(0, pem.indexOf('-----BEGIN CERTIFICATE-----')),
    truncated: (pem) => pem.slice(0, pem.length - 40),
  };
  for (const [label, damage] of Object.entries(cases)) {
    const dir = join(root, `damaged-${label.replace(' ', '-')}`);
    const before = await loadOrCreateHostIdentity(dir);
    const file = join(dir, 'host-identity.pem');
    const broken = damage(await readFile(file, 'utf8'));
    await writeFile(file, broken);
    const after = await loadOrCreateHostIdentity(dir);
    assert.ok(after.replacedDamaged, `${label}: reported`);
    assert.equal(await readFile(after.replacedDamaged!, 'utf8'), broken, `${label}: the damaged file is kept aside`);
    assert.notEqual(after.identity.fingerprint, before.identity.fingerprint);
    const cert = new X509Certificate(after.identity.certPem);
    assert.ok(cert.checkPrivateKey(createPrivateKey(after.identity.keyPem)), 'key and certificate belong together');
    assert.deepEqual((await loadOrCreateHostIdentity(dir)).identity, after.identity, 'and it is kept from then on');
    assert.equal((await stat(file)).mode & 0o777, 0o600);
  }
});

test('a key that does not belong to the certificate counts as damaged', async () => {
  const dir = join(root, 'mismatched');
  await mkdir(dir);
  const one = await createHostIdentity();
  const two = await createHostIdentity();
  await writeFile(join(dir, 'host-identity.pem'), one.keyPem + two.certPem);
  const loaded = await loadOrCreateHostIdentity(dir);
  assert.ok(loaded.replacedDamaged);
  assert.notEqual(loaded.identity.fingerprint, two.fingerprint);
});
