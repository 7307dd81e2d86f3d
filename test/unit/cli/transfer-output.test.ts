// What the CLI prints about transfers: the progress line (percent, speed, time left), drawn in
// place at a terminal at most every 250 ms, or as plain lines per 10 % and at most every 3 s
// elsewhere; bundles as one item; each state and each recipient's answer once; --json objects.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { TransferView } from '../../../src-main/features/files/transfer-events';
import {
  PLAIN_PROGRESS_EVERY_MS,
  progressLine,
  STATUS_EVERY_MS,
  transferHumanPrinter,
  transferJson,
} from '../../../src-main/cli/transfer-output';
import { listing } from '../../../src-main/cli/transfer-commands';

const bob = { id: 'b0b', name: 'Bob' };
const cy = { id: 'c1', name: 'Cy' };

/** An outgoing bundle's view with `patch` over it (`files: undefined` for one file; `was` as B1's updates carry it). */
function view(patch: Record<string, unknown> = {}): TransferView {
  return {
    id: '7',
    direction: 'outgoing',
    fileName: 'Holiday',
    size: 2_100_000_000,
    files: 312,
    state: 'sending',
    bytes: 0,
    percent: 0,
    bytesPerSecond: 0,
    ...patch,
  } as TransferView;
}

/** A clock and timers the test moves by hand. */
function fakeTime() {
  let now = 0;
  const timers: Array<{ at: number; run: () => void; cancelled: boolean }> = [];
  return {
    now: () => now,
    setTimer: (run: () => void, ms: number) => {
      const timer = { at: now + ms, run, cancelled: false };
      timers.push(timer);
      return {
        cancel: () => {
          timer.cancelled = true;
        },
      };
    },
    advance(ms: number) {
      now += ms;
      for (const t of timers.splice(0)) {
        if (t.cancelled) continue;
        if (t.at <= now) t.run();
        else timers.push(t);
      }
    },
    pending: () => timers.filter((t) => !t.cancelled).length,
  };
}

test('the progress line: percent of the size, speed and time left (the time main worked out, else from the speed)', () => {
  const moving = view({ bytes: 882_000_000, percent: 42, bytesPerSecond: 3_100_000, secondsLeft: 80 });
  assert.equal(progressLine(moving), 'Sending Holiday: 42 % of 2.1 GB · 3.1 MB/s · 1 min 20 s left');
  assert.equal(
    progressLine(view({ direction: 'incoming', bytes: 1_050_000_000, percent: 50, bytesPerSecond: 10_000_000 })),
    'Receiving Holiday: 50 % of 2.1 GB · 10 MB/s · 1 min 45 s left',
  );
  assert.equal(progressLine(view({ percent: 99.9 })), 'Sending Holiday: 99 % of 2.1 GB', 'no speed yet: no time left; never 100 % early');
  assert.equal(progressLine(view({ fileName: 'evil\u001b[2J', percent: 1 })), 'Sending evil\\u001b[2J: 1 % of 2.1 GB');
});

