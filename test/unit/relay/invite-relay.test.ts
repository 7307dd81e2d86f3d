// The invite's relay part (PROTOCOL.md §1): `/relay=RELAYID@HOST:PORT` after the secret, what
// today's guests make of it, and what a version-1 parser (no parts after the secret) says.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { PortholeError } from '../../../src-main/wire/errors';
import { formatInvite, inviteRelayUri, parseInvite } from '../../../src-main/link/invite';
import { parseRelayUri } from '../../../src-main/relay/relay-uri';
import { buildRoomInvite } from '../../../src-main/session/room-invite';

const fp = randomBytes(32).toString('base64url');
const secret = randomBytes(32).toString('base64url');
const relayId = randomBytes(32).toString('base64url');

function rejects(pasted: string, sentence: RegExp): void {
  assert.throws(
    () => parseInvite(pasted),
    (err: unknown) => err instanceof PortholeError && err.code === 'invite-invalid' && sentence.test(err.message),
  );
}

test('an invite with a relay names it after the secret and reads back the same', () => {
  const text = formatInvite({
    addresses: [{ host: '192.168.1.5', port: 41234 }],
    fingerprint: fp,
    secret,
    relay: { host: '198.51.100.7', port: 22067, id: relayId },
  });
  assert.equal(text, `porthole://192.168.1.5:41234/${fp}/${secret}/relay=${relayId}@198.51.100.7:22067`);
  const invite = parseInvite(text);
  assert.deepEqual(invite.relay, { host: '198.51.100.7', port: 22067, id: relayId });
  assert.deepEqual(invite.addresses, [{ host: '192.168.1.5', port: 41234 }]);
  assert.equal(invite.fingerprint, fp);
  assert.equal(invite.secret, secret);
});

test('a relay on IPv6 or a DNS name; a trailing slash is allowed; case of the name is dropped', () => {
  const v6 = parseInvite(`porthole://10.0.0.1:5/${fp}/${secret}/relay=${relayId}@[2001:db8::9]:443/`);
  assert.deepEqual(v6.relay, { host: '2001:db8::9', port: 443, id: relayId });
  assert.equal(formatInvite(v6), `porthole://10.0.0.1:5/${fp}/${secret}/relay=${relayId}@[2001:db8::9]:443`);
  const named = parseInvite(`porthole://10.0.0.1:5/${fp}/${secret}/relay=${relayId}@Relay.Example.org:22067`);
  assert.equal(named.relay?.host, 'relay.example.org');
});

test('the relay URI an invite stands for is the one strelaysrv prints (same id, same place)', () => {
  const uri = parseRelayUri(inviteRelayUri({ host: '198.51.100.7', port: 22067, id: relayId }));
  assert.equal(uri.host, '198.51.100.7');
  assert.equal(uri.port, 22067);
  assert.equal(uri.id.toString('base64url'), relayId);
});

test('a part this version does not know is skipped; a damaged relay part is refused, saying which part', () => {
  const later = parseInvite(`porthole://10.0.0.1:5/${fp}/${secret}/mirror=whatever/relay=${relayId}@198.51.100.7:22067`);
  assert.equal(later.relay?.port, 22067);
  assert.equal(parseInvite(`porthole://10.0.0.1:5/${fp}/${secret}/future-part=x`).relay, undefined);
  rejects(`porthole://10.0.0.1:5/${fp}/${secret}/relay=${relayId.slice(1)}@198.51.100.7:22067`, /relay id is damaged/);
  rejects(`porthole://10.0.0.1:5/${fp}/${secret}/relay=198.51.100.7:22067`, /relay id is damaged/);
  rejects(`porthole://10.0.0.1:5/${fp}/${secret}/relay=${relayId}@198.51.100.7:0`, /relay address in the invite has no valid port/);
  rejects(
    `porthole://10.0.0.1:5/${fp}/${secret}/relay=${relayId}@2001:db8::9:22067`,
    /relay address in the invite is an IPv6 address without brackets/,
  );
  rejects(`porthole://10.0.0.1:5/${fp}/${secret}/relay=${relayId}@a:1/relay=${relayId}@b:2`, /more than one relay/);
  rejects(`porthole://10.0.0.1:5/${fp}/${secret}/a=1/b=2/c=3/d=4/e=5`, /cut short or has extra parts/);
  rejects(`porthole://10.0.0.1:5/${fp}/${secret}/Relay=x`, /cut short or has extra parts/);
});

test("a version-1 guest's parser (nothing after the secret) refuses a relay invite with its 'extra parts' sentence", () => {
  // PROTOCOL.md §1 before the relay: FINGERPRINT/SECRET and at most one trailing slash.
  const v1 = (pasted: string) => {
    const [, rest] = pasted.split('porthole://');
    const parts = rest!.replace(/\/$/, '').split('/');
    if (parts.length !== 3) throw new Error('The invite is cut short or has extra parts. Ask for the invite again and paste all of it.');
    return parts;
  };
  const text = formatInvite({
    addresses: [{ host: '192.168.1.5', port: 41234 }],
    fingerprint: fp,
    secret,
    relay: { host: '198.51.100.7', port: 22067, id: relayId },
  });
  assert.throws(() => v1(text), /cut short or has extra parts/);
  assert.doesNotThrow(() => v1(formatInvite({ addresses: [{ host: '192.168.1.5', port: 41234 }], fingerprint: fp, secret })));
});

test("the host's invite names its relay, with the URI and address people are shown", () => {
  const built = buildRoomInvite({
    lan: ['192.168.1.5'],
    port: 41234,
    fingerprint: fp,
    secret,
    relay: { host: '198.51.100.7', port: 22067, id: relayId },
  });
  assert.match(built.invite, new RegExp(`/relay=${relayId}@198\\.51\\.100\\.7:22067$`));
  assert.equal(built.relay?.address, '198.51.100.7:22067');
  assert.match(built.relay?.uri ?? '', /^relay:\/\/198\.51\.100\.7:22067\/\?id=[A-Z2-7]{7}(-[A-Z2-7]{7}){7}$/);
  const none = buildRoomInvite({ lan: ['192.168.1.5'], port: 41234, fingerprint: fp, secret });
  assert.equal(none.relay, undefined);
  assert.ok(!none.invite.includes('relay='));
});
