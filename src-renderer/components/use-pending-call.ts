import { useCallback, useState } from 'react';
import type { AppError, Result } from '../../src-preload/contract';

/**
 * A form's one call at a time: busy while it runs, and its error when it fails (the code says
 * which field it belongs to). On success the next screen replaces the form, so only a failure
 * gives the form back; a call the person cancelled gives it back without an error.
 */
export function usePendingCall() {
  const [busy, setBusy] = useState(false);
  const [failure, setFailure] = useState<AppError | null>(null);
  const run = async (call: () => Promise<Result<unknown>>) => {
    if (busy) return;
    setBusy(true);
    setFailure(null);
    const result = await call();
    if (!result.ok) {
      setFailure(result.error.code === 'cancelled' ? null : result.error);
      setBusy(false);
    }
  };
  /** Shows a sentence of the form's own (null clears it), about `code`'s field when given. */
  const setError = useCallback(
    (message: string | null, code: AppError['code'] = 'invalid-request') => setFailure(message === null ? null : { code, message }),
    [],
  );
  return { busy, error: failure?.message ?? null, failure, setError, run };
}