test('at a terminal, progress is one status line redrawn in place at most every 250 ms, and off it once the transfer ends', () => {
  const time = fakeTime();
  const lines: string[] = [];
  const status: string[] = [];
  const print = transferHumanPrinter((l) => lines.push(l), { autoAccept: false, status: (t) => status.push(t), ...time });
  print('update', view({ percent: 1, bytesPerSecond: 1_000_000 }));
  assert.deepEqual(status, ['Sending Holiday: 1 % of 2.1 GB · 1.0 MB/s · 35 min left'], 'the first is drawn at once');
  // A flood of updates inside 250 ms: one redraw, with the newest figures, when the time is up.
  for (let p = 2; p <= 9; p++) print('update', view({ percent: p, bytes: p * 21_000_000, bytesPerSecond: 2_000_000 }));
  assert.equal(status.length, 1);
  time.advance(STATUS_EVERY_MS - 1);
  assert.equal(status.length, 1);
  time.advance(1);
  assert.deepEqual(status.slice(1), ['Sending Holiday: 9 % of 2.1 GB · 2.0 MB/s · 15 min 56 s left']);
  // Two moving at once share the line.
  time.advance(1000);
  print(
    'update',
    view({ id: '8', direction: 'incoming', fileName: 'a.iso', size: 1000, files: undefined, state: 'receiving', percent: 50 }),
  );
  assert.equal(status.at(-1), 'Sending Holiday: 9 % of 2.1 GB · 2.0 MB/s · 15 min 56 s left | Receiving a.iso: 50 % of 1.0 kB');
  // The end: off the status line at once, and a line of its own says what became of it.
  print(
    'update',
    view({
      id: '8',
      direction: 'incoming',
      fileName: 'a.iso',
      size: 1000,
      files: undefined,
      state: 'done',
      percent: 100,
      savedPath: '/d/a.iso',
    }),
  );
  assert.equal(status.at(-1), 'Sending Holiday: 9 % of 2.1 GB · 2.0 MB/s · 15 min 56 s left');
  print('update', view({ state: 'failed', reason: 'read-failed', percent: 9, retryable: true }));
  assert.equal(status.at(-1), '', 'nothing moving: the status line goes');
  assert.equal(time.pending(), 0);
  assert.deepEqual(lines, [
    'Saved a.iso (1.0 kB) to /d/a.iso.',
    'Holiday: The file could not be read on the sender’s side. /retry 7 tries again.',
  ]);
});

test('without a terminal, a plain progress line per 10 %, at most every 3 s per transfer; states always', () => {
  const time = fakeTime();
  const lines: string[] = [];
  const print = transferHumanPrinter((l) => lines.push(l), { autoAccept: false, ...time });
  const at = (percent: number) => view({ percent, bytes: percent * 21_000_000, bytesPerSecond: 5_000_000 });
  print('update', at(1));
  print('update', at(5)); // same 10 %
  time.advance(PLAIN_PROGRESS_EVERY_MS);
  print('update', at(8)); // 3 s later, still the same 10 %
  print('update', at(12)); // another 10 %, 3 s since the last line
  print('update', at(25)); // another 10 %, but too soon
  time.advance(PLAIN_PROGRESS_EVERY_MS);
  print('update', at(27));
  print('update', view({ state: 'done', percent: 100, recipients: [{ member: bob, state: 'done', bytes: 1, percent: 100 }] }));
  assert.deepEqual(lines, [
    'Sending Holiday: 1 % of 2.1 GB · 5.0 MB/s · 6 min 56 s left',
    'Sending Holiday: 12 % of 2.1 GB · 5.0 MB/s · 6 min 10 s left',
    'Sending Holiday: 27 % of 2.1 GB · 5.0 MB/s · 5 min 7 s left',
    'Sent Holiday (312 files, 2.1 GB): Bob has it.',
  ]);
});

