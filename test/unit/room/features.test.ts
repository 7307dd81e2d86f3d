import { test } from 'node:test';
import assert from 'node:assert/strict';
import { z } from 'zod';
import { VERSION_1_FEATURES, featureListSchema, sharedFeatures } from '../../../src-main/wire/features';
import { MessageRegistry } from '../../../src-main/wire/message-registry';
import { BUILD_MESSAGES } from '../../../src-main/session/room-features';
import { TRANSFER_CLIENT_TYPES, TRANSFER_HOST_TYPES } from '../../../src-main/features/files/transfer-messages';

const OURS = BUILD_MESSAGES.names;

test('this build speaks chat/1, files/1, files/2 and typing/1, and assumes chat and files/1 of a peer that announces nothing', () => {
  assert.deepEqual([...OURS], ['chat/1', 'files/1', 'files/2', 'typing/1']);
  assert.deepEqual([...VERSION_1_FEATURES], ['chat/1', 'files/1']);
  assert.deepEqual([...sharedFeatures(OURS, undefined)].sort(), ['chat/1', 'files/1']);
});

test('what a connection may use is what both sides speak; unknown names are kept out, not refused', () => {
  assert.deepEqual([...sharedFeatures(OURS, ['chat/1'])], ['chat/1']);
  assert.deepEqual([...sharedFeatures(OURS, ['files/1', 'whiteboard/1', 'chat/2'])], ['files/1']);
  assert.deepEqual([...sharedFeatures(OURS, [])], [], 'an empty list is a peer that speaks no feature, not a version-1 peer');
});

test('every message belongs to one registered feature or the core', () => {
  const featureOf = (type: string) => BUILD_MESSAGES.featureOf(type)?.name;
  assert.equal(featureOf('chat'), 'chat/1');
  assert.equal(featureOf('typing'), 'typing/1');
  for (const type of [...TRANSFER_CLIENT_TYPES, ...TRANSFER_HOST_TYPES]) assert.equal(featureOf(type), 'files/1', type);
  for (const core of ['hello', 'welcome', 'error', 'joined', 'left']) assert.equal(featureOf(core), undefined, core);
  const chatOnly = sharedFeatures(OURS, ['chat/1']);
  assert.equal(BUILD_MESSAGES.allowed(chatOnly, 'chat'), true);
  assert.equal(BUILD_MESSAGES.allowed(chatOnly, 'joined'), true);
  assert.equal(BUILD_MESSAGES.allowed(chatOnly, 'file-offered'), false);
  assert.equal(BUILD_MESSAGES.allowed(sharedFeatures(OURS, ['files/1']), 'chat'), false);
});

test('the registry refuses two features that claim one message type, a bad name, or two owners of binary frames', () => {
  const ping = z.strictObject({ type: z.literal('ping-me') });
  const spec = (name: string, extra = {}) => ({ name, toHost: [ping], toMember: [], ...extra });
  assert.throws(() => new MessageRegistry([spec('a/1'), spec('b/1')]), /belongs to a\/1 and b\/1/);
  assert.throws(() => new MessageRegistry([{ name: 'Bad', toHost: [], toMember: [] }]), /name\/version/);
  assert.throws(
    () =>
      new MessageRegistry([
        { name: 'a/1', toHost: [], toMember: [] },
        { name: 'a/1', toHost: [], toMember: [] },
      ]),
    /twice/,
  );
  const bin = (name: string) => ({ name, toHost: [], toMember: [], binaryKinds: [1] });
  assert.throws(() => new MessageRegistry([bin('a/1'), bin('b/1')]), /binary/);
  const registry = new MessageRegistry([spec('a/1')]);
  assert.equal(registry.toHost.types.has('ping-me'), true);
  assert.equal(registry.toMember.types.has('ping-me'), false);
  assert.equal(registry.toHost.schema.safeParse({ type: 'ping-me' }).success, true);
  assert.equal(registry.toHost.schema.safeParse({ type: 'chat', id: 'x', text: 'hi' }).success, false, 'chat is not registered here');
});

test('feature lists: name/version, at most 32 of them', () => {
  assert.equal(featureListSchema.safeParse(['chat/1', 'files/1', 'typing/1', 'x-y2/9999']).success, true);
  for (const bad of ['Chat/1', 'chat', 'chat/0', 'chat/01', 'chat/10000', '/1', 'chat/1 ', `${'a'.repeat(33)}/1`, 7]) {
    assert.equal(featureListSchema.safeParse([bad]).success, false, JSON.stringify(bad));
  }
  assert.equal(featureListSchema.safeParse(Array.from({ length: 33 }, (_, i) => `f${i}/1`)).success, false);
});
