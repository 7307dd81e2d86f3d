import { test } from 'node:test';
import assert from 'node:assert/strict';
import { displayAddress, inviteAddressWords, inviteSummary } from '../../../src-renderer/format/invite-words';
import { parsePortField } from '../../../src-renderer/format/port-field';
import { memberEventSentence, portMappingWords, sessionStatusWords } from '../../../src-renderer/format/room-words';
import {
  cancellable,
  endedBadly,
  filesSummary,
  isFinal,
  recipientStateWords,
  recipientsWords,
  retryWords,
  transferLine,
  transferStateWords,
  waitingSentence,
} from '../../../src-renderer/format/transfer-words';
import { hasFinished, orderTransfers } from '../../../src-renderer/state/transfer-list';
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
  assert.equal(transferStateWords({ state: 'offered', direction: 'outgoing' }), 'Offered');
  assert.equal(transferStateWords({ state: 'done', direction: 'incoming' }), 'Saved');
  assert.equal(transferStateWords({ state: 'done', direction: 'outgoing' }), 'Sent');
  assert.deepEqual(
    ['done', 'declined', 'cancelled', 'failed', 'sending', 'offered'].map((s) => isFinal(s as never)),
    [true, true, true, true, false, false],
  );
  assert.equal(endedBadly('done'), false);
  assert.equal(endedBadly('failed'), true);
  assert.equal(transferStateWords({ state: 'queued', direction: 'outgoing' }), 'Queued');
  assert.equal(transferStateWords({ state: 'paused', direction: 'incoming' }), 'Paused');
});

test('a bundle is one line with its count and size; a single file with its size', () => {
  assert.equal(transferLine({ fileName: 'Holiday', files: 312, size: 2_100_000_000 }), 'Holiday — 312 files, 2.1 GB');
  assert.equal(transferLine({ fileName: 'photo.jpg', size: 4_200_000 }), 'photo.jpg — 4.2 MB');
  assert.equal(transferLine({ fileName: 'Empty', files: 1, size: 0 }), 'Empty — 1 file, 0 B');
  assert.equal(transferLine({ fileName: 'Big', files: 100_000, size: 5e12 }), 'Big — 100,000 files, 5.0 TB');
});

test('each recipient of your own offer: waiting, receiving and paused with %, done, declined, failed and why', () => {
  const r = (state: Parameters<typeof recipientStateWords>[0]['state'], patch = {}) =>
    recipientStateWords({ state, percent: 42.7, ...patch });
  assert.deepEqual(
    [r('waiting'), r('accepted'), r('paused'), r('done'), r('declined')],
    ['Waiting', 'Receiving · 42%', 'Paused · 42%', 'Received', 'Declined'],
  );
  assert.equal(r('ended', { reason: 'disk-full' }), 'Failed (disk full)');
  assert.equal(r('ended', { reason: 'hash-mismatch' }), 'Failed (checksum did not match)');
  assert.equal(r('ended', { reason: 'resume-failed' }), 'Failed (kept data did not match)');
  assert.equal(r('ended', { reason: 'cancelled' }), 'Cancelled');
  assert.equal(r('ended'), 'Failed');
});

test('who an offer is for, what a queued or paused one waits for, and what its buttons say', () => {
  const p = (name: string) => ({ id: name.toLowerCase(), name });
  assert.equal(recipientsWords({}), 'to everyone');
  assert.equal(recipientsWords({ to: [p('Bo')] }), 'to Bo');
  assert.equal(recipientsWords({ to: [p('Bo'), p('Cy')] }), 'to Bo and Cy');
  assert.equal(recipientsWords({ to: [p('Bo'), p('Cy'), p('Di')] }), 'to Bo, Cy and 1 other');
  assert.equal(recipientsWords({ to: [p('Bo'), p('Cy'), p('Di'), p('Ed')] }), 'to Bo, Cy and 2 others');

  assert.match(waitingSentence({ state: 'queued', direction: 'outgoing' }) ?? '', /^Offered as soon as earlier offers/);
  assert.match(waitingSentence({ state: 'paused', direction: 'incoming', retryable: true }) ?? '', /Resume to continue/);
  assert.match(waitingSentence({ state: 'paused', direction: 'incoming' }) ?? '', /when the sender is back/);
  assert.equal(waitingSentence({ state: 'sending', direction: 'outgoing' }), null);

  assert.equal(retryWords({ state: 'paused', bytes: 0, direction: 'incoming' }), 'Resume');
  assert.equal(retryWords({ state: 'failed', bytes: 1000, direction: 'incoming' }), 'Resume', 'what arrived is kept');
  assert.equal(retryWords({ state: 'failed', bytes: 0, direction: 'incoming' }), 'Retry');
  assert.equal(retryWords({ state: 'cancelled', bytes: 5000, direction: 'outgoing' }), 'Retry', 'your own offer is offered again');

  assert.equal(cancellable({ state: 'queued', direction: 'outgoing' }), true);
  assert.equal(cancellable({ state: 'sending', direction: 'outgoing' }), true);
  assert.equal(cancellable({ state: 'paused', direction: 'incoming' }), true);
  assert.equal(cancellable({ state: 'offered', direction: 'incoming' }), false, 'Decline says it');
  assert.equal(cancellable({ state: 'done', direction: 'incoming' }), false);

  assert.equal(filesSummary(['a.txt']), 'a.txt');
  assert.equal(filesSummary(['a.txt', 'b.txt', 'c.txt']), 'a.txt and 2 more');
  assert.equal(hasFinished([transfer('a', { state: 'receiving' })]), false);
  assert.equal(hasFinished([transfer('a', { state: 'receiving' }), transfer('b', { state: 'declined' })]), true);
});

test('offers waiting for you come first, finished transfers last, newest first within', () => {
  const list = [
    transfer('old-done', { state: 'done' }),
    transfer('running', { state: 'receiving' }),
    transfer('offer', { state: 'offered' }),
    transfer('out-offered', { direction: 'outgoing', state: 'offered' }),
    transfer('new-failed', { state: 'failed' }),
    transfer('queued', { direction: 'outgoing', state: 'queued' }),
    transfer('paused', { state: 'paused' }),
  ];
  assert.deepEqual(
    orderTransfers(list).map((t) => t.id),
    ['offer', 'paused', 'queued', 'out-offered', 'running', 'new-failed', 'old-done'],
  );
});

test('the port field: empty is any port, otherwise 1–65535', () => {
  assert.deepEqual(parsePortField('  '), { ok: true, port: null });
  assert.deepEqual(parsePortField(' 41234 '), { ok: true, port: 41234 });
  for (const bad of ['0', '65536', '12.5', '-1', 'abc', '1e3', '123456']) assert.equal(parsePortField(bad).ok, false, bad);
});
