// A guest link is handed over after the welcome without a gap: ws emits every frame of one TCP
// read at once, so what follows the welcome in the same read (the rest of the history, a close)
// reaches no listener unless it is held until the session takes the link.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { EventEmitter } from 'node:events';
import type { WebSocket } from 'ws';
import { handOver } from '../../../src-main/link/host-link';

test('frames, pings and a close that arrive before the session takes the link are delivered first, in order, then live ones', () => {
  const ws = new EventEmitter();
  const deliver = handOver(ws as unknown as WebSocket);
  ws.emit('message', Buffer.from('history 2'), false);
  ws.emit('ping');
  ws.emit('message', Buffer.from([1, 2, 3]), true);
  ws.emit('error', new Error('ignored: the close says the rest'));
  const seen: string[] = [];
  deliver({
    frame: (data, isBinary) => seen.push(isBinary ? `binary ${data.length}` : `text ${data.toString()}`),
    ping: () => seen.push('ping'),
    close: (code, reason) => seen.push(`close ${code} ${reason}`),
  });
  assert.deepEqual(seen, ['text history 2', 'ping', 'binary 3']);
  ws.emit('message', Buffer.from('live'), false);
  ws.emit('close', 1001, Buffer.from('The host closed the room.'));
  assert.deepEqual(seen, ['text history 2', 'ping', 'binary 3', 'text live', 'close 1001 The host closed the room.']);
  assert.throws(() => deliver({ frame() {}, ping() {}, close() {} }), /handed over once/);
});

test('a close that came before the hand-over is delivered too, after the frames before it', () => {
  const ws = new EventEmitter();
  const deliver = handOver(ws as unknown as WebSocket);
  ws.emit('message', Buffer.from('last words'), false);
  ws.emit('close', 1000, Buffer.from(''));
  const seen: string[] = [];
  deliver({ frame: (d) => seen.push(d.toString()), ping: () => {}, close: (code) => seen.push(`close ${code}`) });
  assert.deepEqual(seen, ['last words', 'close 1000']);
});
