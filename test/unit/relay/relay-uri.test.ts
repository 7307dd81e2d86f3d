import { test } from 'node:test';
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { PortholeError } from '../../../src-main/wire/errors';
import { deviceIdOf } from '../../../src-main/relay/device-id';
import { formatRelayUri, parseGoDuration, parseRelayUri } from '../../../src-main/relay/relay-uri';

const idBytes = randomBytes(32);
const id = deviceIdOf(idBytes);

function rejects(text: string, sentence: RegExp): void {
  assert.throws(
    () => parseRelayUri(text),
    (err: unknown) => {
      assert.ok(err instanceof PortholeError, `not a PortholeError: ${String(err)}`);
      assert.equal(err.code, 'relay-invalid');
      assert.match(err.message, sentence, `for ${JSON.stringify(text)}`);
      return true;
    },
  );
}

test('reads the URI strelaysrv prints, keeping the other parameters in order', () => {
  const printed = `relay://127.0.0.1:22067/?id=${id}&pingInterval=1m0s&networkTimeout=2m0s&sessionLimitBps=0&globalLimitBps=0&statusAddr=&providedBy=`;
  const uri = parseRelayUri(printed);
  assert.equal(uri.host, '127.0.0.1');
  assert.equal(uri.port, 22067);
  assert.deepEqual(uri.id, idBytes);
  assert.equal(uri.networkTimeoutMs, 120_000);
  assert.deepEqual(
    uri.params.map(([name]) => name),
    ['pingInterval', 'networkTimeout', 'sessionLimitBps', 'globalLimitBps', 'statusAddr', 'providedBy'],
  );
  assert.equal(formatRelayUri(uri), printed);
});

test('IPv6 in brackets, host names (any case), a missing port and slash, a lower-case id', () => {
  const v6 = parseRelayUri(`relay://[2001:db8::7]:443/?id=${id}`);
  assert.equal(v6.host, '2001:db8::7');
  assert.equal(v6.port, 443);
  assert.equal(formatRelayUri(v6), `relay://[2001:db8::7]:443/?id=${id}`);

  const named = parseRelayUri(`  RELAY://Relay.Example.ORG?id=${id.toLowerCase()}&networkTimeout=90s `);
  assert.equal(named.host, 'relay.example.org');
  assert.equal(named.port, 22067);
  assert.deepEqual(named.id, idBytes);
  assert.equal(named.networkTimeoutMs, 90_000);
  assert.deepEqual(parseRelayUri(formatRelayUri(named)), named);
});

test('networkTimeout: Go durations, the default when absent or unreadable, never below 2 s', () => {
  const timeout = (value: string) => parseRelayUri(`relay://h:1/?id=${id}&networkTimeout=${value}`).networkTimeoutMs;
  assert.equal(timeout('1h0m0s'), 3_600_000);
  assert.equal(timeout('1.5m'), 90_000);
  assert.equal(timeout('soon'), 120_000);
  assert.equal(timeout('10ms'), 2_000);
  assert.equal(parseRelayUri(`relay://h:1/?id=${id}`).networkTimeoutMs, 120_000);
  assert.equal(parseGoDuration('2m0s'), 120_000);
  assert.equal(parseGoDuration('500ms'), 500);
  assert.equal(parseGoDuration('2m 0s'), undefined);
  assert.equal(parseGoDuration(''), undefined);
});

test('refuses what is not a relay URI, saying what to fix', () => {
  rejects(`https://127.0.0.1:22067/?id=${id}`, /starts with relay:\/\//);
  rejects('127.0.0.1:22067', /starts with relay:\/\//);
  rejects('relay://127.0.0.1:22067/', /no id/);
  rejects(`relay://127.0.0.1:22067/?id=${id}&id=${id}`, /more than one id/);
  rejects(`relay://127.0.0.1:99999/?id=${id}`, /not a valid URI/);
  rejects(`relay://127.0.0.1:0/?id=${id}`, /port outside/);
  rejects(`relay://[not-v6]:22067/?id=${id}`, /not a valid URI|not an IPv6/);
  rejects(`relay://bad_host!:22067/?id=${id}`, /not an IP address or a host name/);
  rejects(`relay://user:pw@127.0.0.1:22067/?id=${id}`, /user name or password/);
  rejects('relay://127.0.0.1:22067/?id=NOPE', /characters long/);
});
