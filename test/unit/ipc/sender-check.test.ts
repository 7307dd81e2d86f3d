// createSenderCheck on its own: which (sender, frame) pairs count as our window's page.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createSenderCheck, type InvokeEventLike, type OurWindow } from '../../../src-main/ipc/sender-check';

const PAGE = 'app://porthole/index.html';

function setup() {
  const webContents = { id: 1 };
  let window: OurWindow | undefined = { webContents, pageUrl: PAGE };
  const check = createSenderCheck(() => window);
  const from = (url: string, parent: unknown = null, sender: unknown = webContents): InvokeEventLike => ({
    sender,
    senderFrame: { url, parent },
  });
  return { webContents, check, from, setWindow: (w: OurWindow | undefined) => (window = w) };
}

test('our top frame on our page is ours, whatever its query or fragment', () => {
  const { check, from } = setup();
  for (const url of [PAGE, `${PAGE}#/room`, `${PAGE}?x=1`, 'app://porthole/./index.html']) {
    assert.equal(check(from(url)), true, url);
  }
});

test('another page, origin or scheme in our top frame is not ours', () => {
  const { check, from } = setup();
  const refused = [
    'app://porthole/',
    'app://porthole/other.html',
    'app://porthole/index.html/x',
    'app://evil/index.html',
    'app://porthole.evil/index.html',
    'app://porthole:8080/index.html',
    'https://porthole/index.html',
    'http://porthole/index.html',
    'file:///index.html',
    'file://porthole/index.html',
    'data:text/html,<script>1</script>',
    'about:blank',
    'javascript:alert(1)',
    '',
    'not a url',
  ];
  for (const url of refused) assert.equal(check(from(url)), false, url);
});

test('a subframe is never ours, even one showing our page', () => {
  const { check, from, webContents } = setup();
  assert.equal(check(from(PAGE, { url: PAGE, parent: null })), false);
  // Anything but null counts as a parent: the check fails closed on odd values.
  for (const parent of [undefined, 0, false, '']) {
    assert.equal(check({ sender: webContents, senderFrame: { url: PAGE, parent } }), false, String(parent));
  }
});

test('another web contents is not ours, even one with the same shape and page', () => {
  const { check, from } = setup();
  assert.equal(check(from(PAGE, null, { id: 1 })), false);
  assert.equal(check({ sender: undefined, senderFrame: { url: PAGE, parent: null } }), false);
});

test('no frame (gone or navigated away) is not ours', () => {
  const { check, webContents } = setup();
  assert.equal(check({ sender: webContents, senderFrame: null }), false);
  assert.equal(check({ sender: webContents, senderFrame: undefined }), false);
});

test('the window is looked up on every call: none while closed, only the new one after it is recreated', () => {
  const { check, from, webContents, setWindow } = setup();
  assert.equal(check(from(PAGE)), true);
  setWindow(undefined);
  assert.equal(check(from(PAGE)), false);
  const recreated = { id: 2 };
  setWindow({ webContents: recreated, pageUrl: PAGE });
  assert.equal(check(from(PAGE, null, webContents)), false, 'the old window no longer counts');
  assert.equal(check(from(PAGE, null, recreated)), true);
});
