import { afterEach, test } from 'node:test';
import assert from 'node:assert/strict';
import { chatTexts, closeAll, inviteFor, join, startHost, waitFor } from '../../fixtures/room';

afterEach(closeAll);

test('by default the host listens on IPv4 and IPv6 at once; guests join over either', async () => {
  const host = await startHost({ listenHost: undefined });
  const overV4 = await join(host, 'Four', {}, inviteFor(host, { host: '127.0.0.1' }));
  const overV6 = await join(host, 'Six', {}, inviteFor(host, { host: '::1' }));
  overV4.send('over IPv4');
  await waitFor(overV6, () => chatTexts(overV6.seen).includes('over IPv4'));
  assert.deepEqual(
    host
      .members()
      .map((m) => m.name)
      .sort(),
    ['Four', 'Host', 'Six'],
  );
});

test('a chosen port is used as given', async () => {
  const probe = await startHost();
  const port = probe.port;
  await probe.close();
  const host = await startHost({ port });
  assert.equal(host.port, port);
  await join(host, 'Guest');
});
