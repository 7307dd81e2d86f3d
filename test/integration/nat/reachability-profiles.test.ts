// One invite that works from anywhere, on every kind of home network a real router daemon can
// play: `porthole host` runs in the lab's `lan`, a friend joins from the `wan` side with the
// one invite the host printed (or its update), and every verdict comes within seconds.
import { describe, it, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseInvite } from '../../../src-main/link/invite';
import {
  createLab,
  GATEWAY_WAN_ADDRESS,
  LAN_HOST_V6,
  OUTER_INNER_ADDRESS,
  type Lab,
  type LabOptions,
} from '../../fixtures/upnp-lab/lab-network';
import { porthole, type CliEvent, type LabCli } from '../../fixtures/upnp-lab/lab-cli';
import { labSkipReason } from '../../fixtures/upnp-lab/lab-prerequisites';
import { routerRules } from '../../fixtures/upnp-lab/lab-checks';
import { signalGroup } from '../../fixtures/upnp-lab/lab-processes';

const skip = labSkipReason();
const tempDir = () => mkdtemp(join(tmpdir(), 'porthole-reach-'));
/** The mapper answers within 2.8 s of the room being ready; the rest is a loaded CI machine's slack. */
const FIRST_VERDICT_MS = 4_000;

const labs: Lab[] = [];
after(async () => {
  await Promise.all(labs.map((lab) => lab.close()));
});

async function lab(options: LabOptions): Promise<Lab> {
  const made = await createLab(options);
  labs.push(made);
  return made;
}

/** Starts the host CLI; resolves with it, its ready event and its first verdict (timed). */
async function host(where: Lab, extra: string[] = []) {
  const cli = porthole(where, where.ns.lan, await tempDir(), ['host', '--json', '--name', 'Hosty', ...extra]);
  const ready = await cli.waitFor((e) => e.event === 'ready', 30_000);
  const verdict = await cli.waitFor((e) => e.event === 'port-mapping' && e.code !== 'starting', 30_000);
  assert.ok(verdict.at - ready.at <= FIRST_VERDICT_MS, `first verdict after ${verdict.at - ready.at} ms: ${verdict.message}`);
  return { cli, ready, verdict };
}

/** The newest invite the host printed. */
function latestInvite(cli: LabCli): CliEvent {
  return [...cli.events].reverse().find((e) => e.event === 'invite-updated') ?? cli.events.find((e) => e.event === 'ready')!;
}

/** A friend on the internet side joins with `invite` and they chat both ways. */
async function friendChats(where: Lab, hostCli: LabCli, invite: string, text: string): Promise<void> {
  const friend = porthole(where, where.ns.wan, await tempDir(), ['join', invite, '--json', '--name', 'Friend']);
  await friend.waitFor((e) => e.event === 'ready', 30_000);
  friend.type(text);
  await hostCli.waitFor((e) => e.event === 'chat' && e.text === text);
  hostCli.type(`${text} back`);
  await friend.waitFor((e) => e.event === 'chat' && e.text === `${text} back`);
  friend.type('/quit');
  await friend.exited;
}

async function quit(cli: LabCli): Promise<CliEvent> {
  cli.type('/quit');
  assert.equal(await cli.exited, 0);
  return [...cli.events].reverse().find((e) => e.event === 'port-mapping')!;
}

