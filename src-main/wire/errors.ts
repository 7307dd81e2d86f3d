/**
 * Stable error codes with a sentence a person can act on. The code is for programs
 * (CLI --json, IPC, tests); the message is for people.
 */
export type ErrorCode =
  | 'invite-invalid'
  | 'host-unreachable'
  | 'identity-mismatch'
  | 'wrong-secret'
  | 'version-mismatch'
  | 'not-a-porthole-host'
  | 'room-full'
  | 'room-busy'
  | 'name-taken'
  | 'name-invalid'
  | 'text-invalid'
  | 'bad-json'
  | 'unknown-type'
  | 'invalid-message'
  | 'binary-not-expected'
  | 'hello-first'
  | 'already-joined'
  | 'hello-timeout'
  | 'rate-limited'
  | 'too-many-errors'
  | 'frame-too-large'
  | 'session-replaced'
  // The host removed this member from the room; the same invite does not let it back in until the host allows it.
  | 'removed'
  | 'room-closed'
  // The person (or quitting) stopped a join or host on its way; not the host closing the room, so nothing to report.
  | 'cancelled'
  | 'connection-lost'
  | 'not-connected'
  | 'already-posted'
  | 'bad-host-message'
  | 'file-unreadable'
  | 'file-refused'
  | 'too-many-transfers'
  | 'port-unavailable'
  // A warning, not a failure: the remembered port was taken, so the room listens on another and earlier invites no longer work.
  | 'port-changed'
  | 'busy'
  | 'not-allowed'
  | 'not-found'
  | 'invalid-request'
  | 'internal'
  // The relay (src-main/relay/): bad relay:// URI, unreachable, not the pinned id, host not joined, full, refused.
  | 'relay-invalid'
  | 'relay-unreachable'
  | 'relay-identity-mismatch'
  | 'relay-host-absent'
  | 'relay-full'
  | 'relay-refused';

export interface AppError {
  code: ErrorCode;
  message: string;
}

/** An Error that carries an AppError's stable code. */
export class PortholeError extends Error implements AppError {
  readonly code: ErrorCode;
  /** For a refusal that asked to be retried later: how long to wait, at least. */
  readonly retryAfterMs: number | undefined;
  constructor(code: ErrorCode, message: string, retryAfterMs?: number) {
    super(message);
    this.name = 'PortholeError';
    this.code = code;
    this.retryAfterMs = retryAfterMs;
  }

  toJSON(): AppError {
    return { code: this.code, message: this.message };
  }
}

/**
 * What work stopped by an AbortSignal rejects with: the signal's reason when it is a PortholeError
 * (the one who aborted said why), else a 'cancelled' error with `message`.
 */
export function cancelledBy(signal: AbortSignal | undefined, message: string): PortholeError {
  return signal?.reason instanceof PortholeError ? signal.reason : new PortholeError('cancelled', message);
}

/** Turns anything thrown into an AppError without losing a PortholeError's code. */
export function toAppError(err: unknown): AppError {
  if (err instanceof PortholeError) return { code: err.code, message: err.message };
  const text = err instanceof Error ? err.message : String(err);
  return { code: 'internal', message: `Something went wrong inside Porthole: ${text}` };
}
