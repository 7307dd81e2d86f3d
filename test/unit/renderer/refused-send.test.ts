// A line the room refused after the composer let it go goes back to the composer with why.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { AppSnapshot, SettingsView } from '../../../src-preload/contract';
import { fieldOfError } from '../../../src-renderer/format/field-errors';
import { initialState } from '../../../src-renderer/state/app-state';
import { reducer } from '../../../src-renderer/state/reducer';
import { roomView } from './room-fixtures';

const settings: SettingsView = {
  displayName: '',
  downloadDir: '/d',
  downloadDirIsDefault: true,
  port: null,
  upnp: false,
  publicAddress: '',
};
const snapshot = (room: AppSnapshot['room']): AppSnapshot => ({ settings, room, suggestedName: 'robin' });
const inRoom = reducer(initialState, { type: 'snapshot-loaded', snapshot: snapshot(roomView()) });

test('a refused line waits for the composer with its text and reason; several come back together, in order', () => {
  const once = reducer(inRoom, { type: 'send-refused', text: 'first', why: 'Too fast.' });
  assert.deepEqual(once.refusedSend, { id: 1, text: 'first', why: 'Too fast.' });
  const twice = reducer(once, { type: 'send-refused', text: 'second', why: 'Still too fast.' });
  assert.deepEqual(twice.refusedSend, { id: 2, text: 'first\nsecond', why: 'Still too fast.' });
  assert.equal(reducer(twice, { type: 'refused-send-taken' }).refusedSend, null);
  assert.deepEqual(twice.notices, [], 'no notice: the composer says it next to the box');
});

test('with no room, or once the room ends, there is no composer to give it back to', () => {
  const start = reducer(initialState, { type: 'snapshot-loaded', snapshot: snapshot(null) });
  assert.equal(reducer(start, { type: 'send-refused', text: 'x', why: 'y' }).refusedSend, null);
  const refused = reducer(inRoom, { type: 'send-refused', text: 'x', why: 'y' });
  assert.equal(reducer(refused, { type: 'room-ended' }).refusedSend, null);
});

test('join and host errors go next to the field they are about', () => {
  assert.equal(fieldOfError('invite-invalid'), 'invite');
  assert.equal(fieldOfError('wrong-secret'), 'invite');
  assert.equal(fieldOfError('name-invalid'), 'name');
  assert.equal(fieldOfError('name-taken'), 'name');
  assert.equal(fieldOfError('connect-failed' as never), null);
  assert.equal(fieldOfError(undefined), null);
});
