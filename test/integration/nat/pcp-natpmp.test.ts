// PCP and NAT-PMP against a real miniupnpd with UPnP off, an old NAT-PMP-only router, and a
// hostile PCP server: the mapping forwards, renews and goes; bad answers never crash the child.
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { fileURLToPath } from 'node:url';
import { createLab, GATEWAY_WAN_ADDRESS, LAN_HOST_ADDRESS, LAN_HOST_V6 } from '../../fixtures/upnp-lab/lab-network';
import type { Lab } from '../../fixtures/upnp-lab/lab-network';
import { friendConnects, routerRules } from '../../fixtures/upnp-lab/lab-checks';
import { labSkipReason } from '../../fixtures/upnp-lab/lab-prerequisites';
import { stopProcess, waitForLine } from '../../fixtures/upnp-lab/lab-processes';
import { startMethods } from '../../fixtures/upnp-lab/methods-driver';
import type { MethodsDriver } from '../../fixtures/upnp-lab/methods-driver';
import type { PortOpening } from '../../../src-main/nat/mapping-methods';

const hostilePath = fileURLToPath(new URL('../../fixtures/upnp-lab/hostile-pcp-server.ts', import.meta.url));
const skip = labSkipReason();
const dnatTo = (port: number) => `dnat ip to ${LAN_HOST_ADDRESS}:${port}`;

/** Maps a fresh listener with openWithPcp and checks that a friend in `wan` gets through. */
async function mapAndReach(lab: Lab, methods: MethodsDriver, diagnostic: (m: string) => void): Promise<PortOpening> {
  const port = await methods.listen('0.0.0.0');
  const { result, ms } = await methods.pcp({
    family: 4,
    internalAddress: LAN_HOST_ADDRESS,
    internalPort: port,
    leaseSeconds: 600,
    timeoutMs: 3000,
  });
  assert.ok(result.ok, JSON.stringify(result));
  const opening = result.opening;
  diagnostic(`${opening.method} map: ${ms} ms`);
  assert.equal(opening.externalAddress, GATEWAY_WAN_ADDRESS);
  assert.equal(opening.externalPort, port, 'the suggested (same) external port');
  assert.ok(opening.leaseSeconds > 0);
  assert.match(String(opening.handle['nonce']), /^[0-9a-f]{24}$/);
  assert.equal(opening.handle['server'], '192.168.77.1', 'sent to the IPv4 default gateway');
  assert.ok((await routerRules(lab.ns.gw)).includes(dnatTo(port)), 'the router forwards it');
  assert.equal(await friendConnects(lab.ns.wan, GATEWAY_WAN_ADDRESS, opening.externalPort), 'porthole-lab');
  return opening;
}

async function renewAndClose(lab: Lab, methods: MethodsDriver, opening: PortOpening, diagnostic: (m: string) => void) {
  const renewed = await methods.renew(opening, 3000);
  assert.ok(renewed.result.ok, JSON.stringify(renewed.result));
  diagnostic(`${opening.method} renew: ${renewed.ms} ms`);
  assert.equal(renewed.result.opening.externalPort, opening.externalPort);
  assert.equal(renewed.result.opening.handle['nonce'], opening.handle['nonce'], 'the same nonce');
  assert.equal(await friendConnects(lab.ns.wan, GATEWAY_WAN_ADDRESS, opening.externalPort), 'porthole-lab');

  const closed = await methods.close(renewed.result.opening, 3000);
  assert.equal(closed.result.closed, true);
  diagnostic(`${opening.method} close: ${closed.ms} ms`);
  assert.equal((await routerRules(lab.ns.gw)).includes(dnatTo(opening.internalPort)), false, 'the router no longer forwards it');
  assert.equal(await friendConnects(lab.ns.wan, GATEWAY_WAN_ADDRESS, opening.externalPort), 'ECONNREFUSED');
}

describe('a NAT-PMP/PCP-only router (UPnP off)', { skip }, () => {
  let lab: Lab;
  let methods: MethodsDriver;
  before(async () => {
    lab = await createLab({ upnp: false });
    methods = await startMethods(lab);
  });
  after(async () => {
    await lab?.close();
  });

  it('UPnP discovery finds nothing there', async () => {
    const { result } = await methods.op({ op: 'discover', timeoutMs: 800 }, 5000);
    assert.equal(result.ok, false);
    assert.equal(result.error.kind, 'no-gateway');
  });

  it('PCP maps IPv4, a friend in wan reaches the room, renew keeps it, close removes it', async (t) => {
    const opening = await mapAndReach(lab, methods, (m) => t.diagnostic(m));
    assert.equal(opening.method, 'pcp');
    await renewAndClose(lab, methods, opening, (m) => t.diagnostic(m));
  });

  it('PCP does not wait behind a UPnP discovery that is still searching', async () => {
    const port = await methods.listen('0.0.0.0');
    const searching = methods.op({ op: 'discover', timeoutMs: 2000 }, 6000);
    const began = Date.now();
    const { result } = await methods.pcp({
      family: 4,
      internalAddress: LAN_HOST_ADDRESS,
      internalPort: port,
      leaseSeconds: 600,
      timeoutMs: 3000,
    });
    assert.ok(result.ok, JSON.stringify(result));
    assert.ok(Date.now() - began < 1000, `mapped in ${Date.now() - began} ms while discovery ran`);
    assert.equal((await searching).result.ok, false);
    assert.equal((await methods.close(result.opening, 3000)).result.closed, true);
  });

  // No refusal test here: a PCP MAP for a port outside miniupnpd 2.3.1's allow rules makes it spin
  // forever without answering. The hostile server below plays a refusal instead.
});

