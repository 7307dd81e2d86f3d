import { createHmac } from 'node:crypto';
import type { BundleSource } from '../bundle-scan';

/**
 * An offer's key (PROTOCOL.md §11): 22 base64url characters, the first 16 bytes of an HMAC-SHA256
 * over what the offer reads — each source's absolute path, size and modification time — and whom
 * it is for. The same unchanged files offered again to the same people give the same key, so a
 * recipient that kept part of them resumes, and the host treats it as the same offer; a file that
 * changed gives another key. The secret keeps the key from telling anyone which paths it covers;
 * a caller that keeps it across restarts lets recipients resume after the sender restarted.
 *
 * Whom it is for is part of the key so that the same file offered to Ann and then to Bob are two
 * offers (the host answers an offer whose key it already has with the open one).
 */
export function offerKey(secret: Buffer, sources: readonly BundleSource[], to?: readonly string[]): string {
  const hmac = createHmac('sha256', secret);
  hmac.update(JSON.stringify({ to: to ? [...to].sort() : null, sources: sources.map((s) => [s.absPath, s.size, s.mtimeMs]) }));
  return hmac.digest().subarray(0, 16).toString('base64url');
}
