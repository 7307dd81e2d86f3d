import { test } from 'node:test';
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { PortholeError } from '../../../src-main/wire/errors';
import { formatInvite, parseInvite, type Invite } from '../../../src-main/link/invite';

const fp = randomBytes(32).toString('base64url');
const secret = randomBytes(32).toString('base64url');

/** A version-1 invite as parseInvite returns it: its one address is also the whole list. */
function oneAddress(invite: Omit<Invite, 'addresses'>): Invite {
  return { ...invite, addresses: [{ host: invite.host, port: invite.port }] };
}

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
    oneAddress({ host: '203.0.113.7', port: 41234, fingerprint: fp, secret }),
    oneAddress({ host: '2001:db8::1', port: 1, fingerprint: fp, secret }),
    oneAddress({ host: '::ffff:192.0.2.1', port: 65535, fingerprint: fp, secret }),
    oneAddress({ host: 'my-box.example.org', port: 443, fingerprint: fp, secret }),
    oneAddress({ host: 'router', port: 8080, fingerprint: fp, secret }),
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
  const expected = oneAddress({ host: '2001:db8::1', port: 41234, fingerprint: fp, secret });
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
    assert.throws(
      () => parseInvite(pasted),
      (err: unknown) => err instanceof PortholeError && err.code === 'invite-invalid' && /\.$/.test(err.message),
    );
  }
});

// Several addresses in one invite (PROTOCOL.md §1).

const home = [
  { host: '192.168.1.5', port: 41234 },
  { host: 'fd12:3456:789a:1:1c2d:3e4f:5a6b:7c8d', port: 41234 },
  { host: '203.0.113.7', port: 50123 },
  { host: '2001:db8:85a3:1234:1c2d:3e4f:5a6b:7c8d', port: 41234 },
];

test('formats several addresses comma-separated, IPv6 in brackets, and parses them back in order', () => {
  const text = formatInvite({ addresses: home, fingerprint: fp, secret });
  assert.equal(
    text,
    `porthole://192.168.1.5:41234,[fd12:3456:789a:1:1c2d:3e4f:5a6b:7c8d]:41234,203.0.113.7:50123,[2001:db8:85a3:1234:1c2d:3e4f:5a6b:7c8d]:41234/${fp}/${secret}`,
  );
  assert.ok(text.length < 300, `a typical home network's invite stays short (${text.length} characters)`);
  assert.deepEqual(parseInvite(text), { host: '192.168.1.5', port: 41234, addresses: home, fingerprint: fp, secret });
  const named = [
    { host: 'my-box.example.org', port: 443 },
    { host: '::1', port: 9 },
    { host: '127.0.0.1', port: 9 },
  ];
  assert.deepEqual(parseInvite(formatInvite({ addresses: named, fingerprint: fp, secret })).addresses, named);
});

test('one address given as a list is byte for byte the version-1 invite', () => {
  for (const address of [
    { host: '192.168.1.5', port: 41234 },
    { host: '2001:db8::1', port: 1 },
    { host: 'router', port: 8080 },
  ]) {
    const v1 = formatInvite({ ...address, fingerprint: fp, secret });
    assert.equal(formatInvite({ addresses: [address], fingerprint: fp, secret }), v1);
    assert.doesNotMatch(v1, /,/);
    const parsed = parseInvite(v1);
    assert.deepEqual(parsed.addresses, [address]);
    assert.equal(formatInvite(parsed), v1);
  }
});

test('duplicate addresses are dropped, keeping the first, however the IPv6 address is spelled', () => {
  const spelled = `porthole://[2001:DB8:0:0::1]:7,10.0.0.1:7,[2001:db8::1]:7,10.0.0.1:8,10.0.0.1:7,Box.Example:7,box.example:7/${fp}/${secret}`;
  assert.deepEqual(parseInvite(spelled).addresses, [
    { host: '2001:db8:0:0::1', port: 7 },
    { host: '10.0.0.1', port: 7 },
    { host: '10.0.0.1', port: 8 },
    { host: 'box.example', port: 7 },
  ]);
  const twice = [...home, ...home, { host: '2001:DB8:85A3:1234:1C2D:3E4F:5A6B:7C8D', port: 41234 }];
  assert.deepEqual(parseInvite(formatInvite({ addresses: twice, fingerprint: fp, secret })).addresses, home);
});

