import { test } from 'node:test';
import assert from 'node:assert/strict';
import { pathToFileURL } from 'node:url';
import { parseSendArgs, SEND_USAGE } from '../../../src-main/cli/send-args';

const send = (text: string) => parseSendArgs(text, '/work/here', '/home/ada');

test('paths as terminals and file managers write them: quoted, escaped, ~, file:// URLs, several at once', () => {
  assert.deepEqual(send(`'my file.txt' "other one.pdf" third\\ one.png`), {
    ok: true,
    to: [],
    paths: ['/work/here/my file.txt', '/work/here/other one.pdf', '/work/here/third one.png'],
  });
  assert.deepEqual(send('~ ~/Pictures/cat.jpg /abs/path'), {
    ok: true,
    to: [],
    paths: ['/home/ada', '/home/ada/Pictures/cat.jpg', '/abs/path'],
  });
  const url = pathToFileURL('/tmp/a b/ü.txt').href; // file:///tmp/a%20b/%C3%BC.txt
  assert.deepEqual(send(url), { ok: true, to: [], paths: ['/tmp/a b/ü.txt'] });
});

test('--to NAME (repeatable, or --to=NAME) names the recipients', () => {
  assert.deepEqual(send('--to Bob --to=Carol "a b.txt"'), { ok: true, to: ['Bob', 'Carol'], paths: ['/work/here/a b.txt'] });
  assert.deepEqual(send('--to "Ada Lovelace" x'), { ok: true, to: ['Ada Lovelace'], paths: ['/work/here/x'] });
});

test('nothing is run or read from the environment, and what cannot be a path is refused with a sentence', () => {
  assert.deepEqual(send('$HOME/x *.jpg'), { ok: true, to: [], paths: ['/work/here/$HOME/x', '/work/here/*.jpg'] });
  for (const [text, words] of [
    ['', SEND_USAGE],
    ['--to Bob', SEND_USAGE],
    ['--to', '--to needs a name'],
    ['--to= x', '--to needs a name'],
    ['a.txt | rm -rf x', 'in quotes'],
    ['file://elsewhere/etc/passwd', 'not a file path or a file:// URL of this machine'],
    ['"unterminated', ''],
  ] as const) {
    const parsed = send(text);
    if (text === '"unterminated') {
      // shell-quote reads an unterminated quote to the end of the line: one path.
      assert.deepEqual(parsed, { ok: true, to: [], paths: ['/work/here/unterminated'] });
      continue;
    }
    assert.equal(parsed.ok, false, text);
    assert.ok(!parsed.ok && parsed.message.includes(words), `${text}: ${!parsed.ok && parsed.message}`);
  }
});
