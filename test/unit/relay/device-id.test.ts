import { test } from 'node:test';
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { PortholeError } from '../../../src-main/wire/errors';
import { deviceIdOf, parseDeviceId } from '../../../src-main/relay/device-id';

// Printed by strelaysrv 1.19.2 on this machine; the SHA-256 of the DER certificate it made
// (`openssl x509 -in cert.pem -outform der | sha256sum`). The integration tests check a fresh one too.
const PRINTED = '77UQ6ZS-UXKK4IL-NX2BT3L-YZ5QWMF-FBWQ6HI-IQWG7UI-TCOLDCA-6PKCYQ3';
const CERT_SHA256 = Buffer.from('ffe90f6654ba95c436fa0cf6bc67b0b30a1b43c74221637e9313963103cf50b1', 'hex');

function rejects(text: string, sentence: RegExp): void {
  assert.throws(
    () => parseDeviceId(text),
    (err: unknown) => {
      assert.ok(err instanceof PortholeError, `not a PortholeError: ${String(err)}`);
      assert.equal(err.code, 'relay-invalid');
      assert.match(err.message, sentence, `for ${JSON.stringify(text)}`);
      return true;
    },
  );
}

test("a certificate's SHA-256 becomes the id strelaysrv prints, and back", () => {
  assert.equal(deviceIdOf(CERT_SHA256), PRINTED);
  assert.deepEqual(parseDeviceId(PRINTED), CERT_SHA256);
});

test('ids round-trip: 56 characters of A-Z and 2-7 in eight dashed groups of 7', () => {
  for (let i = 0; i < 200; i++) {
    const bytes = randomBytes(32);
    const id = deviceIdOf(bytes);
    assert.match(id, /^[A-Z2-7]{7}(-[A-Z2-7]{7}){7}$/);
    assert.deepEqual(parseDeviceId(id), bytes);
  }
});

test('lower case, missing dashes, spaces and the old form without check characters are accepted', () => {
  assert.deepEqual(parseDeviceId(PRINTED.toLowerCase()), CERT_SHA256);
  assert.deepEqual(parseDeviceId(PRINTED.replace(/-/g, '')), CERT_SHA256);
  assert.deepEqual(parseDeviceId(` ${PRINTED.replace(/-/g, ' ')} `), CERT_SHA256);
  const withoutChecks = PRINTED.replace(/-/g, '')
    .match(/.{14}/g)!
    .map((group) => group.slice(0, 13))
    .join('');
  assert.deepEqual(parseDeviceId(withoutChecks), CERT_SHA256);
});

test('a typo is caught by the check characters', () => {
  const chars = [...PRINTED];
  chars[3] = chars[3] === 'A' ? 'B' : 'A';
  rejects(chars.join(''), /typo/);
});

test('a wrong length or a foreign character is refused with a sentence saying so', () => {
  rejects(PRINTED.slice(0, -8), /49 characters long.*56/);
  rejects(`${PRINTED}-AAAAAAA`, /63 characters long/);
  rejects('', /0 characters long/);
  rejects(PRINTED.replace('U', '!'), /contains "!"/);
});

test('deviceIdOf wants exactly 32 bytes', () => {
  assert.throws(() => deviceIdOf(Buffer.alloc(31)), RangeError);
});
