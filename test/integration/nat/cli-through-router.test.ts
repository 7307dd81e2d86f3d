// The whole path a user takes: `porthole host` behind a real miniupnpd publishes a public
// invite, and `porthole join` from the internet side (the wan namespace) chats through the
// router's forwarding. Stopping the host removes the mapping, however the stop comes (/quit, a
// signal to the process or to its whole process group); a killed host's mapping is cleaned up by
// the next start.
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, readFile, readdir } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseInvite } from '../../../src-main/link/invite';
import { createLab, GATEWAY_WAN_ADDRESS, ROOT_DESC_URL, type Lab, type LabOptions } from '../../fixtures/upnp-lab/lab-network';
import { upnpcMappings } from '../../fixtures/upnp-lab/lab-checks';
import { labSkipReason } from '../../fixtures/upnp-lab/lab-prerequisites';
import { BIN, jsonLines, porthole, type CliEvent } from '../../fixtures/upnp-lab/lab-cli';
import { run, signalGroup, stopProcess } from '../../fixtures/upnp-lab/lab-processes';

const skip = labSkipReason();
type Event = CliEvent;

/** Fields of /proc/PID/stat after the command name: [state, ppid, pgrp, …]; undefined once reaped. */
async function procStat(pid: number): Promise<string[] | undefined> {
  const stat = await readFile(`/proc/${pid}/stat`, 'utf8').catch(() => undefined);
  // The command name may hold spaces and parentheses: the fields start after the last ')'.
  return stat?.slice(stat.lastIndexOf(')') + 2).split(' ');
}

/** The UPnP helper processes running under `ancestor` (the host, or a terminal around it). */
async function helperPids(ancestor: number): Promise<number[]> {
  const parentOf = new Map<number, number>();
  for (const entry of await readdir('/proc')) {
    const ppid = /^\d+$/.test(entry) ? Number((await procStat(Number(entry)))?.[1]) : NaN;
    if (ppid > 0) parentOf.set(Number(entry), ppid);
  }
  const under = (pid: number): boolean => {
    const ppid = parentOf.get(pid);
    return ppid === ancestor || (ppid !== undefined && ppid > 1 && under(ppid));
  };
  const found: number[] = [];
  for (const pid of parentOf.keys()) {
    if (!under(pid)) continue;
    const cmdline = await readFile(`/proc/${pid}/cmdline`, 'utf8').catch(() => '');
    if (cmdline.includes('upnp-child')) found.push(pid);
  }
  return found;
}

