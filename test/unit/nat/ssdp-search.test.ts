import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { GatewayError } from '../../../src-main/nat/gateway-error';
import { startSsdpSearch } from '../../../src-main/nat/ssdp-search';
import type { SsdpSearchPlan } from '../../../src-main/nat/ssdp-search';

const WAN_IP = 'urn:schemas-upnp-org:service:WANIPConnection:1';
const FIREWALL = 'urn:schemas-upnp-org:service:WANIPv6FirewallControl:1';

const description = (serviceType: string) => `<?xml version="1.0"?><root xmlns="urn:schemas-upnp-org:device-1-0">
<device><serviceList><service><serviceType>${serviceType}</serviceType>
<controlURL>/ctl</controlURL><SCPDURL>/scpd.xml</SCPDURL></service></serviceList></device></root>`;

/** A real description server on 127.0.0.1: /wan.xml, /firewall.xml, /huge.xml, anything else 404. */
async function descriptionServer(t: { after(fn: () => void): void }) {
  const requests: Array<{ path: string; from: string }> = [];
  const server = createServer((req, res) => {
    requests.push({ path: req.url ?? '', from: req.socket.remoteAddress ?? '' });
    if (req.url === '/wan.xml') return void res.end(description(WAN_IP));
    if (req.url === '/firewall.xml') return void res.end(description(FIREWALL));
    if (req.url === '/huge.xml') return void res.end(`<root>${'A'.repeat(300 * 1024)}</root>`);
    res.writeHead(404).end();
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  t.after(() => server.close());
  const port = (server.address() as AddressInfo).port;
  return { requests, at: (path: string) => ({ location: `http://127.0.0.1:${port}${path}`, host: '127.0.0.1' }) };
}

/** A plan that records what the loop does with it; `overrides` replace any part. */
function recordingPlan(overrides: Partial<SsdpSearchPlan<string>> = {}) {
  const seen = { sent: 0, closed: 0, unusable: [] as string[] };
  const plan: SsdpSearchPlan<string> = {
    timeoutMs: 2000,
    sendQuery: () => {
      seen.sent += 1;
    },
    close: () => {
      seen.closed += 1;
    },
    accept: (candidate, _device, serviceType) => `${candidate.location} ${serviceType}`,
    onUnusable: (reason) => {
      seen.unusable.push(reason);
    },
    deadlineError: () => new GatewayError('no-gateway', 'deadline'),
    ...overrides,
  };
  return { plan, seen };
}

test('settles with the first candidate that checks out, after noting why an earlier one did not', async (t) => {
  const server = await descriptionServer(t);
  const { plan, seen } = recordingPlan();
  const search = startSsdpSearch(plan);
  search.offer(server.at('/missing.xml'));
  search.offer(server.at('/wan.xml'));
  assert.equal(await search.result, `${server.at('/wan.xml').location} ${WAN_IP}`);
  assert.deepEqual(seen.unusable, ['Failed to lookup device description']);
  assert.equal(seen.closed, 1);
  assert.deepEqual(
    server.requests.map((r) => r.path),
    ['/missing.xml', '/wan.xml'],
    'checked one at a time, in order',
  );
});

test("at the deadline it settles with the plan's error, having sent the query once more, and closes once", async () => {
  const { plan, seen } = recordingPlan({ timeoutMs: 300 });
  const search = startSsdpSearch(plan);
  search.send();
  await assert.rejects(search.result, (err: unknown) => err instanceof GatewayError && err.message === 'deadline');
  assert.equal(seen.sent, 2, 'the first query and one resend');
  assert.equal(seen.closed, 1);
  search.send();
  assert.equal(seen.sent, 2, 'nothing is sent after the search settled');
});

test('fetches each location once and at most eight candidates', async (t) => {
  const server = await descriptionServer(t);
  const { plan, seen } = recordingPlan({ timeoutMs: 600 });
  const search = startSsdpSearch(plan);
  search.offer(server.at('/again.xml'));
  search.offer(server.at('/again.xml'));
  for (let i = 0; i < 12; i += 1) search.offer(server.at(`/device-${i}.xml`));
  assert.equal(search.full, true);
  await assert.rejects(search.result, /deadline/);
  assert.equal(server.requests.length, 8);
  assert.equal(new Set(server.requests.map((r) => r.path)).size, 8);
  assert.equal(seen.unusable.length, 8);
});

test("looks for the plan's services and fetches from its local address", async (t) => {
  const server = await descriptionServer(t);
  const { plan, seen } = recordingPlan({ services: [FIREWALL], localAddress: '127.0.0.2' });
  const search = startSsdpSearch(plan);
  search.offer(server.at('/wan.xml'));
  search.offer(server.at('/firewall.xml'));
  assert.equal(await search.result, `${server.at('/firewall.xml').location} ${FIREWALL}`);
  assert.deepEqual(seen.unusable, ['Service not found']);
  assert.deepEqual(new Set(server.requests.map((r) => r.from.replace(/^::ffff:/, ''))), new Set(['127.0.0.2']));
});

test('a description over 256 KiB and a refusal by the plan both count as unusable', async (t) => {
  const server = await descriptionServer(t);
  const { plan, seen } = recordingPlan({
    timeoutMs: 1500,
    accept: () => {
      throw new Error('no route to it from this machine');
    },
  });
  const search = startSsdpSearch(plan);
  search.offer(server.at('/huge.xml'));
  search.offer(server.at('/wan.xml'));
  await assert.rejects(search.result, /deadline/);
  assert.deepEqual(seen.unusable, ['Gateway reply larger than 262144 bytes', 'no route to it from this machine']);
});

test('fail settles at once; what comes later is ignored', async (t) => {
  const server = await descriptionServer(t);
  let accepted = 0;
  const { plan, seen } = recordingPlan({
    accept: () => {
      accepted += 1;
      return 'late';
    },
  });
  const search = startSsdpSearch(plan);
  const socketError = new GatewayError('internal', 'Cannot search from here (EADDRNOTAVAIL).');
  search.fail(socketError);
  search.fail(new GatewayError('internal', 'a second failure'));
  await assert.rejects(search.result, (err: unknown) => err === socketError);
  search.offer(server.at('/wan.xml'));
  await new Promise((resolve) => setTimeout(resolve, 100));
  assert.equal(accepted, 0);
  assert.equal(server.requests.length, 0);
  assert.equal(seen.closed, 1);
});
