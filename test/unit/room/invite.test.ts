import { test } from 'node:test';
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { PortholeError } from '../../../src-main/room/errors';
import { formatInvite, parseInvite, type Invite } from '../../../src-main/room/invite';

const fp = randomBytes(32).toString('base64url');
const secret = randomBytes(32).toString('base64url');

function rejects(pasted: string, sentence: RegExp): void {
  assert.throws(
    () => parseInvite(pasted),
    (err: unknown) => {
      assert.ok(err instanceof PortholeError, `not a PortholeError: ${String(err)}`);
      assert.equal(err.code, 'invite-invalid');
      assert.match(err.message, sentence, `for ${JSON.stringify(pasted)}`);
      return true;
    },
  );
}

test('formats and parses back IPv4, IPv6 (in brackets) and DNS names', () => {
  const invites: Invite[] = [
    { host: '203.0.113.7', port: 41234, fingerprint: fp, secret },
    { host: '2001:db8::1', port: 1, fingerprint: fp, secret },
    { host: '::ffff:192.0.2.1', port: 65535, fingerprint: fp, secret },
    { host: 'my-box.example.org', port: 443, fingerprint: fp, secret },
    { host: 'router', port: 8080, fingerprint: fp, secret },
  ];
  for (const invite of invites) {
    const text = formatInvite(invite);
    assert.deepEqual(parseInvite(text), invite, text);
  }
  assert.equal(formatInvite(invites[1]!), `porthole://[2001:db8::1]:1/${fp}/${secret}`);
  assert.equal(formatInvite(invites[0]!), `porthole://203.0.113.7:41234/${fp}/${secret}`);
});

test('accepts what people paste: whitespace, line breaks around it, <angle brackets>, a trailing slash, capitals', () => {
  const canonical = `porthole://[2001:db8::1]:41234/${fp}/${secret}`;
  const expected = { host: '2001:db8::1', port: 41234, fingerprint: fp, secret };
  for (const pasted of [
    `  ${canonical}  `,
    `${canonical}\n`,
    `\r\n\t${canonical}\r\n`,
    `<${canonical}>`,
    ` < ${canonical} >\n`,
    `${canonical}/`,
    `PORTHOLE://[2001:DB8::1]:41234/${fp}/${secret}`,
  ]) {
    assert.deepEqual(parseInvite(pasted), expected, JSON.stringify(pasted));
  }
  assert.equal(parseInvite(`porthole://My-Box.Example.org.:9/${fp}/${secret}`).host, 'my-box.example.org.');
});

test('rejects the empty invite', () => {
  for (const pasted of ['', '   ', '\n', '<>', ' < > ']) rejects(pasted, /The invite is empty/);
});

test('rejects another scheme', () => {
  for (const pasted of [`https://1.2.3.4:5/${fp}/${secret}`, `1.2.3.4:5/${fp}/${secret}`, `porthole:/1.2.3.4:5/${fp}/${secret}`, 'hello']) {
    rejects(pasted, /not a Porthole invite: an invite starts with porthole:\/\//);
  }
});

test('rejects spaces or line breaks inside', () => {
  for (const pasted of [
    `porthole://1.2.3.4:5/${fp} /${secret}`,
    `porthole://1.2.3.4:5/${fp.slice(0, 20)}\n${fp.slice(20)}/${secret}`,
    `porthole:// 1.2.3.4:5/${fp}/${secret}`,
  ]) {
    rejects(pasted, /contains spaces or line breaks/);
  }
});

test('rejects IPv6 without brackets, and broken brackets', () => {
  rejects(`porthole://2001:db8::1:41234/${fp}/${secret}`, /must be in brackets/);
  rejects(`porthole://::1/${fp}/${secret}`, /must be in brackets/);
  rejects(`porthole://[2001:db8::1:41234/${fp}/${secret}`, /missing its closing bracket/);
  rejects(`porthole://[1.2.3.4]:5/${fp}/${secret}`, /in brackets is not an IPv6 address/);
  rejects(`porthole://[2001:db8::1]/${fp}/${secret}`, /no port after the address/);
  rejects(`porthole://[2001:db8::1]41234/${fp}/${secret}`, /no port after the address/);
});

test('rejects a missing host or an invalid host name', () => {
  rejects(`porthole://:5/${fp}/${secret}`, /no host address/);
  for (const host of ['exa_mple.com', '-bad.example', 'bad-.example', 'a..b', `${'a'.repeat(64)}.example`]) {
    rejects(`porthole://${host}:5/${fp}/${secret}`, /is not a valid host address/);
  }
});

test('rejects a missing or bad port', () => {
  for (const authority of ['1.2.3.4', '1.2.3.4:', 'example.org', '[::1]:']) {
    rejects(`porthole://${authority}/${fp}/${secret}`, /no valid port/);
  }
  for (const port of ['0', '65536', '99999', '123456', '-1', '12a', '0x50', '+80', '1.5']) {
    rejects(`porthole://1.2.3.4:${port}/${fp}/${secret}`, /no valid port/);
    rejects(`porthole://[::1]:${port}/${fp}/${secret}`, /no valid port/);
  }
});

test('rejects a cut-short invite or one with extra parts', () => {
  for (const pasted of [
    'porthole://1.2.3.4:5',
    'porthole://1.2.3.4:5/',
    `porthole://1.2.3.4:5/${fp}`,
    `porthole://1.2.3.4:5/${fp}/`,
    `porthole://1.2.3.4:5//${secret}`,
    `porthole://1.2.3.4:5/${fp}/${secret}/extra`,
    `porthole://1.2.3.4:5/${fp}/${secret}//`,
    `porthole://1.2.3.4:5/room/${fp}/${secret}`,
  ]) {
    rejects(pasted, /cut short or has extra parts/);
  }
});

test('rejects a damaged fingerprint or secret, naming which', () => {
  const damaged = [
    fp.slice(0, 42), // a character lost
    `${fp}A`, // one too many
    `${fp.slice(0, 10)}+${fp.slice(11)}`, // base64, not base64url
    `${fp.slice(0, 10)}=${fp.slice(11)}`,
    `${fp.slice(0, 42)}B`, // not the last character of any 32-byte value
  ];
  for (const bad of damaged) {
    rejects(`porthole://1.2.3.4:5/${bad}/${secret}`, /host fingerprint is damaged/);
    rejects(`porthole://1.2.3.4:5/${fp}/${bad}`, /room secret is damaged/);
  }
});

test('every rejection is a PortholeError with a sentence, never another error', () => {
  const samples = ['porthole://', 'porthole://[', 'porthole://[]:1/a/b', 'porthole://%41:1/a/b', 'porthole://a:1:2/x/y', '<porthole://>'];
  for (const pasted of samples) {
    assert.throws(() => parseInvite(pasted), (err: unknown) => err instanceof PortholeError && err.code === 'invite-invalid' && /\.$/.test(err.message));
  }
});
