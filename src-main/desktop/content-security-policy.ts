/**
 * The window's Content-Security-Policy, sent as a header with every app:// response (and the
 * same rules are in the page's meta tag): only our own scripts and styles, no network at all.
 */
export const CONTENT_SECURITY_POLICY =
  "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; font-src 'self'; connect-src 'none'; object-src 'none'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'";
