// The whole path a user takes: `porthole host` behind a real miniupnpd publishes a public
// invite, and `porthole join` from the internet side (the wan namespace) chats through the
// router's forwarding. Stopping the host removes the mapping; a killed host's mapping is cleaned
// up by the next start.
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import type { ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { parseInvite } from '../../../src-main/room/invite';
import { createLab, GATEWAY_WAN_ADDRESS, ROOT_DESC_URL, type Lab, type LabOptions } from '../../fixtures/upnp-lab/lab-network';
import { upnpcMappings } from '../../fixtures/upnp-lab/lab-checks';
import { labSkipReason } from '../../fixtures/upnp-lab/lab-prerequisites';
import { run, stopProcess } from '../../fixtures/upnp-lab/lab-processes';

const BIN = fileURLToPath(new URL('../../../bin/porthole.js', import.meta.url));
const skip = labSkipReason();
type Event = Record<string, any> & { event: string };

/** A porthole CLI inside a lab namespace, read line by line from its --json output. */
function porthole(lab: Lab, ns: string, configDir: string, args: string[]) {
  const child = lab.spawnIn(ns, process.execPath, [BIN, '--config-dir', configDir, ...args]);
  const events: Event[] = [];
  createInterface({ input: child.stdout! }).on('line', (line) => {
    try {
      events.push(JSON.parse(line));
    } catch {
      // Not JSON: stray output is ignored by the checks below.
    }
  });
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  const waitFor = async (pred: (e: Event) => boolean, timeoutMs = 20_000): Promise<Event> => {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const found = events.find(pred);
      if (found) return found;
      if (Date.now() > deadline) throw new Error(`no matching event in ${JSON.stringify(events)} / ${child.output.join(' | ')}`);
      await new Promise((r) => setTimeout(r, 50));
    }
  };
  /** The invite once it carries the router's public address (after the mapping). */
  const publicInvite = async (): Promise<string> =>
    (await waitFor((e) => e.event === 'invite-updated' && e.addresses.some((a: { kind: string }) => a.kind === 'public'))).invite;
  return { child: child as ChildProcess, events, exited, waitFor, publicInvite, type: (line: string) => child.stdin!.write(`${line}\n`) };
}

/** A lab for the surrounding describe block, built before its tests and torn down after. */
function useLab(options: LabOptions): Lab {
  const handle = {} as Lab;
  before(async () => {
    Object.assign(handle, await createLab(options));
  });
  after(async () => {
    await handle.close?.();
  });
  return handle;
}

const tempDir = () => mkdtemp(join(tmpdir(), 'porthole-nat-cli-'));

for (const igd of [1, 2] as const) {
  describe(`porthole host behind a UPnP router (IGDv${igd})`, { skip }, () => {
    // UPnP only (NAT-PMP and PCP off), so these tests go through IGDv1/IGDv2 as their names say.
    const lab = useLab({ igd, wan: 'public', natpmp: false });

    it('publishes a public invite; a friend on the internet joins through it and chats; SIGTERM unmaps', async () => {
      const host = porthole(lab, lab.ns.lan, await tempDir(), ['host', '--json', '--name', 'Hosty']);
      const ready = await host.waitFor((e) => e.event === 'ready');
      const mapping = await host.waitFor((e) => e.event === 'port-mapping' && e.code !== 'starting');
      assert.equal(mapping.code, 'mapped', mapping.message);
      const publicInvite = await host.publicInvite();
      const invite = parseInvite(publicInvite);
      assert.equal(invite.host, GATEWAY_WAN_ADDRESS);
      assert.equal(invite.port, mapping.externalPort);
      assert.equal(invite.fingerprint, ready.fingerprint);
      assert.deepEqual(
        ready.addresses.map((a: { host: string }) => a.host),
        ['192.168.77.10'],
        'the LAN invite uses the routed address',
      );

      const listed = (await upnpcMappings(lab.ns.lan)).find((r) => r.externalPort === mapping.externalPort);
      assert.ok(listed, 'upnpc sees the mapping');
      assert.equal(listed.internal, `192.168.77.10:${ready.port}`);
      assert.ok(listed.lease > 0 && listed.lease <= 3600, `finite lease, got ${listed.lease}`);

      const friend = porthole(lab, lab.ns.wan, await tempDir(), ['join', publicInvite, '--json', '--name', 'Friend']);
      await friend.waitFor((e) => e.event === 'ready');
      friend.type('hello through the router');
      await host.waitFor((e) => e.event === 'chat' && e.text === 'hello through the router');
      host.type('hello back');
      await friend.waitFor((e) => e.event === 'chat' && e.text === 'hello back');

      host.child.kill('SIGTERM');
      assert.equal(await host.exited, 0);
      assert.equal((await friend.waitFor((e) => e.event === 'status' && e.state === 'closed')).error.code, 'room-closed');
      assert.equal(await friend.exited, 0);
      const after = await upnpcMappings(lab.ns.lan);
      assert.deepEqual(after.filter((r) => r.externalPort === mapping.externalPort), [], 'the mapping is gone');
    });

    it('after SIGKILL the mapping stays until the next start, which removes it', async () => {
      const configDir = await tempDir();
      const killed = porthole(lab, lab.ns.lan, configDir, ['host', '--json']);
      const first = await killed.waitFor((e) => e.event === 'port-mapping' && e.code === 'mapped');
      killed.child.kill('SIGKILL');
      await killed.exited;
      assert.ok((await upnpcMappings(lab.ns.lan)).some((r) => r.externalPort === first.externalPort), 'left behind by the crash');

      const next = porthole(lab, lab.ns.lan, configDir, ['host', '--json', '--port', String(first.internalPort + 1)]);
      const second = await next.waitFor((e) => e.event === 'port-mapping' && e.code === 'mapped');
      const rows = await upnpcMappings(lab.ns.lan);
      assert.deepEqual(rows.filter((r) => r.externalPort === first.externalPort), [], 'the stale mapping was removed');
      assert.ok(rows.some((r) => r.externalPort === second.externalPort));
      await stopProcess(next.child);
    });
  });
}

