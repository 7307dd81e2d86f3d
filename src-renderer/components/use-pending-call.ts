import { useState } from 'react';
import type { Result } from '../../src-preload/contract';

/**
 * A form's one call at a time: busy while it runs, and its error sentence when it fails. On
 * success the next screen replaces the form, so only a failure gives the form back.
 */
export function usePendingCall() {
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const run = async (call: () => Promise<Result<unknown>>) => {
    if (busy) return;
    setBusy(true);
    setError(null);
    const result = await call();
    if (!result.ok) {
      setError(result.error.message);
      setBusy(false);
    }
  };
  return { busy, error, setError, run };
}
