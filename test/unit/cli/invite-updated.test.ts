// The host's "invite changed" line: a new address keeps the earlier invite working where it did;
// a revoked one (a new secret) works nowhere, and the line says so, for people and programs.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { humanOutput, jsonOutput } from '../../../src-main/cli/cli-output';
import type { RoomInvite } from '../../../src-main/session/room-invite';

const invite: RoomInvite = {
  invite: 'porthole://192.168.1.5:41234/fp/secret',
  addresses: [{ host: '192.168.1.5', port: 41234, kind: 'lan', internet: false }],
};

function human() {
  const out: string[] = [];
  return {
    output: humanOutput(
      (l) => out.push(l),
      () => {},
    ),
    out,
  };
}

test('an address that came or went: the earlier invite still works where it did', () => {
  const { output, out } = human();
  output.inviteUpdated(invite);
  assert.deepEqual(out, [
    'The invite changed; send this one from now on (the earlier one still works where it did):\n',
    `  ${invite.invite}\n`,
    '  Works from: your network.\n',
  ]);
});

test('a revoked invite: the earlier one works for no one, and --json says revoked', () => {
  const { output, out } = human();
  output.inviteUpdated(invite, true);
  assert.equal(out[0], 'The invite changed; send this one from now on (the earlier one no longer works for anyone, anywhere):\n');
  assert.ok(!out.join('').includes('still works'));

  const lines: string[] = [];
  jsonOutput((l) => lines.push(l)).inviteUpdated(invite, true);
  jsonOutput((l) => lines.push(l)).inviteUpdated(invite);
  assert.deepEqual(
    lines.map((l) => JSON.parse(l)),
    [
      { event: 'invite-updated', invite: invite.invite, addresses: invite.addresses, revoked: true },
      { event: 'invite-updated', invite: invite.invite, addresses: invite.addresses },
    ],
  );
});
