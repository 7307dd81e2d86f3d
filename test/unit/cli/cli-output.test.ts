import { test } from 'node:test';
import assert from 'node:assert/strict';
import { humanOutput, jsonOutput } from '../../../src-main/cli/cli-output';
import type { TransferView } from '../../../src-main/features/files/transfer-events';

function human(acceptFiles = false) {
  const out: string[] = [];
  const err: string[] = [];
  const output = humanOutput(
    (l) => out.push(l),
    (l) => err.push(l),
    { acceptFiles },
  );
  return { output, out, err };
}

const bob = { id: 'b0b', name: 'Bob', host: false };

test('chat lines show time, sender and text; extra lines are indented; control characters are made visible', () => {
  const { output, out } = human();
  const ts = new Date(2026, 10, 21, 9, 5).getTime();
  output.roomEvent({ type: 'chat', seq: 1, ts, from: bob, id: 'x', text: 'hello\nsecond line' }, false);
  output.roomEvent({ type: 'chat', seq: 2, ts, from: bob, id: 'y', text: 'bell\u0007 and csi\u009b' }, false);
  assert.deepEqual(out, ['[09:05] Bob: hello\n', '        second line\n', '[09:05] Bob: bell\\u0007 and csi\\u009b\n']);
});

test('"Reconnected." only after a reconnect; a closed session with an error goes to stderr', () => {
  const { output, out, err } = human();
  output.status({ state: 'connected' });
  assert.deepEqual(out, []);
  output.status({ state: 'reconnecting', attempt: 1 });
  output.status({ state: 'connected' });
  assert.deepEqual(out, ['Connection lost; reconnecting (attempt 1)…\n', 'Reconnected.\n']);
  output.status({ state: 'closed', error: { code: 'room-closed', message: 'The host closed the room.' } });
  assert.deepEqual(err, ['The host closed the room.\n']);
});

test('file offers say how to answer, or that --accept-files answers; each answer is told once', () => {
  const offer: TransferView = {
    id: 't1',
    direction: 'incoming',
    fileName: 'a.txt',
    size: 2_500_000,
    from: { id: 'b0b', name: 'Bob' },
    state: 'offered',
    bytes: 0,
    percent: 0,
    bytesPerSecond: 0,
  };
  const asking = human();
  asking.output.transfer('offer', offer);
  assert.deepEqual(asking.out, ['Bob offers a.txt (2.5 MB). /accept t1 or /decline t1\n']);
  const auto = human(true);
  auto.output.transfer('offer', offer);
  assert.deepEqual(auto.out, ['Bob offers a.txt (2.5 MB). Accepting it (--accept-files).\n']);

  const { output, out } = human();
  const mine = (state: 'waiting' | 'accepted'): TransferView => ({
    id: 't2',
    direction: 'outgoing',
    fileName: 'b.bin',
    size: 10,
    state: 'offered',
    bytes: 0,
    percent: 0,
    bytesPerSecond: 0,
    recipients: [{ member: { id: 'b0b', name: 'Bob' }, state, bytes: 0, percent: 0 }],
  });
  output.transfer('update', mine('waiting'));
  output.transfer('update', mine('accepted'));
  output.transfer('update', mine('accepted'));
  assert.deepEqual(out, ['Offered b.bin (10 B) to everyone (id t2).\n', 'Bob accepted b.bin.\n']);
});

test('sizes and speeds are in the decimal units the window shows: 17 B, not "0.0 MB"', () => {
  const { output, out } = human();
  const view = (size: number): TransferView => ({
    id: `s${size}`,
    direction: 'incoming',
    fileName: 'f',
    size,
    from: { id: 'b0b', name: 'Bob' },
    state: 'offered',
    bytes: 0,
    percent: 0,
    bytesPerSecond: 0,
  });
  for (const size of [17, 500_000_000]) output.transfer('offer', view(size));
  output.transfer('update', { ...view(10), state: 'receiving', percent: 40, bytesPerSecond: 1_500_000 });
  assert.deepEqual(out, [
    'Bob offers f (17 B). /accept s17 or /decline s17\n',
    'Bob offers f (500 MB). /accept s500000000 or /decline s500000000\n',
    'Receiving f: 40 % of 10 B · 1.5 MB/s · 1 s left\n',
  ]);
});

test('connecting: one line rewritten every second on a terminal; a line now and every 5 s elsewhere; nothing with --json', () => {
  const shownInPlace: string[] = [];
  const onTerminal = humanOutput(
    () => {},
    () => {},
    { acceptFiles: false, transient: (t) => shownInPlace.push(t) },
  );
  for (const elapsedMs of [0, 1000, 2500]) onTerminal.connecting({ addresses: 3, elapsedMs });
  assert.deepEqual(shownInPlace, [
    'Connecting to the host (3 addresses)…',
    'Connecting to the host (3 addresses)… 1 s',
    'Connecting to the host (3 addresses)… 2 s',
  ]);
  const { output, out } = human();
  for (let s = 0; s <= 10; s++) output.connecting({ addresses: 1, elapsedMs: s * 1000 });
  assert.deepEqual(out, ['Connecting to the host (1 address)…\n', 'Still connecting (5 s)…\n', 'Still connecting (10 s)…\n']);
  const lines: string[] = [];
  jsonOutput((l) => lines.push(l)).connecting({ addresses: 1, elapsedMs: 0 });
  assert.deepEqual(lines, [], 'ready is the first --json line');
});

test('--json writes one object per line with the event name first', () => {
  const lines: string[] = [];
  jsonOutput((l) => lines.push(l)).warning({ code: 'rate-limited', message: 'Slow down.' });
  assert.deepEqual(lines, ['{"event":"warning","code":"rate-limited","message":"Slow down."}\n']);
});
