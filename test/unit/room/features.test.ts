import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  CHAT_FEATURE,
  FILES_FEATURE,
  OUR_FEATURES,
  VERSION_1_FEATURES,
  allowed,
  featureListSchema,
  featureOf,
  sharedFeatures,
} from '../../../src-main/wire/features';
import { TRANSFER_CLIENT_TYPES, TRANSFER_HOST_TYPES } from '../../../src-main/features/files/transfer-messages';

test('this build speaks chat/1 and files/1, and assumes both of a peer that announces nothing', () => {
  assert.deepEqual([...OUR_FEATURES], ['chat/1', 'files/1']);
  assert.deepEqual([...VERSION_1_FEATURES], ['chat/1', 'files/1']);
  assert.deepEqual([...sharedFeatures(undefined)].sort(), ['chat/1', 'files/1']);
});

test('what a connection may use is what both sides speak; unknown names are kept out, not refused', () => {
  assert.deepEqual([...sharedFeatures(['chat/1'])], ['chat/1']);
  assert.deepEqual([...sharedFeatures(['files/1', 'typing/1', 'chat/2'])], ['files/1']);
  assert.deepEqual([...sharedFeatures([])], [], 'an empty list is a peer that speaks no feature, not a version-1 peer');
});

test('every message belongs to chat/1, files/1 or the core', () => {
  assert.equal(featureOf('chat'), CHAT_FEATURE);
  for (const type of [...TRANSFER_CLIENT_TYPES, ...TRANSFER_HOST_TYPES]) assert.equal(featureOf(type), FILES_FEATURE, type);
  for (const core of ['hello', 'welcome', 'error', 'joined', 'left']) assert.equal(featureOf(core), undefined, core);
  const chatOnly = sharedFeatures(['chat/1']);
  assert.equal(allowed(chatOnly, 'chat'), true);
  assert.equal(allowed(chatOnly, 'joined'), true);
  assert.equal(allowed(chatOnly, 'file-offered'), false);
  assert.equal(allowed(sharedFeatures(['files/1']), 'chat'), false);
});

test('feature lists: name/version, at most 32 of them', () => {
  assert.equal(featureListSchema.safeParse(['chat/1', 'files/1', 'typing/1', 'x-y2/9999']).success, true);
  for (const bad of ['Chat/1', 'chat', 'chat/0', 'chat/01', 'chat/10000', '/1', 'chat/1 ', `${'a'.repeat(33)}/1`, 7]) {
    assert.equal(featureListSchema.safeParse([bad]).success, false, JSON.stringify(bad));
  }
  assert.equal(featureListSchema.safeParse(Array.from({ length: 33 }, (_, i) => `f${i}/1`)).success, false);
});
