// The component loggers on their own: where lines go, what they hold, what they never hold, and
// that logging never throws into the caller.
import { afterEach, test } from 'node:test';
import assert from 'node:assert/strict';
import { EventEmitter } from 'node:events';
import { mkdtemp, readdir, readFile, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { configureLogging, logger, NEVER_LOGGED } from '../../../src-main/log/logger';
import { LOG_FILE_NAME, logFolder, openLogFile } from '../../../src-main/log/log-file';
import { logProcessFailures } from '../../../src-main/log/process-failures';
import { logSessionStatus } from '../../../src-main/log/session-status-log';
import { roomLog } from '../../../src-main/wire/room-log';
import type { SessionStatus } from '../../../src-main/room/session-events';

afterEach(() => configureLogging(undefined));

/** Points the logs at an array of parsed lines. */
function capture(level?: 'debug' | 'info' | 'warn' | 'error') {
  const lines: Array<Record<string, unknown>> = [];
  configureLogging({ destination: { write: (line) => lines.push(JSON.parse(line)) }, ...(level ? { level } : {}) });
  return lines;
}

test('a component’s line is one JSON object: level, time, component, message and the fields', () => {
  const lines = capture();
  logger('nat').warn('a port-mapping request timed out', { op: 'map', timeoutMs: 5000 });
  assert.equal(lines.length, 1);
  const [line] = lines;
  assert.equal(line!.level, 'warn');
  assert.equal(line!.component, 'nat');
  assert.equal(line!.msg, 'a port-mapping request timed out');
  assert.equal(line!.op, 'map');
  assert.equal(line!.timeoutMs, 5000);
  assert.ok(!Number.isNaN(Date.parse(String(line!.time))), 'an ISO time');
});

test('lines below the level are dropped; debug shows everything', () => {
  const lines = capture('warn');
  const log = logger('ipc');
  log.debug('d');
  log.info('i');
  log.warn('w');
  log.error('e');
  assert.deepEqual(
    lines.map((l) => l.msg),
    ['w', 'e'],
  );
  const all = capture('debug');
  log.debug('d');
  assert.deepEqual(
    all.map((l) => l.level),
    ['debug'],
  );
});

test('nothing is written until logging is configured, and nothing after it is turned off', () => {
  const lines = capture();
  configureLogging(undefined);
  logger('room').error('not written');
  roomLog.error('not written either');
  assert.deepEqual(lines, []);
});

test('secrets, tokens, invites and chat text never reach a line, whoever passes them', () => {
  const lines = capture();
  const fields = Object.fromEntries(NEVER_LOGGED.map((name) => [name, `value-of-${name}`]));
  logger('room').info('careless', fields);
  const written = JSON.stringify(lines);
  for (const name of NEVER_LOGGED) assert.ok(!written.includes(`value-of-${name}`), `${name} is not logged`);
  assert.equal(lines[0]!.secret, '[not logged]');
});

test('a destination that throws never throws into the caller', () => {
  configureLogging({
    destination: {
      write: () => {
        throw new Error('disk on fire');
      },
    },
  });
  assert.doesNotThrow(() => logger('upload').warn('could not write a staged piece'));
  assert.doesNotThrow(() => roomLog.warn('a peer broke the protocol', { code: 'bad-json' }));
});

test('the room’s lines (published on its diagnostics channel) arrive under the component room', () => {
  const lines = capture();
  roomLog.info('a member joined', { member: 'abc' });
  assert.equal(lines.length, 1);
  assert.equal(lines[0]!.component, 'room');
  assert.equal(lines[0]!.level, 'info');
  assert.equal(lines[0]!.member, 'abc');
});

test('the app’s log file lives in logs/ of the config folder, rotates by size and keeps a few files', async () => {
  const configDir = await mkdtemp(join(tmpdir(), 'porthole-log-'));
  const file = openLogFile(configDir, { size: '1K', keep: 2 });
  assert.equal(file.path, join(configDir, 'logs', LOG_FILE_NAME));
  configureLogging({ destination: file.destination });
  const log = logger('app');
  for (let i = 0; i < 60; i++) log.info('a line long enough to fill a kilobyte in a few dozen lines', { i });
  await file.close();
  log.info('after close: dropped, not thrown');
  const names = (await readdir(logFolder(configDir))).sort();
  assert.deepEqual(names, [LOG_FILE_NAME, `${LOG_FILE_NAME}.1`, `${LOG_FILE_NAME}.2`]);
  const newest = (await readFile(file.path, 'utf8'))
    .trim()
    .split('\n')
    .map((l) => JSON.parse(l) as { i: number });
  assert.equal(newest.at(-1)!.i, 59, 'the newest line is in porthole.log');
  if (process.platform !== 'win32') assert.equal((await stat(file.path)).mode & 0o777, 0o600);
});

test('a log folder that cannot be made means no log file, not an error', async () => {
  const configDir = join(await mkdtemp(join(tmpdir(), 'porthole-log-')), 'file');
  await writeFile(configDir, 'not a folder');
  const file = openLogFile(configDir);
  configureLogging({ destination: file.destination });
  assert.doesNotThrow(() => logger('app').info('goes nowhere'));
  await file.close();
});

test('an uncaught exception or unhandled rejection is one error line with its stack', () => {
  const lines = capture();
  const target = new EventEmitter();
  logProcessFailures(logger('cli'), { listenForRejections: false }, target as unknown as NodeJS.Process);
  target.emit('uncaughtExceptionMonitor', new TypeError('boom'), 'uncaughtException');
  target.emit('uncaughtExceptionMonitor', new Error('late'), 'unhandledRejection');
  assert.deepEqual(
    lines.map((l) => [l.component, l.level, l.msg, l.error]),
    [
      ['cli', 'error', 'uncaught exception', 'TypeError'],
      ['cli', 'error', 'unhandled rejection', 'Error'],
    ],
  );
  assert.match(String(lines[0]!.stack), /TypeError: boom/);
  assert.equal(target.listenerCount('unhandledRejection'), 0, 'the CLI leaves rejections to Node: it still exits');
});

test('a guest’s reconnects are logged from its status events, with the attempt and the reason’s code', () => {
  const lines = capture();
  const session = new EventEmitter();
  logSessionStatus(session as unknown as Parameters<typeof logSessionStatus>[0], 'guest');
  const statuses: SessionStatus[] = [
    { state: 'reconnecting', attempt: 1, error: { code: 'connection-lost', message: 'The connection dropped.' } },
    { state: 'connected' },
    { state: 'closed', error: { code: 'room-closed', message: 'The host closed the room.' } },
  ];
  for (const status of statuses) session.emit('status', status);
  assert.deepEqual(
    lines.map((l) => [l.level, l.msg, l.attempt, l.code]),
    [
      ['warn', 'lost the host; reconnecting', 1, 'connection-lost'],
      ['info', 'reconnected to the host', undefined, undefined],
      ['info', 'the room ended', undefined, 'room-closed'],
    ],
  );
});
