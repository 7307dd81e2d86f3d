import { test } from 'node:test';
import assert from 'node:assert/strict';
import { splitLinks, type TextPart } from '../../../src-renderer/format/link-parts';

const joined = (parts: TextPart[]) => parts.map((p) => p.text).join('');
const links = (text: string) =>
  splitLinks(text)
    .filter((p) => p.kind === 'link')
    .map((p) => (p.kind === 'link' ? p.url : ''));

test('plain text is one text part', () => {
  assert.deepEqual(splitLinks('hello there'), [{ kind: 'text', text: 'hello there' }]);
  assert.deepEqual(splitLinks(''), []);
});

test('http and https URLs become links between text parts', () => {
  assert.deepEqual(splitLinks('see https://example.com/a?b=1 now'), [
    { kind: 'text', text: 'see ' },
    { kind: 'link', text: 'https://example.com/a?b=1', url: 'https://example.com/a?b=1' },
    { kind: 'text', text: ' now' },
  ]);
  assert.deepEqual(links('http://a.example and HTTPS://B.example/x'), ['http://a.example/', 'https://b.example/x']);
});

test('sentence punctuation after a URL stays text', () => {
  const parts = splitLinks('Look: https://example.com/page. Then https://example.com/q?x=1, ok!');
  assert.deepEqual(links('Look: https://example.com/page. Then https://example.com/q?x=1, ok!'), [
    'https://example.com/page',
    'https://example.com/q?x=1',
  ]);
  assert.equal(joined(parts), 'Look: https://example.com/page. Then https://example.com/q?x=1, ok!');
});

test('a closing parenthesis belongs to the URL only when the URL opened one', () => {
  assert.deepEqual(links('(see https://example.com/x)'), ['https://example.com/x']);
  assert.deepEqual(links('https://en.wikipedia.org/wiki/Port_(computer_networking)'), [
    'https://en.wikipedia.org/wiki/Port_(computer_networking)',
  ]);
});

test('other schemes and broken URLs stay text', () => {
  for (const text of [
    'javascript:alert(1)',
    'file:///etc/passwd',
    'porthole://1.2.3.4:5/a/b',
    'ftp://example.com',
    'http://',
    'https:// spaced',
  ]) {
    assert.ok(
      splitLinks(text).every((p) => p.kind === 'text'),
      text,
    );
  }
});

test('markup in chat text is never part of a link and survives as text', () => {
  const text = '<script>alert(1)</script> <a href="https://evil.example">x</a>';
  const parts = splitLinks(text);
  assert.equal(joined(parts), text);
  assert.deepEqual(links(text), ['https://evil.example/']);
  const link = parts.find((p) => p.kind === 'link');
  assert.equal(link?.text, 'https://evil.example');
});

test('the parts always join back to the input, newlines included', () => {
  const samples = ['a\nhttps://x.example/\nb', 'https://x.example', 'x https://a.example/(b) y.', '  http://h.example:8080/p?q=1#f  '];
  for (const s of samples) assert.equal(joined(splitLinks(s)), s);
});
