// Stop hosting answers within about a second whatever the router does (one deadline for the
// search in flight and every removal), and the status after it stays truthful.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { createLab, type Lab } from '../../fixtures/upnp-lab/lab-network';
import { upnpcMappings, waitForEvent } from '../../fixtures/upnp-lab/lab-checks';
import { labSkipReason } from '../../fixtures/upnp-lab/lab-prerequisites';
import { run } from '../../fixtures/upnp-lab/lab-processes';

const runnerPath = fileURLToPath(new URL('../../fixtures/upnp-lab/mapper-runner.ts', import.meta.url));
const skip = labSkipReason();
/** The mapper's deadline is 1 s; this leaves room for the runner's pipes and a busy machine. */
const STOP_BOUND_MS = 1_500;

/** The router stops answering its UPnP control URL and PCP/NAT-PMP (as a rebooting one would); discovery still works. */
async function silenceRouter(lab: Lab): Promise<void> {
  await run('nft', ['add', 'table', 'inet', 'silence'], lab.ns.gw);
  await run('nft', ['add', 'chain', 'inet', 'silence', 'input', '{ type filter hook input priority -200; policy accept; }'], lab.ns.gw);
  await run('nft', ['add', 'rule', 'inet', 'silence', 'input', 'tcp', 'dport', '5000', 'drop'], lab.ns.gw);
  await run('nft', ['add', 'rule', 'inet', 'silence', 'input', 'udp', 'dport', '5351', 'drop'], lab.ns.gw);
}

/** Sends "stop" and times it to the runner's "stopped" line (read as it arrives, not polled). */
async function timedStop(runner: ChildProcess & { output: string[] }): Promise<{ ms: number; status: Record<string, any> }> {
  const begun = performance.now();
  const stopped = new Promise<number>((resolve) => {
    const onData = (chunk: Buffer) => {
      if (!String(chunk).includes('"event":"stopped"')) return;
      runner.stdout?.off('data', onData);
      resolve(performance.now() - begun);
    };
    runner.stdout?.on('data', onData);
  });
  runner.stdin?.write('stop\n');
  const ms = await Promise.race([stopped, new Promise<number>((resolve) => setTimeout(() => resolve(Number.POSITIVE_INFINITY), 15_000))]);
  const event = await waitForEvent(runner, (e) => e['event'] === 'stopped', 5_000);
  return { ms, status: event['status'] };
}

describe('stop hosting within about a second', { skip }, () => {
  it('a router that answers: every door is removed and stop still takes under a second', async () => {
    const lab = await createLab({});
    try {
      const runner = lab.spawnIn(lab.ns.lan, process.execPath, ['--import', 'tsx', runnerPath, '600', '2000']);
      const started = await waitForEvent(runner, (e) => e['event'] === 'started', 30_000);
      assert.equal(started['status'].code, 'mapped', started['status'].message);
      const { ms, status } = await timedStop(runner);
      console.log(`stop with an answering router: ${Math.round(ms)} ms`);
      assert.ok(ms < 1_000, `stop took ${Math.round(ms)} ms`);
      assert.equal(status.code, 'stopped');
      assert.match(status.message, /no longer forwards/);
      assert.deepEqual(await upnpcMappings(lab.ns.lan), [], 'the router confirmed the removal, and lists nothing');
    } finally {
      await lab.close();
    }
  });

  it('a router that stops answering after mapping (UPnP and PCP): stop answers within the deadline and says the forward lapses by itself', async () => {
    const lab = await createLab({});
    try {
      const runner = lab.spawnIn(lab.ns.lan, process.execPath, ['--import', 'tsx', runnerPath, '600', '2000']);
      const started = await waitForEvent(runner, (e) => e['event'] === 'started', 30_000);
      assert.equal(started['status'].code, 'mapped', started['status'].message);
      await silenceRouter(lab);
      const { ms, status } = await timedStop(runner);
      console.log(`stop with a silent router holding a forward: ${Math.round(ms)} ms`);
      assert.ok(ms < STOP_BOUND_MS, `stop took ${Math.round(ms)} ms`);
      assert.equal(status.code, 'stopped');
      assert.match(status.message, /did not confirm removing it: it expires by itself in (9|10) minutes/);
    } finally {
      await lab.close();
    }
  });

  it('a search still waiting on a silent router: stop does not wait for it past the deadline', async () => {
    const lab = await createLab({});
    try {
      // Discovery finds the router, but nothing after it is answered: the search is still out at stop.
      await silenceRouter(lab);
      const runner = lab.spawnIn(lab.ns.lan, process.execPath, ['--import', 'tsx', runnerPath, '600', '1000']);
      const started = await waitForEvent(runner, (e) => e['event'] === 'started', 30_000);
      assert.notEqual(started['status'].code, 'mapped', started['status'].message);
      const { ms, status } = await timedStop(runner);
      console.log(`stop with a search still out to a silent router: ${Math.round(ms)} ms`);
      assert.ok(ms < STOP_BOUND_MS, `stop took ${Math.round(ms)} ms`);
      assert.equal(status.code, 'stopped');
      assert.equal(status.message, 'Port forwarding is off.', 'nothing was opened, so nothing is claimed');
    } finally {
      await lab.close();
    }
  });
});
