// The desktop core is composed of one module of calls per feature (and the features' own window
// parts, wired by feature-windows.ts): together they handle every call in the contract, each call
// in exactly one of them.
import { recentRoomsCalls } from '../../../src-main/desktop/recent-rooms-calls';
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { CALL_NAMES } from '../../../src-preload/contract';
import { appCalls } from '../../../src-main/desktop/app-calls';
import { chatCalls } from '../../../src-main/desktop/chat-calls';
import { featureWindowCalls } from '../../../src-main/desktop/feature-windows';
import { roomCalls } from '../../../src-main/desktop/room-calls';
import { settingsCalls } from '../../../src-main/desktop/settings-calls';
import { transferCalls } from '../../../src-main/desktop/transfer-calls';
import { uploadCalls } from '../../../src-main/desktop/upload-calls';

test('every call is handled by exactly one feature module', () => {
  // Building a module only makes closures; nothing runs until a call comes in.
  const deps = {} as never;
  const modules = [
    appCalls(deps),
    settingsCalls(deps),
    roomCalls(deps),
    recentRoomsCalls(deps),
    chatCalls(deps),
    featureWindowCalls(deps),
    transferCalls(deps),
    uploadCalls(deps),
  ];
  const handled = modules.flatMap((m) => Object.keys(m));
  assert.deepEqual([...handled].sort(), [...CALL_NAMES].sort());
  assert.equal(new Set(handled).size, handled.length);
});
