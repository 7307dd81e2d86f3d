// The relay fallback end to end with the unmodified CLI: host and guest each behind a NAT that
// forwards nothing, a real strelaysrv on a third address (test/fixtures/relay-lab.ts). They join,
// chat and swap files both ways byte-identical through the relay; a capture at the relay holds
// neither a chat marker nor the room secret; an impersonating relay is refused; the host's relay
// connection is cut and restored; several guests come at once; a direct path wins when it exists.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { createHash, randomBytes } from 'node:crypto';
import { mkdtemp, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { parseInvite } from '../../../src-main/link/invite';
import { deviceIdOf } from '../../../src-main/relay/device-id';
import {
  createRelayLab,
  HOST_WAN_ADDRESS,
  RELAY_ADDRESS,
  relayLabSkipReason,
  type LabRelay,
  type RelayLab,
  type Role,
} from '../../fixtures/relay-lab';
import { BIN, jsonLines, type LabCli } from '../../fixtures/upnp-lab/lab-cli';

const skip = relayLabSkipReason();

describe('porthole through a relay, both sides behind NATs', { skip }, () => {
  let lab: RelayLab;
  let relay: LabRelay;
  const running: LabCli[] = [];

  before(async () => {
    lab = await createRelayLab();
    // Sessions carry Porthole's 20 s heartbeat, so the relay's network timeout stays above it.
    relay = await lab.startRelay({ networkTimeout: '30s', pingInterval: '5s' });
  });
  after(async () => {
    for (const cli of running) cli.child.kill('SIGKILL');
    await lab?.close();
  });

  const dirIn = (name: string) => mkdtemp(join(lab.dir, `${name}-`));
  async function cli(role: Role, name: string, args: string[]): Promise<LabCli & { dir: string }> {
    const dir = await dirIn(name);
    const started = jsonLines(lab.spawnIn(role, process.execPath, [BIN, '--config-dir', join(dir, 'config'), ...args]));
    running.push(started);
    return Object.assign(started, { dir });
  }
  async function host(extra: string[] = []) {
    const h = await cli('host', 'host', [
      'host',
      '--json',
      '--no-upnp',
      '--name',
      'Hosty',
      '--relay',
      relay.uriText,
      '--accept-files',
      ...extra,
    ]);
    const ready = await h.waitFor((e) => e.event === 'ready');
    await h.waitFor((e) => e.event === 'relay' && e.state === 'joined');
    return Object.assign(h, { invite: ready.invite as string });
  }
  async function guest(invite: string, name: string, extra: string[] = []) {
    const g = await cli('guest', name, [
      'join',
      invite,
      '--json',
      '--name',
      name,
      '--accept-files',
      '--download-dir',
      join(lab.dir, `${name}-downloads`),
      ...extra,
    ]);
    return g;
  }
  async function stop(...clis: LabCli[]) {
    for (const c of clis) {
      c.type('/quit');
      await Promise.race([c.exited, new Promise((r) => setTimeout(r, 5000))]);
      c.child.kill('SIGKILL');
    }
  }

  it('join, chat and a file both ways byte-identical; the relay sees neither the chat nor the secret', async () => {
    const capture = await lab.capture();
    const h = await host(['--download-dir', join(lab.dir, 'host-downloads')]);
    const invite = parseInvite(h.invite);
    assert.equal(invite.relay?.host, RELAY_ADDRESS);
    assert.equal(invite.relay?.id, relay.uri.id.toString('base64url'));
    assert.ok(
      invite.addresses.every((a) => a.host !== RELAY_ADDRESS),
      'the relay is not a direct address',
    );
    const joined = h.events.find((e) => e.event === 'relay' && e.state === 'joined')!;
    assert.match(joined.message, /sees who connects and how much.*not what is said or sent/);

    const g = await guest(h.invite, 'Guesty');
    await g.waitFor((e) => e.event === 'ready', 30_000);
    const marker = `marker-${randomBytes(8).toString('hex')}`;
    g.type(`guest says ${marker}`);
    await h.waitFor((e) => e.event === 'chat' && e.text === `guest says ${marker}`);
    h.type(`host says ${marker}`);
    await g.waitFor((e) => e.event === 'chat' && e.text === `host says ${marker}`);

    const toGuest = join(h.dir, 'to-guest.bin');
    const toHost = join(g.dir, 'to-host.bin');
    await writeFile(toGuest, randomBytes(3 * 1024 * 1024 + 17));
    await writeFile(toHost, randomBytes(2 * 1024 * 1024 + 5));
    h.type(`/send ${toGuest}`);
    const atGuest = await g.waitFor((e) => e.event === 'file-saved', 60_000);
    g.type(`/send ${toHost}`);
    const atHost = await h.waitFor((e) => e.event === 'file-saved', 60_000);
    assert.deepEqual(await readFile(atGuest.path), await readFile(toGuest));
    assert.deepEqual(await readFile(atHost.path), await readFile(toHost));
    assert.equal(
      atGuest.sha256,
      createHash('sha256')
        .update(await readFile(toGuest))
        .digest('hex'),
    );

    await stop(g, h);
    const pcap = await capture.stop();
    assert.ok(pcap.length > 5 * 1024 * 1024, `the files went through the relay (${pcap.length} bytes captured)`);
    assert.equal(pcap.indexOf(marker), -1, 'no chat marker at the relay');
    assert.equal(pcap.indexOf(invite.secret), -1, 'no room secret (as text) at the relay');
    assert.equal(pcap.indexOf(Buffer.from(invite.secret, 'base64url')), -1, 'no room secret (as bytes) at the relay');
  });

  it('several guests at once, all through the relay', async () => {
    const h = await host();
    const names = ['Ann', 'Bo', 'Cy'];
    const guests = await Promise.all(names.map((n) => guest(h.invite, n)));
    await Promise.all(guests.map((g) => g.waitFor((e) => e.event === 'ready', 30_000)));
    h.type('to all of you');
    await Promise.all(guests.map((g) => g.waitFor((e) => e.event === 'chat' && e.text === 'to all of you')));
    guests[2]!.type('from Cy');
    await Promise.all([h, guests[0]!, guests[1]!].map((c) => c.waitFor((e) => e.event === 'chat' && e.text === 'from Cy')));
    await stop(...guests, h);
  });

  it('a relay that is not the one the URI names is refused, with its code and a sentence', async () => {
    const impostor = await lab.startRelay({ port: 22068 });
    const h = await host();
    // The guest is told the real relay's id at the impostor's address.
    const g = await guest(h.invite, 'Wary', ['--relay', `relay://${RELAY_ADDRESS}:22068/?id=${deviceIdOf(relay.uri.id)}`]);
    const failed = await g.waitFor((e) => e.event === 'error', 30_000);
    assert.equal(failed.code, 'relay-identity-mismatch');
    assert.match(failed.message, /not the one its address names/);
    assert.notEqual(await g.exited, 0);
    await stop(h);
    await impostor.kill();
  });

  it("the host's relay connection cut and restored: it rejoins, and the guest comes back through it", async () => {
    const h = await host();
    const g = await guest(h.invite, 'Steady');
    await g.waitFor((e) => e.event === 'ready', 30_000);
    await lab.cutHostFromRelay();
    const lost = await h.waitFor((e) => e.event === 'relay' && e.state === 'retrying', 40_000);
    assert.ok(lost.error?.code?.startsWith('relay-'), JSON.stringify(lost));
    await g.waitFor((e) => e.event === 'status' && e.state === 'reconnecting', 40_000);
    await lab.restoreHostToRelay();
    const rejoinedAt = h.events.length;
    await h.waitFor((e) => e.event === 'relay' && e.state === 'joined' && h.events.indexOf(e) >= rejoinedAt, 90_000);
    await g.waitFor((e) => e.event === 'status' && e.state === 'connected' && e.at > lost.at, 90_000);
    g.type('back through the relay');
    await h.waitFor((e) => e.event === 'chat' && e.text === 'back through the relay');
    await stop(g, h);
  });

  it('a direct path wins when one exists: the guest never dials the relay', async () => {
    const port = 40000 + Math.floor(Math.random() * 2000);
    await lab.forward(port);
    const h = await host(['--port', String(port), '--public-address', `${HOST_WAN_ADDRESS}:${port}`]);
    assert.ok(parseInvite(h.invite).relay, 'the invite still names the relay');
    const before = await lab.guestSynsToRelay();
    const g = await guest(h.invite, 'Direct');
    await g.waitFor((e) => e.event === 'ready', 30_000);
    g.type('straight in');
    await h.waitFor((e) => e.event === 'chat' && e.text === 'straight in');
    assert.equal(await lab.guestSynsToRelay(), before, 'no connection from the guest to the relay');
    await stop(g, h);
  });
});