test('a bundle is one item; a queued offer, its numbering (`was`), each recipient’s answer, pause and end are each told once', () => {
  const lines: string[] = [];
  const print = transferHumanPrinter((l) => lines.push(l), { autoAccept: false });
  print('update', view({ id: 'q1', state: 'queued', to: [bob, cy] }));
  print('update', view({ id: 'q1', state: 'queued', to: [bob, cy] }));
  const recipients = (bobState: 'waiting' | 'accepted' | 'paused' | 'done', cyState: 'waiting' | 'declined' | 'ended' = 'waiting') => [
    { member: bob, state: bobState, bytes: 0, percent: 40 },
    { member: cy, state: cyState, bytes: 0, percent: 0, ...(cyState === 'ended' ? { reason: 'disk-full' as const } : {}) },
  ];
  print('update', view({ state: 'offered', to: [bob, cy], was: 'q1', recipients: recipients('waiting') }));
  print('update', view({ state: 'sending', to: [bob, cy], recipients: recipients('accepted', 'declined') }));
  print('update', view({ state: 'offered', to: [bob, cy], recipients: recipients('paused', 'declined') }));
  print('update', view({ state: 'sending', to: [bob, cy], recipients: recipients('accepted', 'declined') }));
  print('update', view({ state: 'done', to: [bob, cy], recipients: recipients('done', 'declined') }));
  assert.deepEqual(lines, [
    'Queued Holiday (312 files, 2.1 GB): it is offered as soon as earlier offers of yours end (id q1).',
    'Offered Holiday (312 files, 2.1 GB) to Bob, Cy (id 7, was q1).',
    'Bob accepted Holiday.',
    'Cy declined Holiday.',
    'Sending Holiday: 0 % of 2.1 GB',
    'Bob paused at 40 % of Holiday.',
    'Bob resumed Holiday.',
    'Sent Holiday (312 files, 2.1 GB): Bob has it, Cy declined.',
  ]);

  const incoming: string[] = [];
  const mine = transferHumanPrinter((l) => incoming.push(l), { autoAccept: false });
  const offer = view({ id: '9', direction: 'incoming', from: bob, state: 'offered' });
  mine('offer', offer);
  mine('update', { ...offer, state: 'paused', percent: 33.3, retryable: true, reason: 'connection-lost' });
  assert.deepEqual(incoming, [
    'Bob offers Holiday (312 files, 2.1 GB). /accept 9 or /decline 9',
    'Holiday paused at 33 %: The connection to the room was lost. /retry 9 resumes it.',
  ]);
});

test('/files lists a bundle as one line, with how each recipient of your own offer is doing', () => {
  assert.equal(
    listing(
      view({
        state: 'sending',
        percent: 42,
        bytesPerSecond: 3_100_000,
        secondsLeft: 80,
        recipients: [
          { member: bob, state: 'accepted', bytes: 0, percent: 40.5 },
          { member: cy, state: 'ended', bytes: 0, percent: 3, reason: 'disk-full' },
        ],
      }),
    ),
    '7  ↑ Holiday (312 files, 2.1 GB)  sending 42 % of 2.1 GB · 3.1 MB/s · 1 min 20 s left  to everyone: Bob receiving 40 %, Cy failed (disk-full)',
  );
  assert.equal(
    listing(
      view({ id: '9', direction: 'incoming', from: bob, files: undefined, size: 5000, state: 'paused', percent: 60, retryable: true }),
    ),
    '9  ↓ Holiday (5.0 kB)  paused 60 %  from Bob  /retry 9',
  );
  assert.equal(listing(view({ id: 'q2', state: 'queued', to: [cy] })), 'q2  ↑ Holiday (312 files, 2.1 GB)  queued 0 %  to Cy');
});

test('--json: every update as an object, with the bundle’s count, recipients, time left, retryable and `was`', () => {
  const lines: Array<Record<string, unknown>> = [];
  const emit = (event: string, data: object) => lines.push({ event, ...data });
  transferJson(emit, 'update', view({ state: 'offered', to: [bob], was: 'q1' }));
  transferJson(emit, 'update', view({ state: 'sending', percent: 10, bytesPerSecond: 5, secondsLeft: 9 }));
  transferJson(emit, 'update', view({ state: 'paused', reason: 'connection-lost', retryable: true }));
  transferJson(emit, 'update', view({ state: 'failed', reason: 'file-changed', message: 'It changed.', retryable: true }));
  assert.deepEqual(
    lines.map((l) => [l.event, l.state, l.files, l.was, l.secondsLeft, l.retryable, l.reason]),
    [
      ['file-progress', 'offered', 312, 'q1', undefined, undefined, undefined],
      ['file-progress', 'sending', 312, undefined, 9, undefined, undefined],
      ['file-progress', 'paused', 312, undefined, undefined, true, 'connection-lost'],
      ['file-ended', 'failed', 312, undefined, undefined, true, 'file-changed'],
    ],
  );
  assert.deepEqual(lines[0]?.to, [bob]);
});
