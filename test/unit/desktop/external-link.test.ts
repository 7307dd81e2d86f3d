// safeExternalUrl decides which links may leave the app for the default browser.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { safeExternalUrl } from '../../../src-main/desktop/external-link';

test('plain http(s) links come back normalized', () => {
  const cases: Array<[string, string]> = [
    ['https://example.com', 'https://example.com/'],
    ['http://example.com/path?q=1#frag', 'http://example.com/path?q=1#frag'],
    ['HTTPS://Example.COM/A', 'https://example.com/A'],
    ['https://example.com/a b', 'https://example.com/a%20b'],
    ['  https://example.com/  ', 'https://example.com/'],
    ['https://example.com:8443/x', 'https://example.com:8443/x'],
    ['https://example.com:443/x', 'https://example.com/x'],
    ['https://192.0.2.1/', 'https://192.0.2.1/'],
    ['https://[2001:db8::1]/', 'https://[2001:db8::1]/'],
    // Look-alike host names are handed over as punycode, which browsers show as such.
    ['https://ex\u0430mple.com/', 'https://xn--exmple-4nf.com/'],
    // Tabs and newlines are dropped by the URL parser, so they cannot split the link.
    ['https://exa\tmple.com/\n', 'https://example.com/'],
  ];
  for (const [raw, expected] of cases) assert.equal(safeExternalUrl(raw), expected, raw);
});

test('other schemes, credentials and non-links are refused', () => {
  const refused = [
    'javascript:alert(1)',
    ' JaVaScRiPt:alert(1)',
    'java\nscript:alert(1)',
    'file:///etc/passwd',
    'file://server/share/x.exe',
    'data:text/html,<script>alert(1)</script>',
    'blob:https://example.com/uuid',
    'vbscript:msgbox',
    'ftp://example.com/',
    'smb://server/share',
    'mailto:ada@example.com',
    'ms-msdt:/id PCWDiagnostic',
    'app://porthole/index.html',
    'http://user:pw@example.com/',
    'https://user@example.com/',
    'https://:pw@example.com/',
    '//example.com/',
    '/relative/path',
    'example.com',
    '',
    'https://',
    'http://[::1',
  ];
  for (const raw of refused) assert.equal(safeExternalUrl(raw), undefined, raw);
});

test('links longer than 2048 characters are refused; 2048 is still fine', () => {
  const base = 'https://example.com/';
  assert.equal(safeExternalUrl(base + 'a'.repeat(2048 - base.length)), base + 'a'.repeat(2048 - base.length));
  assert.equal(safeExternalUrl(base + 'a'.repeat(2049 - base.length)), undefined);
});

test('anything that is not a string is refused rather than thrown on', () => {
  for (const value of [undefined, null, 42, { href: 'https://example.com/' }, new URL('https://example.com/')]) {
    assert.equal(safeExternalUrl(value as unknown as string), undefined, String(value));
  }
});
