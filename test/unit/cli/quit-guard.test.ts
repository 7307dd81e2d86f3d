import { test } from 'node:test';
import assert from 'node:assert/strict';
import { quitWouldCost } from '../../../src-main/cli/quit-guard';
import type { RoomSession } from '../../../src-main/session/room-session';

/** The parts of a session /quit looks at: who you are, who is here, the transfers. */
function session(host: boolean, others: number, states: Array<[string, 'incoming' | 'outgoing']>): RoomSession {
  const me = { id: 'me', name: 'Me', host };
  const members = [me, ...Array.from({ length: others }, (_, i) => ({ id: `o${i}`, name: `O${i}`, host: false }))];
  const list = () => states.map(([state, direction]) => ({ state, direction }));
  return { me, members: () => members, transfers: { list } } as unknown as RoomSession;
}

test('/quit leaves at once for a guest with nothing running', () => {
  assert.equal(quitWouldCost(session(false, 1, [])), undefined);
  assert.equal(
    quitWouldCost(
      session(false, 1, [
        ['done', 'incoming'],
        ['offered', 'incoming'],
        ['failed', 'outgoing'],
      ]),
    ),
    undefined,
  );
});

test('/quit asks while hosting, and says how many it would send away', () => {
  assert.match(quitWouldCost(session(true, 0, [])) ?? '', /^You are hosting: leaving closes the room\. Type \/quit again/);
  assert.match(quitWouldCost(session(true, 1, [])) ?? '', /closes the room for the other person here\./);
  assert.match(quitWouldCost(session(true, 3, [])) ?? '', /closes the room for the 3 others here\./);
});

test('/quit asks while a file moves or your offer waits for answers', () => {
  assert.match(quitWouldCost(session(false, 1, [['receiving', 'incoming']])) ?? '', /^A file transfer is still running and would stop\./);
  assert.match(
    quitWouldCost(
      session(false, 1, [
        ['sending', 'outgoing'],
        ['offered', 'outgoing'],
      ]),
    ) ?? '',
    /^2 file transfers are still running/,
  );
});
