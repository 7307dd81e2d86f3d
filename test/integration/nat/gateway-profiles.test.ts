// Status codes for routers that cannot help: CGNAT, a refusing router, no router at all.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { fileURLToPath } from 'node:url';
import { REQUEST_TIMEOUT_MS } from '../../../src-main/nat/mapping-attempt';
import { createLab } from '../../fixtures/upnp-lab/lab-network';
import type { LabOptions } from '../../fixtures/upnp-lab/lab-network';
import { waitForEvent } from '../../fixtures/upnp-lab/lab-checks';
import { labSkipReason } from '../../fixtures/upnp-lab/lab-prerequisites';
import { run } from '../../fixtures/upnp-lab/lab-processes';

const runnerPath = fileURLToPath(new URL('../../fixtures/upnp-lab/mapper-runner.ts', import.meta.url));
const skip = labSkipReason();

async function statusIn(options: LabOptions, discoveryTimeoutMs = 2000) {
  const lab = await createLab(options);
  try {
    const runner = lab.spawnIn(lab.ns.lan, process.execPath, ['--import', 'tsx', runnerPath, '3600', String(discoveryTimeoutMs)]);
    const started = await waitForEvent(runner, (e) => e['event'] === 'started', 30_000);
    const elapsed = started['tookMs'] as number;
    runner.stdin?.write('stop\n');
    await waitForEvent(runner, (e) => e['event'] === 'stopped', 10_000);
    return { status: started['status'], elapsed };
  } finally {
    await lab.close();
  }
}

describe('router profiles', { skip }, () => {
  it('a 100.64/10 external address is carrier-grade NAT', async () => {
    const { status } = await statusIn({ wan: 'cgnat' });
    assert.equal(status.code, 'cgnat', status.message);
    assert.equal(status.externalAddress, '100.64.0.2');
    assert.match(status.message, /ask the guest to host/);
  });

  it('a router that refuses every mapping yields refused', async () => {
    const { status } = await statusIn({ wan: 'refusing' });
    assert.equal(status.code, 'refused', status.message);
    assert.equal(status.externalPort, undefined);
    assert.match(status.message, /will not forward.*192\.168\.77\.10/);
  });

  it('no gateway at all yields no-router within the discovery timeout', async () => {
    const { status, elapsed } = await statusIn({ gateway: 'none' }, 1500);
    assert.equal(status.code, 'no-router', status.message);
    assert.match(status.message, /did not answer UPnP, NAT-PMP or PCP/);
    // The discovery deadline decides, not the 8 s request safety net (REQUEST_TIMEOUT_MS); the
    // bound is loose because the router helper's own start-up (a forked process) is in it.
    assert.ok(elapsed < REQUEST_TIMEOUT_MS, `took ${elapsed} ms`);
  });
});

describe('a network change', { skip }, () => {
  it('a machine that joins a network with a router is searched again at once, not at the next scheduled search', async () => {
    const lab = await createLab({ natpmp: false });
    try {
      // The host starts off the network: no address, no route.
      await run('ip', ['-n', lab.ns.lan, 'addr', 'flush', 'dev', 'lan0']);
      const tenMinutes = String(10 * 60_000);
      const runner = lab.spawnIn(lab.ns.lan, process.execPath, ['--import', 'tsx', runnerPath, '3600', '1500', tenMinutes, '300']);
      const started = await waitForEvent(runner, (e) => e['event'] === 'started', 30_000);
      assert.notEqual(started['status'].code, 'mapped', started['status'].message);
      // It joins the network; only the address watch can bring the next search before ten minutes.
      await run('ip', ['-n', lab.ns.lan, 'addr', 'add', '192.168.77.10/24', 'dev', 'lan0']);
      await run('ip', ['-n', lab.ns.lan, 'route', 'add', 'default', 'via', '192.168.77.1']);
      await run('ip', ['-n', lab.ns.lan, 'route', 'add', '239.255.255.250/32', 'dev', 'lan0']);
      const mapped = await waitForEvent(runner, (e) => e['event'] === 'status' && e['status'].code === 'mapped', 20_000);
      assert.equal(mapped['status'].internalAddress, '192.168.77.10');
      runner.stdin?.write('stop\n');
      await waitForEvent(runner, (e) => e['event'] === 'stopped', 10_000);
    } finally {
      await lab.close();
    }
  });
});

describe('stopping while the router does not answer', { skip }, () => {
  it('says the forward could not be removed and when it lapses, instead of claiming it is gone', async () => {
    const lab = await createLab({ natpmp: false });
    try {
      const runner = lab.spawnIn(lab.ns.lan, process.execPath, ['--import', 'tsx', runnerPath, '600', '2000']);
      const started = await waitForEvent(runner, (e) => e['event'] === 'started', 30_000);
      assert.equal(started['status'].code, 'mapped', started['status'].message);
      // The router stops answering its control URL (as a rebooting one would).
      await run('nft', ['add', 'table', 'inet', 'silence'], lab.ns.gw);
      await run('nft', ['add', 'chain', 'inet', 'silence', 'input', '{ type filter hook input priority -10; policy accept; }'], lab.ns.gw);
      await run('nft', ['add', 'rule', 'inet', 'silence', 'input', 'tcp', 'dport', '5000', 'drop'], lab.ns.gw);
      runner.stdin?.write('stop\n');
      const stopped = await waitForEvent(runner, (e) => e['event'] === 'stopped', 15_000);
      assert.equal(stopped['status'].code, 'stopped');
      assert.match(stopped['status'].message, /did not confirm removing it: it expires by itself in (9|10) minutes/);
    } finally {
      await lab.close();
    }
  });
});
