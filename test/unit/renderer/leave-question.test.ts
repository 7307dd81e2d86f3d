import { test } from 'node:test';
import assert from 'node:assert/strict';
import { leaveQuestion, movingTransfers, transfersStopSentence } from '../../../src-renderer/format/leave-question';
import { ana, bo, roomView, transfer } from './room-fixtures';

test('a guest with nothing moving leaves at once, whatever finished or waits for an answer', () => {
  const room = roomView({
    transfers: [
      transfer('a', { state: 'offered' }),
      transfer('b', { state: 'done' }),
      transfer('c', { state: 'declined' }),
      transfer('d', { state: 'cancelled' }),
      transfer('e', { state: 'failed' }),
      transfer('f', { direction: 'outgoing', state: 'offered' }),
    ],
  });
  assert.equal(leaveQuestion(room), undefined);
});

test('a guest is asked while a file is moving either way, counting only the moving ones', () => {
  const room = roomView({
    transfers: [
      transfer('in', { state: 'receiving' }),
      transfer('out', { direction: 'outgoing', state: 'sending' }),
      transfer('done', { state: 'done' }),
    ],
  });
  assert.deepEqual(leaveQuestion(room), { kind: 'files-moving', moving: 2 });
  assert.deepEqual(leaveQuestion(roomView({ transfers: [transfer('x', { state: 'receiving' })] })), { kind: 'files-moving', moving: 1 });
});

test('the host is always asked (the room closes for everyone), with who is there and what is moving', () => {
  const alone = roomView({ role: 'host', me: ana, members: [ana] });
  assert.deepEqual(leaveQuestion(alone), { kind: 'stop-hosting', guests: 0, moving: 0 });
  const busy = roomView({
    role: 'host',
    me: ana,
    members: [ana, bo],
    transfers: [transfer('t', { direction: 'outgoing', state: 'sending' })],
  });
  assert.deepEqual(leaveQuestion(busy), { kind: 'stop-hosting', guests: 1, moving: 1 });
});

test('the sentence counts transfers in plain words', () => {
  assert.equal(transfersStopSentence(1), '1 transfer stops.');
  assert.equal(transfersStopSentence(3), '3 transfers stop.');
  assert.equal(movingTransfers(roomView()), 0);
});
