// Whether pressing Leave (or Stop hosting) should ask first, and what it would say: leaving
// ends the room for everyone when hosting, and stops the files that are moving either way.
import type { RoomView } from '../../src-preload/contract';

export type LeaveQuestion =
  /** Hosting: closing the room disconnects the others and stops every transfer. */
  | { kind: 'stop-hosting'; guests: number; moving: number }
  /** A guest with files moving: they stop. */
  | { kind: 'files-moving'; moving: number };

/** Transfers that stop if the room goes now; an offer nobody answered yet loses nothing. */
export function movingTransfers(room: Pick<RoomView, 'transfers'>): number {
  return room.transfers.filter((t) => t.state === 'sending' || t.state === 'receiving').length;
}

/** The question to ask before leaving, or undefined when leaving stops nothing and happens at once. */
export function leaveQuestion(room: Pick<RoomView, 'role' | 'members' | 'transfers'>): LeaveQuestion | undefined {
  const moving = movingTransfers(room);
  if (room.role === 'host') return { kind: 'stop-hosting', guests: Math.max(0, room.members.length - 1), moving };
  return moving > 0 ? { kind: 'files-moving', moving } : undefined;
}

/** "1 transfer stops." / "3 transfers stop." */
export function transfersStopSentence(moving: number): string {
  return moving === 1 ? '1 transfer stops.' : `${moving} transfers stop.`;
}