test('host and port stay the first address; changing them moves the first address and keeps the rest', () => {
  const parsed = parseInvite(formatInvite({ addresses: home, fingerprint: fp, secret }));
  assert.equal(parsed.host, home[0]!.host);
  assert.equal(parsed.port, home[0]!.port);
  const local = parseInvite(formatInvite({ ...parsed, host: '127.0.0.1' }));
  assert.deepEqual(local.addresses, [{ host: '127.0.0.1', port: 41234 }, ...home.slice(1)]);
  const rekeyed = parseInvite(formatInvite({ ...parsed, secret: fp }));
  assert.deepEqual(rekeyed.addresses, home);
  assert.equal(rekeyed.secret, fp);
  const v1 = parseInvite(`porthole://192.168.1.5:41234/${fp}/${secret}`);
  assert.equal(formatInvite({ ...v1, host: '::1', port: 9 }), `porthole://[::1]:9/${fp}/${secret}`);
});

test('at most 8 addresses: 8 are fine, 9 are refused when formatting and when parsing', () => {
  const eight = Array.from({ length: 8 }, (_, i) => ({ host: `10.0.0.${i + 1}`, port: 1000 + i }));
  assert.equal(parseInvite(formatInvite({ addresses: eight, fingerprint: fp, secret })).addresses.length, 8);
  const nine = [...eight, { host: '10.0.0.9', port: 9 }];
  assert.throws(
    () => formatInvite({ addresses: nine, fingerprint: fp, secret }),
    (err: unknown) =>
      err instanceof PortholeError && err.code === 'invite-invalid' && /at most 8 addresses, and 9 were given/.test(err.message),
  );
  // Duplicates do not count once removed.
  assert.equal(parseInvite(formatInvite({ addresses: [...eight, eight[0]!], fingerprint: fp, secret })).addresses.length, 8);
  rejects(`porthole://${nine.map((a) => `${a.host}:${a.port}`).join(',')}/${fp}/${secret}`, /lists 9 addresses; an invite holds at most 8/);
  assert.throws(() => formatInvite({ addresses: [], fingerprint: fp, secret }), /at least one address/);
});

test('a mistake in one address of a list says which address and what is wrong', () => {
  const list = (...entries: string[]) => `porthole://${entries.join(',')}/${fp}/${secret}`;
  rejects(list('1.2.3.4:5', '', '6.7.8.9:10'), /The 2nd address in the invite is empty/);
  rejects(list('', '1.2.3.4:5'), /The 1st address in the invite is empty/);
  rejects(list('1.2.3.4:5', ''), /The 2nd address in the invite is empty/);
  rejects(list('1.2.3.4:5', '[::1]:6', '6.7.8.9:99999'), /The 3rd address in the invite has no valid port \(a number from 1 to 65535/);
  rejects(list('1.2.3.4:5', '[::1]:6', '6.7.8.9'), /The 3rd address in the invite has no valid port/);
  rejects(list('1.2.3.4:5', '2001:db8::1:41234'), /The 2nd address in the invite is an IPv6 address without brackets/);
  rejects(list('1.2.3.4:5', '[2001:db8::1:41234'), /The 2nd address in the invite is missing the closing bracket/);
  rejects(list('1.2.3.4:5', '[2001:db8::1]41234'), /The 2nd address in the invite has no port after the address/);
  rejects(list('1.2.3.4:5', '[1.2.3.4]:5'), /The 2nd address in the invite has "1.2.3.4" in brackets, which is not an IPv6 address/);
  rejects(
    list('a.example:1', 'b.example:2', 'c.example:3', 'exa_mple.com:4'),
    /The 4th address in the invite has "exa_mple.com", which is not a valid host address/,
  );
  rejects(list('1.2.3.4:5', '1.2.3.256:5'), /The 2nd address in the invite has "1.2.3.256", which is not a valid IPv4 address/);
  rejects(list('1.2.3.4:5', ':5'), /The 2nd address in the invite has no host/);
  // The address list is checked before the rest, as a lone address always was.
  rejects(`porthole://1.2.3.4:5,1.2.3.4:0`, /The 2nd address in the invite has no valid port/);
  rejects(`porthole://1.2.3.4:5,6.7.8.9:10/${fp}`, /cut short or has extra parts/);
  for (const pasted of [list('1.2.3.4:5', ''), list('[', ']'), list(',,'), list('a:1', `${'x'.repeat(300)}:1`)]) {
    assert.throws(
      () => parseInvite(pasted),
      (err: unknown) =>
        err instanceof PortholeError && err.code === 'invite-invalid' && /\.$/.test(err.message) && err.message.length < 300,
    );
  }
});

test('the pasting rules hold for a list too', () => {
  const canonical = formatInvite({ addresses: home, fingerprint: fp, secret });
  for (const pasted of [` <${canonical}>\n`, `${canonical}/`, canonical.replace('porthole://', 'PorTHole://')]) {
    assert.deepEqual(parseInvite(pasted).addresses, home);
  }
  rejects(canonical.replace(',', ', '), /contains spaces or line breaks/);
});
