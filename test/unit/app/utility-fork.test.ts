import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { utilityFork } from '../../../src-main/app/utility-fork';
import { fakeElectron } from './fake-electron';

test('forks with utilityProcess: named service, no stdio; messages go until exit; exit told once', () => {
  const fake = fakeElectron();
  const child = utilityFork(fake.electron)('/app/dist/main/upnp-child.js');
  const forked = fake.forks[0]!;
  assert.equal(forked.modulePath, '/app/dist/main/upnp-child.js');
  assert.deepEqual(forked.args, []);
  assert.deepEqual(forked.options, { serviceName: 'Porthole port mapping', stdio: 'ignore' });
  const heard: unknown[] = [];
  const exits: Array<number | null> = [];
  child.onMessage((message) => heard.push(message));
  child.onExit((code) => exits.push(code));
  child.send({ type: 'map' } as never);
  forked.emit('message', { type: 'mapped' });
  forked.emit('exit', 3);
  forked.emit('exit', 3);
  child.send({ type: 'late' } as never);
  assert.deepEqual(forked.posted, [{ type: 'map' }]);
  assert.deepEqual(heard, [{ type: 'mapped' }]);
  assert.deepEqual(exits, [3]);
});

test('kill is SIGKILL to the child’s pid (the helper ignores SIGTERM), utilityProcess.kill when there is none', async () => {
  const fake = fakeElectron();
  const child = utilityFork(fake.electron)('/app/upnp-child.js');
  const forked = fake.forks[0]!;
  // A real process that, like the helper, ignores SIGTERM.
  const real = spawn(process.execPath, ['-e', "process.on('SIGTERM', () => {}); setInterval(() => {}, 1000)"], { stdio: 'ignore' });
  await new Promise((resolve) => setTimeout(resolve, 200));
  forked.pid = real.pid;
  const exited = once(real, 'exit');
  child.kill();
  const [code, signal] = await exited;
  assert.deepEqual([code, signal], [null, 'SIGKILL']);
  assert.equal(forked.killed, 0);
  child.kill(); // gone now: falls back to utilityProcess's own kill
  assert.equal(forked.killed, 1);
  forked.pid = undefined;
  child.kill();
  assert.equal(forked.killed, 2);
});