describe('an old NAT-PMP-only router', { skip }, () => {
  let lab: Lab;
  let methods: MethodsDriver;
  before(async () => {
    lab = await createLab({ upnp: false, pcp: false, ipv6: true });
    methods = await startMethods(lab);
  });
  after(async () => {
    await lab?.close();
  });

  it('PCP is answered "unsupported version", NAT-PMP maps instead; renew and close work', async (t) => {
    const opening = await mapAndReach(lab, methods, (m) => t.diagnostic(m));
    assert.equal(opening.method, 'nat-pmp');
    assert.equal(opening.handle['protocol'], 'nat-pmp');
    await renewAndClose(lab, methods, opening, (m) => t.diagnostic(m));
  });

  it('IPv6 cannot be opened with NAT-PMP: refused, with a reason', async () => {
    const { result } = await methods.pcp({
      family: 6,
      internalAddress: LAN_HOST_V6,
      internalPort: 40_000,
      leaseSeconds: 600,
      timeoutMs: 3000,
    });
    assert.ok(!result.ok && result.kind === 'refused', JSON.stringify(result));
    assert.match(result.reason, /only NAT-PMP, which cannot open IPv6/);
  });
});

describe('a hostile PCP server', { skip }, () => {
  let lab: Lab;
  let methods: MethodsDriver;
  let server: ReturnType<Lab['spawnIn']>;
  before(async () => {
    lab = await createLab({ gateway: 'none' });
    server = lab.spawnIn(lab.ns.gw, process.execPath, ['--import', 'tsx', hostilePath]);
    await waitForLine(server, /hostile-pcp ready/, 15_000);
    methods = await startMethods(lab);
  });
  after(async () => {
    if (server) await stopProcess(server);
    await lab?.close();
  });

  // Each mode is set once, so its acknowledgement line is new.
  const setMode = async (mode: string) => {
    server.stdin?.write(`mode ${mode}\n`);
    await waitForLine(server, new RegExp(`^mode ${mode}$`), 5000);
  };

  const cases: Array<{ mode: string; kind: string; reason: RegExp }> = [
    { mode: 'silent', kind: 'no-gateway', reason: /Nothing answered/ },
    { mode: 'garbage', kind: 'error', reason: /unusable replies/ },
    { mode: 'wrong-nonce', kind: 'error', reason: /another mapping nonce/ },
    { mode: 'truncated', kind: 'error', reason: /unusable replies/ },
    { mode: 'huge', kind: 'error', reason: /oversized/ },
    { mode: 'wrong-port', kind: 'error', reason: /another address or port/ },
    { mode: 'flood', kind: 'error', reason: /unusable replies/ },
    { mode: 'zero-port', kind: 'error', reason: /granted no port/ },
    { mode: 'refuse', kind: 'refused', reason: /not authorized/ },
  ];
  for (const { mode, kind, reason } of cases) {
    it(`${mode}: a clear failure, and the child lives on`, async () => {
      await setMode(mode);
      const before = await methods.child();
      const began = Date.now();
      const { result } = await methods.pcp({
        family: 4,
        internalAddress: LAN_HOST_ADDRESS,
        internalPort: 41_000,
        leaseSeconds: 600,
        timeoutMs: 1200,
      });
      assert.ok(Date.now() - began < 1200 + 2000, 'bounded by the caller timeout');
      assert.equal(result.ok, false);
      assert.ok(!result.ok && result.kind === kind, JSON.stringify(result));
      assert.ok(!result.ok && reason.test(result.reason), JSON.stringify(result));
      const after = await methods.child();
      assert.deepEqual(after, before, 'same child, never restarted');
    });
  }

  it('late-good: bad replies are skipped and the right one is taken', async () => {
    await setMode('late-good');
    const { result } = await methods.pcp({
      family: 4,
      internalAddress: LAN_HOST_ADDRESS,
      internalPort: 41_001,
      leaseSeconds: 600,
      timeoutMs: 1500,
    });
    assert.ok(result.ok, JSON.stringify(result));
    assert.equal(result.opening.externalAddress, GATEWAY_WAN_ADDRESS);
  });
});
