// Who gets in, by the room size: the host counts, a lowered size removes nobody and turns only
// newcomers away (with a sentence naming the size), and a member who never left still resumes.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { PeerConnection } from '../../../src-main/link/peer-connection';
import { MemberRegistry, type Admission } from '../../../src-main/room/member-registry';

const HOST = { id: 'host0000', name: 'Host', host: true };
/** The registry only keeps connections as keys: any distinct object stands for one. */
const connection = () => ({}) as PeerConnection;

function admitted(outcome: Admission) {
  assert.equal(outcome.ok, true, JSON.stringify(outcome));
  return outcome as Extract<Admission, { ok: true }>;
}

function refusal(outcome: Admission) {
  assert.equal(outcome.ok, false, 'expected a refusal');
  return (outcome as Extract<Admission, { ok: false }>).error;
}

test('the room size counts the host: a room of 3 takes two guests, then room-full naming the size', () => {
  const registry = new MemberRegistry(HOST, 3);
  admitted(registry.admit(connection(), 'Alice', undefined));
  admitted(registry.admit(connection(), 'Bob', undefined));
  const error = refusal(registry.admit(connection(), 'Carol', undefined));
  assert.equal(error.code, 'room-full');
  assert.match(error.message, /takes 3 people, the host included/);
  assert.deepEqual(
    registry.members().map((m) => m.name),
    ['Host', 'Alice', 'Bob'],
  );
});

test('lowering the size keeps everyone present; newcomers are refused until enough have left, then let in', () => {
  const registry = new MemberRegistry(HOST, 10);
  const peers = ['Alice', 'Bob', 'Carol', 'Dave'].map((name) => {
    const peer = connection();
    admitted(registry.admit(peer, name, undefined));
    return peer;
  });
  registry.maxMembers = 3; // five in the room now, host included
  assert.equal(registry.members().length, 5, 'nobody removed');
  const error = refusal(registry.admit(connection(), 'Erin', undefined));
  assert.equal(error.code, 'room-full');
  assert.match(error.message, /takes 3 people/);
  // Two leave: still three present, so still full.
  registry.release(peers[0]!);
  registry.release(peers[1]!);
  assert.equal(refusal(registry.admit(connection(), 'Erin', undefined)).code, 'room-full');
  registry.release(peers[2]!);
  admitted(registry.admit(connection(), 'Erin', undefined));
  // Raised again: room at once.
  registry.maxMembers = 5;
  admitted(registry.admit(connection(), 'Frank', undefined));
});

test('over a lowered size, a member whose connection dropped resumes; one who comes back later is a newcomer', () => {
  const registry = new MemberRegistry(HOST, 10);
  const alicePeer = connection();
  const alice = admitted(registry.admit(alicePeer, 'Alice', undefined)).session;
  admitted(registry.admit(connection(), 'Bob', undefined));
  registry.maxMembers = 2;
  registry.release(alicePeer, true); // dropped; lingering for its grace time
  const resumed = admitted(registry.admit(connection(), 'Alice', alice.token));
  assert.equal(resumed.resumed, true);
  assert.equal(resumed.announce, false, 'the room sees no leave and no join');
  assert.equal(registry.members().length, 3);
  // Gone for good (the grace ran out), then back with the same token: counted as a newcomer.
  registry.release(resumed.session.peer!, true);
  assert.equal(registry.settle(resumed.session), true);
  assert.equal(refusal(registry.admit(connection(), 'Alice', alice.token)).code, 'room-full');
});
