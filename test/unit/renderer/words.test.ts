import { test } from 'node:test';
import assert from 'node:assert/strict';
import { displayAddress, inviteAddressWords, inviteSummary } from '../../../src-renderer/format/invite-words';
import { parsePortField } from '../../../src-renderer/format/port-field';
import { memberEventSentence, portMappingWords, sessionStatusWords } from '../../../src-renderer/format/room-words';
import { endedBadly, isFinal, recipientStateWords, transferStateWords } from '../../../src-renderer/format/transfer-words';
import { orderTransfers } from '../../../src-renderer/state/transfer-list';
import { ana, bo, chat, lanEntry, roomInvite, transfer } from './room-fixtures';

test('join and leave lines say who and why', () => {
  assert.equal(memberEventSentence({ type: 'joined', seq: 1, ts: 0, member: ana }), 'Ana joined');
  assert.equal(memberEventSentence({ type: 'left', seq: 2, ts: 0, member: bo, reason: 'left' }), 'Bo left');
  assert.equal(memberEventSentence({ type: 'left', seq: 3, ts: 0, member: bo, reason: 'timeout' }), 'Bo left (stopped responding)');
  assert.equal(memberEventSentence({ type: 'left', seq: 4, ts: 0, member: bo, reason: 'removed' }), 'Bo was removed from the room');
  assert.equal(memberEventSentence(chat(5)), null);
});

test('the connection state names the reconnect attempt', () => {
  assert.deepEqual(sessionStatusWords({ state: 'reconnecting', attempt: 3 }), { text: 'Reconnecting… (attempt 3)', tone: 'working' });
  assert.equal(sessionStatusWords({ state: 'connected' }).tone, 'ok');
  assert.equal(sessionStatusWords({ state: 'closed' }).tone, 'problem');
});

test('port mapping: off when absent, the main sentence otherwise', () => {
  const off = portMappingWords(undefined);
  assert.equal(off.tone, 'off');
  assert.match(off.detail, /Settings/);
  const cgnat = portMappingWords({ code: 'cgnat', message: 'Your provider shares its address.', internalPort: 1 });
  assert.deepEqual([cgnat.tone, cgnat.detail], ['problem', 'Your provider shares its address.']);
  assert.equal(portMappingWords({ code: 'mapped', message: 'm', internalPort: 1 }).tone, 'ok');
  assert.equal(portMappingWords({ code: 'starting', message: 's', internalPort: 1 }).tone, 'working');
});

test('port mapping: no router at all, the IPv6 pinhole said once, and a quiet "still looking"', () => {
  const none = portMappingWords({
    code: 'no-gateway',
    message: 'This machine has no router to the internet: friends must be on this network to join.',
    internalPort: 1,
    searching: true,
  });
  assert.equal(none.title, 'No router to the internet');
  assert.equal(none.tone, 'problem');
  assert.equal(none.searching, true);
  assert.equal(none.ipv6, undefined);

  const ipv6 = { address: '2001:db8::7', port: 41234, method: 'pcp', leaseSeconds: 7200 } as const;
  const mapped = portMappingWords({
    code: 'mapped',
    message: 'Port 41234 on 203.0.113.7 forwards to this machine.',
    internalPort: 41234,
    ipv6,
  });
  assert.equal(mapped.ipv6, "Friends with IPv6 can join too: [2001:db8::7]:41234 is open in your router's firewall.");
  assert.equal(mapped.searching, false);
  const told = portMappingWords({
    code: 'cgnat',
    message: 'Shared address. Friends with IPv6 can still join: [2001:db8::7]:41234 is open to them.',
    internalPort: 41234,
    ipv6,
  });
  assert.equal(told.ipv6, undefined, "main's sentence already says it");

  assert.equal(
    portMappingWords({ code: 'starting', message: 's', internalPort: 1, searching: true }).searching,
    false,
    '"Asking your router…" says it already',
  );
  assert.equal(portMappingWords({ code: 'stopped', message: 's', internalPort: 1, searching: true }).searching, false);
  assert.equal(portMappingWords({ code: 'no-router', message: 'n', internalPort: 1 }).searching, false);
});

test('each invite address says what it is for and whether the internet can use it', () => {
  assert.deepEqual(inviteAddressWords(lanEntry('192.168.1.20', 41234)), {
    address: '192.168.1.20:41234',
    title: 'Same network (LAN)',
    how: 'your Wi-Fi or office network',
    reach: 'Works only on this network',
  });
  const pub = inviteAddressWords({ host: '203.0.113.7', port: 5000, kind: 'public', internet: true });
  assert.deepEqual([pub.title, pub.how, pub.reach], ['Internet', 'forwarded by your router', 'Works from the internet']);
  const v6 = inviteAddressWords({ host: '2001:db8::7', port: 41234, kind: 'ipv6', internet: true });
  assert.deepEqual([v6.address, v6.title, v6.how], ['[2001:db8::7]:41234', 'Internet over IPv6', "opened in your router's firewall"]);
  const manual = inviteAddressWords({ host: 'home.example.org', port: 41234, kind: 'manual', internet: true });
  assert.equal(manual.title, 'Added by you');
  assert.equal(manual.how, 'forwarded by hand');
  assert.equal(displayAddress({ host: 'fd00::2', port: 1 }), '[fd00::2]:1');

  assert.deepEqual(inviteSummary(roomInvite([lanEntry()])), { count: '1 address', reach: 'same network only' });
  assert.deepEqual(inviteSummary(roomInvite([{ host: '203.0.113.7', port: 1, kind: 'manual', internet: true }, lanEntry()])), {
    count: '2 addresses',
    reach: 'works from the internet',
  });
});

test('transfer states read from the side looking at them', () => {
  assert.equal(transferStateWords({ state: 'offered', direction: 'incoming' }), 'Waiting for you');
  assert.equal(transferStateWords({ state: 'offered', direction: 'outgoing' }), 'Waiting for answers');
  assert.equal(transferStateWords({ state: 'done', direction: 'incoming' }), 'Saved');
  assert.equal(transferStateWords({ state: 'done', direction: 'outgoing' }), 'Sent');
  assert.deepEqual(
    ['done', 'declined', 'cancelled', 'failed', 'sending', 'offered'].map((s) => isFinal(s as never)),
    [true, true, true, true, false, false],
  );
  assert.equal(endedBadly('done'), false);
  assert.equal(endedBadly('failed'), true);
  assert.equal(recipientStateWords('ended', 'disk-full'), 'Stopped (disk full)');
  assert.equal(recipientStateWords('accepted'), 'Receiving');
});

test('offers waiting for you come first, finished transfers last, newest first within', () => {
  const list = [
    transfer('old-done', { state: 'done' }),
    transfer('running', { state: 'receiving' }),
    transfer('offer', { state: 'offered' }),
    transfer('out-offered', { direction: 'outgoing', state: 'offered' }),
    transfer('new-failed', { state: 'failed' }),
  ];
  assert.deepEqual(
    orderTransfers(list).map((t) => t.id),
    ['offer', 'out-offered', 'running', 'new-failed', 'old-done'],
  );
});

test('the port field: empty is any port, otherwise 1–65535', () => {
  assert.deepEqual(parsePortField('  '), { ok: true, port: null });
  assert.deepEqual(parsePortField(' 41234 '), { ok: true, port: 41234 });
  for (const bad of ['0', '65536', '12.5', '-1', 'abc', '1e3', '123456']) assert.equal(parsePortField(bad).ok, false, bad);
});
