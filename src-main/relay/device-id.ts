// Syncthing's device ID text: the 32-byte SHA-256 of a certificate in base32 (RFC 4648, no
// padding: 52 characters), cut into four groups of 13, each followed by a Luhn mod-32 check
// character (56), written in eight groups of 7 joined by dashes. A relay's URI names the relay
// this way (`?id=…`), and a host joined to a relay is known there by its own certificate's hash.
import { PortholeError } from '../wire/errors';

const ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567';
const ID_BYTES = 32;
const PLAIN_LENGTH = 52;
const CHECKED_LENGTH = 56;
const GROUP = 13;

/** The device ID text of a certificate's SHA-256 (32 bytes), as Syncthing and strelaysrv print it. */
export function deviceIdOf(sha256: Buffer): string {
  if (sha256.length !== ID_BYTES) throw new RangeError(`A device id is made from 32 bytes, not ${sha256.length}.`);
  const plain = base32(sha256);
  let checked = '';
  for (let at = 0; at < PLAIN_LENGTH; at += GROUP) {
    const group = plain.slice(at, at + GROUP);
    checked += group + luhn32(group);
  }
  return checked.match(/.{7}/g)!.join('-');
}

/**
 * The 32 bytes a device ID names. Forgiving as Syncthing is: lower case, missing dashes or spaces,
 * the old form without check characters, and 0/1/8 typed for O/I/B. Throws a PortholeError
 * `relay-invalid` that says what is wrong.
 */
export function parseDeviceId(text: string): Buffer {
  const cleaned = text
    .trim()
    .replace(/=+$/, '')
    .toUpperCase()
    .replace(/[-\s]/g, '')
    .replace(/0/g, 'O')
    .replace(/1/g, 'I')
    .replace(/8/g, 'B');
  const bad = [...cleaned].find((char) => !ALPHABET.includes(char));
  if (bad !== undefined) {
    throw invalid(
      `The relay id contains "${bad}", which a device id never holds (only A-Z and 2-7). Copy the id again from the relay's URI.`,
    );
  }
  let plain: string;
  if (cleaned.length === CHECKED_LENGTH) {
    plain = '';
    for (let at = 0; at < CHECKED_LENGTH; at += GROUP + 1) {
      const group = cleaned.slice(at, at + GROUP);
      if (cleaned[at + GROUP] !== luhn32(group)) {
        throw invalid("The relay id has a typo (a check character does not match). Copy the id again from the relay's URI.");
      }
      plain += group;
    }
  } else if (cleaned.length === PLAIN_LENGTH) {
    plain = cleaned;
  } else {
    throw invalid(
      `The relay id is ${cleaned.length} characters long; a device id has 56 (eight groups of 7 joined by dashes). Copy the whole id from the relay's URI.`,
    );
  }
  const bytes = unbase32(plain);
  if (!bytes) throw invalid("The relay id is not a valid device id. Copy the id again from the relay's URI.");
  return bytes;
}

function invalid(message: string): PortholeError {
  return new PortholeError('relay-invalid', message);
}

function base32(bytes: Buffer): string {
  let out = '';
  let bits = 0;
  let value = 0;
  for (const byte of bytes) {
    value = (value << 8) | byte;
    bits += 8;
    while (bits >= 5) {
      out += ALPHABET[(value >>> (bits - 5)) & 31];
      bits -= 5;
    }
    value &= (1 << bits) - 1;
  }
  if (bits > 0) out += ALPHABET[(value << (5 - bits)) & 31];
  return out;
}

/** The 32 bytes of 52 base32 characters, or undefined when the unused last bits are not zero. */
function unbase32(text: string): Buffer | undefined {
  const out: number[] = [];
  let bits = 0;
  let value = 0;
  for (const char of text) {
    value = (value << 5) | ALPHABET.indexOf(char);
    bits += 5;
    if (bits >= 8) {
      out.push((value >>> (bits - 8)) & 0xff);
      bits -= 8;
    }
    value &= (1 << bits) - 1;
  }
  if (value !== 0 || out.length !== ID_BYTES) return undefined;
  return Buffer.from(out);
}

/** Syncthing's Luhn mod-32 check character (its own variant: the factor starts at 1 from the left). */
function luhn32(group: string): string {
  let factor = 1;
  let sum = 0;
  for (const char of group) {
    const addend = factor * ALPHABET.indexOf(char);
    factor = factor === 2 ? 1 : 2;
    sum += Math.floor(addend / 32) + (addend % 32);
  }
  return ALPHABET[(32 - (sum % 32)) % 32]!;
}
