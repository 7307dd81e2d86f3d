// The IPC contract between the window and the main process, and the domain types both sides
// share. Types only: no electron import, so the renderer can `import type` it.
export type { AppError, ErrorCode } from '../src-main/room/errors';
export type { Member, RoomEvent, ChatEvent } from '../src-main/room/protocol';
export type { SessionStatus, SendFailure } from '../src-main/room/session-events';

import type { AppError } from '../src-main/room/errors';

/** What every IPC call answers: data, or an error with a stable code and a sentence. */
export type Result<T> = { ok: true; data: T } | { ok: false; error: AppError };
