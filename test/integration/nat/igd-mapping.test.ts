// A real miniupnpd (IGDv1 and IGDv2) maps the room's port; a friend in `wan` reaches it; stop,
// SIGTERM, SIGKILL + lease expiry and a crashed UPnP child all behave.
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { fileURLToPath } from 'node:url';
import { createLab, GATEWAY_WAN_ADDRESS } from '../../fixtures/upnp-lab/lab-network';
import type { Lab } from '../../fixtures/upnp-lab/lab-network';
import { friendConnects, upnpcMappings, waitForEvent } from '../../fixtures/upnp-lab/lab-checks';
import { labSkipReason } from '../../fixtures/upnp-lab/lab-prerequisites';
import { stopProcess } from '../../fixtures/upnp-lab/lab-processes';

const runnerPath = fileURLToPath(new URL('../../fixtures/upnp-lab/mapper-runner.ts', import.meta.url));
const skip = labSkipReason();

function startRunner(lab: Lab, leaseSeconds: number) {
  return lab.spawnIn(lab.ns.lan, process.execPath, ['--import', 'tsx', runnerPath, String(leaseSeconds), '3000']);
}

async function waitUntil(check: () => Promise<boolean>, timeoutMs: number): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (await check()) return true;
    await new Promise((r) => setTimeout(r, 250));
  }
  return check();
}

for (const igd of [1, 2] as const) {
  describe(`port mapping against miniupnpd in IGDv${igd} mode`, { skip }, () => {
    let lab: Lab;
    // NAT-PMP/PCP off: this suite is about UPnP IGD (with both on, PCP often answers first).
    before(async () => {
      lab = await createLab({ igd, wan: 'public', natpmp: false });
    });
    after(async () => {
      await lab?.close();
    });

    it('maps a real listener, a friend in wan reaches it, SIGTERM removes the mapping', async () => {
      const runner = startRunner(lab, 3600);
      const started = await waitForEvent(runner, (e) => e['event'] === 'started', 20_000);
      const status = started['status'];
      assert.equal(status.code, 'mapped', status.message);
      assert.equal(status.externalAddress, GATEWAY_WAN_ADDRESS);
      assert.equal(status.internalAddress, '192.168.77.10');
      assert.equal(status.externalPort, started['internalPort'], 'same external port as internal first');
      assert.match(status.message, /invite works from anywhere/);

      const rows = await upnpcMappings(lab.ns.lan);
      const row = rows.find((r) => r.externalPort === status.externalPort);
      assert.ok(row, `upnpc lists the mapping: ${JSON.stringify(rows)}`);
      assert.equal(row.internal, `192.168.77.10:${started['internalPort']}`);
      assert.match(row.description, /^Porthole/);
      assert.ok(row.lease > 0 && row.lease <= 3600, `finite lease, got ${row.lease}`);

      assert.equal(await friendConnects(lab.ns.wan, GATEWAY_WAN_ADDRESS, status.externalPort), 'porthole-lab');

      runner.kill('SIGTERM');
      await waitForEvent(runner, (e) => e['event'] === 'stopped', 10_000);
      await stopProcess(runner);
      assert.deepEqual(
        (await upnpcMappings(lab.ns.lan)).filter((r) => r.externalPort === status.externalPort),
        [],
      );
      assert.notEqual(await friendConnects(lab.ns.wan, GATEWAY_WAN_ADDRESS, status.externalPort), 'porthole-lab');
    });

    it('renews a short lease while alive, and the lease expires after SIGKILL', async () => {
      const runner = startRunner(lab, 4);
      const started = await waitForEvent(runner, (e) => e['event'] === 'started', 20_000);
      assert.equal(started['status'].code, 'mapped', started['status'].message);
      const port = started['status'].externalPort as number;
      const present = async () => (await upnpcMappings(lab.ns.lan)).some((r) => r.externalPort === port);
      // Past the first lease: only a renewal keeps it.
      await new Promise((r) => setTimeout(r, 6000));
      assert.ok(await present(), 'mapping renewed at half-life');
      await stopProcess(runner, 'SIGKILL');
      assert.ok(await waitUntil(async () => !(await present()), 12_000), 'mapping expired after SIGKILL');
    });

    if (igd === 2) {
      it('restarts a killed UPnP child and restores the mapping', async () => {
        const runner = startRunner(lab, 3600);
        const started = await waitForEvent(runner, (e) => e['event'] === 'started', 20_000);
        assert.equal(started['status'].code, 'mapped', started['status'].message);
        const firstPid = started['childPid'];
        const mark = runner.output.length;
        runner.stdin?.write('kill-child\n');
        const restored = await waitForEvent(
          runner,
          (e) => e['event'] === 'status' && e['status'].code === 'mapped' && e['childPid'] !== firstPid,
          20_000,
          mark,
        );
        assert.ok(
          runner.output.slice(mark).some((l) => l.includes('"code":"starting"')),
          'went through starting again',
        );
        const port = restored['status'].externalPort as number;
        assert.equal(await friendConnects(lab.ns.wan, GATEWAY_WAN_ADDRESS, port), 'porthole-lab');
        runner.stdin?.write('stop\n');
        await waitForEvent(runner, (e) => e['event'] === 'stopped', 10_000);
        assert.deepEqual(await upnpcMappings(lab.ns.lan), []);
      });
    }
  });
}