describe('porthole host when its port is already forwarded to something else', { skip }, () => {
  // UPnP only: error 718 is UPnP's answer.
  const lab = useLab({ igd: 2, wan: 'public', natpmp: false });

  it('gets UPnP error 718, maps another external port instead, and leaves the other mapping alone', async () => {
    const port = 42000 + Math.floor(Math.random() * 1000);
    // Another machine on the LAN (a second address here: the router's secure mode only lets a
    // client map to itself, so upnpc talks from that address) already forwards this port.
    await run('ip', ['addr', 'add', '192.168.77.11/24', 'dev', 'lan0'], lab.ns.lan);
    await run('ip', ['route', 'add', '192.168.77.1/32', 'dev', 'lan0', 'src', '192.168.77.11'], lab.ns.lan);
    await run('upnpc', ['-i', '-u', ROOT_DESC_URL, '-e', 'other app', '-a', '192.168.77.11', String(port), String(port), 'TCP', '600'], lab.ns.lan);
    await run('ip', ['route', 'del', '192.168.77.1/32'], lab.ns.lan);
    assert.ok((await upnpcMappings(lab.ns.lan)).some((r) => r.externalPort === port && r.internal === `192.168.77.11:${port}`));

    const host = porthole(lab, lab.ns.lan, await tempDir(), ['host', '--json', '--port', String(port)]);
    const mapping = await host.waitFor((e) => e.event === 'port-mapping' && e.code !== 'starting');
    assert.equal(mapping.code, 'mapped', mapping.message);
    assert.notEqual(mapping.externalPort, port, 'a different external port');
    const publicInvite = await host.publicInvite();
    assert.equal(parseInvite(publicInvite).port, mapping.externalPort);
    const rows = await upnpcMappings(lab.ns.lan);
    assert.equal(rows.find((r) => r.externalPort === port)?.internal, `192.168.77.11:${port}`, 'not taken over');
    assert.equal(rows.find((r) => r.externalPort === mapping.externalPort)?.internal, `192.168.77.10:${port}`);

    const friend = porthole(lab, lab.ns.wan, await tempDir(), ['join', publicInvite, '--json', '--name', 'Friend']);
    await friend.waitFor((e) => e.event === 'ready');
    host.child.kill('SIGTERM');
    assert.equal(await host.exited, 0);
  });
});

describe('porthole host behind carrier-grade NAT', { skip }, () => {
  const lab = useLab({ igd: 2, wan: 'cgnat' });

  it('says so plainly, offers no public invite, and the room still works on the LAN', async () => {
    const host = porthole(lab, lab.ns.lan, await tempDir(), ['host', '--json', '--name', 'Hosty']);
    const ready = await host.waitFor((e) => e.event === 'ready');
    const mapping = await host.waitFor((e) => e.event === 'port-mapping' && e.code !== 'starting');
    assert.equal(mapping.code, 'cgnat', mapping.message);
    assert.match(mapping.message, /carrier-grade NAT/);
    assert.ok(!host.events.some((e) => e.event === 'invite-updated'), 'no public address joins the invite');

    const neighbour = porthole(lab, lab.ns.lan, await tempDir(), ['join', ready.invite, '--json', '--name', 'Neighbour']);
    await neighbour.waitFor((e) => e.event === 'ready');
    neighbour.type('same network works');
    await host.waitFor((e) => e.event === 'chat' && e.text === 'same network works');
    host.child.kill('SIGTERM');
    assert.equal(await host.exited, 0);
  });
});
