import { test } from 'node:test';
import assert from 'node:assert/strict';
import { jsonOutput } from '../../../src-main/cli/cli-output';
import { holdUntilReady } from '../../../src-main/cli/held-output';

const me = { id: 'm1', name: 'Ana', host: false };
const events = (lines: string[]) => lines.map((l) => JSON.parse(l).event);

test('what the room reports before ready waits, in its order, and follows ready; errors do not wait', () => {
  const lines: string[] = [];
  const shown = holdUntilReady(jsonOutput((l) => void lines.push(l)));
  shown.status({ state: 'connected' });
  shown.roomEvent({ type: 'joined', seq: 1, ts: 1, member: me }, true);
  shown.members([me]);
  shown.warning({ code: 'port-changed', message: 'Port 1 was taken.' });
  shown.error({ code: 'internal', message: 'Shown at once.' });
  assert.deepEqual(events(lines), ['error']);
  shown.ready({ role: 'guest', me, members: [me] });
  assert.deepEqual(events(lines), ['error', 'ready', 'status', 'member-joined', 'members', 'warning']);
  shown.members([]);
  assert.deepEqual(events(lines).at(-1), 'members', 'after ready, nothing waits');
});
