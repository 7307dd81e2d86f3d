// A hostile device answering discovery never crashes the room host and yields a clear status.
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { fileURLToPath } from 'node:url';
import { createLab } from '../../fixtures/upnp-lab/lab-network';
import type { Lab } from '../../fixtures/upnp-lab/lab-network';
import { waitForEvent } from '../../fixtures/upnp-lab/lab-checks';
import { labSkipReason } from '../../fixtures/upnp-lab/lab-prerequisites';
import { stopProcess, waitForLine } from '../../fixtures/upnp-lab/lab-processes';

const here = (p: string) => fileURLToPath(new URL(p, import.meta.url));
const runnerPath = here('../../fixtures/upnp-lab/mapper-runner.ts');
const hostilePath = here('../../fixtures/upnp-lab/hostile-gateway.ts');
const skip = labSkipReason();

const cases = [
  { mode: 'non-xml-soap', message: /Port forwarding failed/ },
  { mode: 'location-elsewhere', message: /another host/ },
  { mode: 'control-elsewhere', message: /another host/ },
  { mode: 'huge-description', message: /larger than/ },
  { mode: 'silent-http', message: /Port forwarding failed/ },
];

describe('hostile gateway', { skip }, () => {
  let lab: Lab;
  before(async () => {
    lab = await createLab({ gateway: 'none' });
  });
  after(async () => {
    await lab?.close();
  });

  for (const { mode, message } of cases) {
    it(`${mode}: the host lives on with an 'error' status`, async () => {
      const gateway = lab.spawnIn(lab.ns.gw, process.execPath, ['--import', 'tsx', hostilePath, mode]);
      try {
        await waitForLine(gateway, /hostile ready/, 15_000);
        const runner = lab.spawnIn(lab.ns.lan, process.execPath, ['--import', 'tsx', runnerPath, '3600', '2000']);
        await waitForEvent(runner, (e) => e['event'] === 'started', 30_000);
        // The first verdict comes within seconds whatever the router does; what it did wrong follows.
        const failed = await waitForEvent(
          runner,
          (e) => e['event'] === 'status' && e['status'].code !== 'no-router' && e['status'].code !== 'starting',
          20_000,
        );
        assert.equal(failed['status'].code, 'error', failed['status'].message);
        assert.match(failed['status'].message, message);
        assert.equal(runner.exitCode, null, 'the host process is still running');
        runner.stdin?.write('stop\n');
        const stopped = await waitForEvent(runner, (e) => e['event'] === 'stopped', 10_000);
        assert.equal(stopped['status'].code, 'stopped');
      } finally {
        await stopProcess(gateway);
      }
    });
  }
});