/** Waits until a process is gone (reaped, or a zombie: it no longer runs). */
async function gone(pid: number, timeoutMs = 3000): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const state = (await procStat(pid))?.[0];
    if (state === undefined || state === 'Z') return true;
    if (Date.now() > deadline) return false;
    await new Promise((r) => setTimeout(r, 50));
  }
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
      assert.deepEqual(
        after.filter((r) => r.externalPort === mapping.externalPort),
        [],
        'the mapping is gone',
      );
    });

    it('after SIGKILL the mapping stays until the next start, which removes it', async () => {
      const configDir = await tempDir();
      // SIGKILL to its whole process group: the UPnP helper, in a group of its own, must still go.
      const killed = porthole(lab, lab.ns.lan, configDir, ['host', '--json'], { ownGroup: true });
      let first: Event;
      let helpers: number[];
      try {
        first = await killed.waitFor((e) => e.event === 'port-mapping' && e.code === 'mapped');
        helpers = await helperPids(killed.child.pid!);
      } finally {
        signalGroup(killed.child.pid!, 'SIGKILL');
      }
      await killed.exited;
      assert.equal(helpers.length, 1, 'one UPnP helper process');
      assert.ok(await gone(helpers[0]!), 'the UPnP helper left with its host');
      assert.ok(
        (await upnpcMappings(lab.ns.lan)).some((r) => r.externalPort === first.externalPort),
        'left behind by the crash',
      );

      const next = porthole(lab, lab.ns.lan, configDir, ['host', '--json', '--port', String(first.internalPort + 1)]);
      const second = await next.waitFor((e) => e.event === 'port-mapping' && e.code === 'mapped');
      const rows = await upnpcMappings(lab.ns.lan);
      assert.deepEqual(
        rows.filter((r) => r.externalPort === first.externalPort),
        [],
        'the stale mapping was removed',
      );
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
    await run(
      'upnpc',
      ['-i', '-u', ROOT_DESC_URL, '-e', 'other app', '-a', '192.168.77.11', String(port), String(port), 'TCP', '600'],
      lab.ns.lan,
    );
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

// A terminal's Ctrl-C and a service manager's stop signal the whole process group, so the UPnP
// helper is signalled at the same moment as the host; closing the terminal sends SIGHUP. Each
// must end like /quit: the guest's goodbye, then the unmapping, exit 0, and no helper left.
describe('porthole host stopped by a signal from a terminal or a service manager', { skip }, () => {
  // UPnP only, so each run's one forward is the UPnP helper's (it serves PCP and NAT-PMP too).
  const lab = useLab({ igd: 2, wan: 'public', natpmp: false });

  /**
   * Hosts with a friend joined over the internet, then runs `stop` and checks the clean end.
   * The host leads its own process group, like a job started from a shell, unless `started`
   * brings a host of its own (in a terminal) and a way to learn its exit code.
   */
  async function hostThenStop(
    stop: (pid: number) => Promise<void> | void,
    started?: { host: ReturnType<typeof jsonLines>; exitCode: () => Promise<number | null> },
  ): Promise<void> {
    const host = started?.host ?? porthole(lab, lab.ns.lan, await tempDir(), ['host', '--json', '--name', 'Hosty'], { ownGroup: true });
    const pid = host.child.pid!;
    try {
      const ready = await host.waitFor((e) => e.event === 'ready');
      const mapping = await host.waitFor((e) => e.event === 'port-mapping' && e.code !== 'starting');
      assert.equal(mapping.code, 'mapped', mapping.message);
      const ours = (rows: Array<{ internal: string }>) => rows.filter((r) => r.internal === `192.168.77.10:${ready.port}`);
      assert.equal(ours(await upnpcMappings(lab.ns.lan)).length, 1, 'the router forwards the room');
      const helpers = await helperPids(pid);
      assert.equal(helpers.length, 1, 'one UPnP helper process');

      const friend = porthole(lab, lab.ns.wan, await tempDir(), ['join', await host.publicInvite(), '--json', '--name', 'Friend']);
      await friend.waitFor((e) => e.event === 'ready');

      await stop(pid);
      assert.equal(await (started?.exitCode() ?? host.exited), 0, `exit code after ${JSON.stringify(host.events.slice(-3))}`);
      assert.equal(
        (await friend.waitFor((e) => e.event === 'status' && e.state === 'closed')).error.code,
        'room-closed',
        'the room said goodbye',
      );
      assert.equal(await friend.exited, 0);
      assert.deepEqual(ours(await upnpcMappings(lab.ns.lan)), [], 'no mapping is left on the router');
      assert.ok(await gone(helpers[0]!), 'the UPnP helper is gone too');
    } finally {
      // However the test ends, what it started goes: the host's group, or the terminal.
      if (started) host.child.kill('SIGKILL');
      else signalGroup(pid, 'SIGKILL');
    }
  }

  it('Ctrl-C in a terminal (SIGINT to the whole process group) unmaps and exits 0', () =>
    hostThenStop((pid) => void signalGroup(pid, 'SIGINT')));

  it('a service manager stopping it (SIGTERM to the whole process group) unmaps and exits 0', () =>
    hostThenStop((pid) => void signalGroup(pid, 'SIGTERM')));

  it('a service manager signalling every process of the service (SIGTERM to each) unmaps and exits 0', () =>
    hostThenStop(async (pid) => {
      // systemd's default stop: every process in the service's cgroup, whatever its group.
      for (const each of [pid, ...(await helperPids(pid))]) process.kill(each, 'SIGTERM');
    }));

  it('the terminal closing (SIGHUP to the process) unmaps and exits 0', () => hostThenStop((pid) => void process.kill(pid, 'SIGHUP')));

  it('the terminal closing with the job in it (SIGHUP to the whole process group) unmaps and exits 0', () =>
    hostThenStop((pid) => void signalGroup(pid, 'SIGHUP')));

  it('a terminal window closing (the terminal hangs up under an interactive shell) unmaps and exits 0', async () => {
    // `script` gives an interactive bash a real terminal, and bash runs the host as a foreground
    // job. Killing `script` closes the terminal's other end: the kernel hangs the terminal up
    // and sends SIGHUP to bash, which passes it on to its jobs' process groups and exits, as when
    // a terminal window closes. The job's own shell ignores SIGHUP (Node resets that for the
    // host) to report the host's exit code.
    const dir = await tempDir();
    const status = join(dir, 'exit-status');
    const quote = (arg: string) => `'${arg.replaceAll("'", `'\\''`)}'`;
    const host = [process.execPath, BIN, '--config-dir', join(dir, 'config'), 'host', '--json', '--name', 'Hosty'].map(quote).join(' ');
    const terminal = jsonLines(lab.spawnIn(lab.ns.lan, 'env', ['TERM=dumb', 'script', '-qfec', 'bash --norc --noprofile -i', '/dev/null']));
    terminal.type(['sh', '-c', `trap '' HUP; ${host}; echo $? > ${quote(status)}`].map(quote).join(' '));
    const exitCode = async () => {
      for (const deadline = Date.now() + 15_000; Date.now() < deadline; await new Promise((r) => setTimeout(r, 50))) {
        const text = await readFile(status, 'utf8').catch(() => '');
        if (text.endsWith('\n')) return Number(text);
      }
      return null;
    };
    await hostThenStop((pid) => void process.kill(pid, 'SIGKILL'), { host: terminal, exitCode });
  });

  it('Ctrl-C pressed again and again while it closes does not cut the unmapping short', () =>
    hostThenStop(async (pid) => {
      // Every 10 ms until the group is gone: some presses land while the room closes, some
      // while the router is asked to remove the mapping.
      while (signalGroup(pid, 'SIGINT')) await new Promise((r) => setTimeout(r, 10));
    }));
});
