// The room knows no feature: a room built with a feature made up here (echo/1), and none of this
// build's, admits, welcomes and routes its messages; a guest of this build in it gets no chat.
import { afterEach, test } from 'node:test';
import assert from 'node:assert/strict';
import { z } from 'zod';
import type { FeatureSpec } from '../../../src-main/wire/feature-spec';
import type {
  DetachReason,
  HubFeature,
  HubRoom,
  MemberConnection,
  MemberFeature,
  RoomLink,
  WireMessage,
} from '../../../src-main/room/feature';
import { HostedRoom } from '../../../src-main/room/hosted-room';
import { JoinedRoom } from '../../../src-main/room/joined-room';
import { RoomClient } from '../../../src-main/session/room-client';
import { PortholeError } from '../../../src-main/wire/errors';
import { inviteFor, testIdentity, waitFor } from '../../fixtures/room';
import { createRoomSecret } from '../../../src-main/session/room-host';

const ECHO: FeatureSpec = {
  name: 'echo/1',
  toHost: [z.strictObject({ type: z.literal('shout'), words: z.string().max(100) })],
  toMember: [z.strictObject({ type: z.literal('echo'), words: z.string(), from: z.string() })],
};

class EchoHub implements HubFeature {
  room: HubRoom | undefined;
  start(room: HubRoom): void {
    this.room = room;
  }
  message(connection: MemberConnection, message: WireMessage): void {
    const { words } = message as { type: string; words: string };
    this.room?.broadcast({ type: 'echo', words: words.toUpperCase(), from: connection.member.name } as WireMessage);
  }
}

class EchoMember implements MemberFeature {
  link: RoomLink | undefined;
  readonly heard: string[] = [];
  attach(link: RoomLink | undefined): void {
    this.link = link;
  }
  message(message: WireMessage): void {
    const { words, from } = message as { type: string; words: string; from: string };
    this.heard.push(`${from}: ${words}`);
  }
  detach(_reason: DetachReason): void {
    this.link = undefined;
  }
}

/** A hosted room with exactly these features, none of this build's. */
async function openRoom(features: Parameters<typeof HostedRoom.open>[1]): Promise<HostedRoom> {
  const options = { identity: await testIdentity(), secret: createRoomSecret(), hostName: 'Host', listenHost: '127.0.0.1' };
  return HostedRoom.open(options, features);
}

const opened: Array<{ close(): Promise<void> }> = [];
afterEach(async () => {
  await Promise.allSettled(opened.splice(0).map((r) => r.close()));
});

test('a room with only a feature made up in this test routes its messages both ways, the host’s own member included', async () => {
  const hostMember = new EchoMember();
  const host = await openRoom([{ spec: ECHO, hub: new EchoHub(), member: hostMember }]);
  opened.push(host);
  const guestMember = new EchoMember();
  const guest = JoinedRoom.with(inviteFor(host), { name: 'Guest' }, [{ spec: ECHO, member: guestMember }]);
  opened.push(guest);
  await guest.connect();
  assert.deepEqual(host.messages.names, ['echo/1']);
  guestMember.link?.send({ type: 'shout', words: 'hello' } as WireMessage);
  hostMember.link?.send({ type: 'shout', words: 'hi back' } as WireMessage);
  await waitFor(guest, () => guestMember.heard.length === 2 && hostMember.heard.length === 2, 3000, 'both echoes everywhere');
  assert.deepEqual(guestMember.heard.sort(), ['Guest: HELLO', 'Host: HI BACK']);
  assert.deepEqual(hostMember.heard.sort(), ['Guest: HELLO', 'Host: HI BACK']);
});

test('a guest of this build in that room shares no feature: chat is refused with a sentence, nothing breaks', async () => {
  const host = await openRoom([{ spec: ECHO, hub: new EchoHub(), member: new EchoMember() }]);
  opened.push(host);
  const client = await RoomClient.join(inviteFor(host), { name: 'Newer', connectTimeoutMs: 3000 });
  opened.push(client);
  assert.equal(client.state, 'connected');
  assert.throws(
    () => client.send('hello?'),
    (err: unknown) => err instanceof PortholeError && err.code === 'not-allowed',
  );
  assert.deepEqual(
    client.members().map((m) => m.name),
    ['Host', 'Newer'],
  );
});