describe('reachability: one invite, every kind of home network', { skip }, () => {
  for (const igd of [1, 2] as const) {
    it(`IGDv${igd}: the invite gains the public address and a friend on the internet joins with it`, async () => {
      const where = await lab({ igd, wan: 'public', natpmp: false });
      const { cli, ready, verdict } = await host(where);
      assert.equal(verdict.code, 'mapped', verdict.message);
      assert.equal(verdict.method, 'upnp-igd');
      assert.deepEqual(
        ready.addresses.map((a: { kind: string }) => a.kind),
        ['lan'],
      );
      const updated = await cli.waitFor((e) => e.event === 'invite-updated');
      const invite = parseInvite(updated.invite);
      assert.deepEqual(invite.addresses[0], { host: GATEWAY_WAN_ADDRESS, port: verdict.externalPort });
      assert.ok(
        invite.addresses.some((a) => a.host === '192.168.77.10'),
        'the LAN address stays in the same invite',
      );
      assert.ok(updated.invite.length < 300, `${updated.invite.length} characters`);
      await friendChats(where, cli, updated.invite, `igd${igd}`);
      const stopped = await quit(cli);
      assert.equal(stopped.code, 'stopped');
      assert.match(stopped.message, /no longer forwards/);
    });
  }

  it('NAT-PMP/PCP only (UPnP off on the router): PCP opens the port and a friend joins', async () => {
    const where = await lab({ upnp: false });
    const { cli, verdict } = await host(where);
    assert.equal(verdict.code, 'mapped', verdict.message);
    assert.ok(['pcp', 'nat-pmp'].includes(verdict.method), verdict.method);
    const updated = await cli.waitFor((e) => e.event === 'invite-updated');
    await friendChats(where, cli, updated.invite, 'through pcp');
    assert.equal((await quit(cli)).code, 'stopped');
  });

  it('IPv6 behind a default-drop firewall: a pinhole lets a friend in over IPv6, even under carrier-grade NAT', async () => {
    const where = await lab({ wan: 'cgnat', ipv6: true });
    const { cli } = await host(where);
    const pinholed = await cli.waitFor((e) => e.event === 'port-mapping' && e.ipv6 !== undefined);
    assert.equal(pinholed.code, 'cgnat', pinholed.message);
    assert.equal(pinholed.ipv6.address, LAN_HOST_V6);
    assert.match(pinholed.message, /IPv6 can still join/);
    const updated = await cli.waitFor((e) => e.event === 'invite-updated' && e.addresses.some((a: { kind: string }) => a.kind === 'ipv6'));
    assert.equal(parseInvite(updated.invite).addresses[0]!.host, LAN_HOST_V6, 'the pinholed address leads the invite');
    await friendChats(where, cli, updated.invite, 'over ipv6');
    assert.equal((await quit(cli)).code, 'stopped');
  });

  it('double NAT: the verdict names the address to forward to; with that forward added by hand, a friend joins', async () => {
    const where = await lab({ outer: 'router', natpmp: false });
    const first = await host(where);
    assert.equal(first.verdict.code, 'double-nat', first.verdict.message);
    assert.match(
      first.verdict.message,
      new RegExp(`Forward TCP ${first.verdict.externalPort} on the outer router to ${OUTER_INNER_ADDRESS.replace(/\./g, '\\.')}`),
    );
    assert.ok(
      latestInvite(first.cli).addresses.every((a: { kind: string }) => a.kind === 'lan'),
      'a private address is not offered',
    );
    const port = first.verdict.externalPort as number;
    await quit(first.cli);

    await where.forwardOnOuter(port);
    const second = await host(where, ['--port', String(first.ready.port), '--public-address', `${GATEWAY_WAN_ADDRESS}:${port}`]);
    const manual = second.ready.addresses.find((a: { kind: string }) => a.kind === 'manual');
    assert.deepEqual(manual, { host: GATEWAY_WAN_ADDRESS, port, kind: 'manual', internet: true });
    await second.cli.waitFor((e) => e.event === 'port-mapping' && e.code === 'double-nat');
    await friendChats(where, second.cli, latestInvite(second.cli).invite, 'through two routers');
    await quit(second.cli);
  });

  it('a router that offers nothing (UPnP, NAT-PMP and PCP all off): told within seconds, and the search goes on', async () => {
    const where = await lab({ gateway: 'none' });
    const { cli, verdict } = await host(where);
    assert.equal(verdict.code, 'no-router', verdict.message);
    assert.equal(verdict.searching, true);
    assert.match(verdict.message, /forward TCP \d+ to 192\.168\.77\.10 on your router/);
    await quit(cli);
  });

  it('no router at all: friends must be on this network, said within seconds', async () => {
    const where = await lab({ gateway: 'none', defaultRoute: false });
    const { cli, verdict } = await host(where);
    assert.equal(verdict.code, 'no-gateway', verdict.message);
    assert.match(verdict.message, /friends must be on this network/);
    await quit(cli);
  });

  it('a router that answers discovery 3 s late is found by a later search, and the invite is upgraded', async () => {
    const where = await lab({ natpmp: false, lateSsdpMs: 3_000 });
    const { cli, verdict } = await host(where);
    assert.equal(verdict.code, 'no-router', verdict.message);
    const mapped = await cli.waitFor((e) => e.event === 'port-mapping' && e.code === 'mapped', 30_000);
    const updated = await cli.waitFor((e) => e.event === 'invite-updated', 5_000);
    assert.equal(parseInvite(updated.invite).addresses[0]!.host, mapped.externalAddress);
    await friendChats(where, cli, updated.invite, 'found late');
    await quit(cli);
  });

  // 20 %: the join itself (TCP, TLS, upgrade, welcome) must also get through within its 10 s, and at 30 % it
  // sometimes did not; the router search copes with more (PCP retransmits, the search repeats).
  it('a lossy LAN link (20 % of packets dropped each way): the port is still opened and a friend joins', async () => {
    const where = await lab({ lanLossPercent: 20 });
    const cli = porthole(where, where.ns.lan, await tempDir(), ['host', '--json', '--name', 'Hosty']);
    await cli.waitFor((e) => e.event === 'ready', 30_000);
    const mapped = await cli.waitFor((e) => e.event === 'port-mapping' && e.code === 'mapped', 60_000);
    assert.equal(mapped.externalAddress, GATEWAY_WAN_ADDRESS);
    const updated = await cli.waitFor((e) => e.event === 'invite-updated');
    await friendChats(where, cli, updated.invite, 'through the noise');
    await quit(cli);
  });
});

describe('what a killed host left behind', { skip }, () => {
  it('on a PCP-only router, the next start takes the mapping over and its stop removes it', async () => {
    const where = await lab({ upnp: false });
    const configDir = await tempDir();
    const killed = porthole(where, where.ns.lan, configDir, ['host', '--json', '--name', 'Hosty'], { ownGroup: true });
    const first = await killed.waitFor((e) => e.event === 'port-mapping' && e.code === 'mapped', 30_000);
    assert.equal(first.method, 'pcp');
    signalGroup(killed.child.pid!, 'SIGKILL');
    await killed.exited;
    const forwards = async () => (await routerRules(where.ns.gw)).includes(`dnat ip to 192.168.77.10:${first.externalPort}`);
    assert.equal(await forwards(), true, 'a SIGKILLed host cannot unmap: the forward is still there');

    const again = porthole(where, where.ns.lan, configDir, ['host', '--json']);
    const second = await again.waitFor((e) => e.event === 'port-mapping' && e.code === 'mapped', 30_000);
    assert.equal(second.externalPort, first.externalPort, 'the same mapping, taken over');
    await quit(again);
    assert.equal(await forwards(), false, 'removed at stop, not left to its lease');
  });
});
