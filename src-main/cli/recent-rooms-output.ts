// How `porthole rooms` shows the recent rooms: one line each for people (number, whose room, the
// name used, when, the last thing said), or one JSON object with them all for programs.
import type { RecentRoomSummary } from '../config/recent-rooms';
import type { ChatEvent } from '../session/room-session';
import { printable } from './printable';

/** A recent room as listed: its number in the list and the last chat line kept, if any. */
export interface ListedRoom extends RecentRoomSummary {
  number: number;
  lastLine: ChatEvent | undefined;
}

const pad = (n: number) => String(n).padStart(2, '0');

/** The local date and time, the same on every system: 2026-11-02 14:05. */
export function localWhen(ts: number): string {
  const d = new Date(ts);
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())} ${pad(d.getHours())}:${pad(d.getMinutes())}`;
}

/** A line for a list: its first line, cut at `max` characters. */
function short(text: string, max = 60): string {
  const first = printable(text).split('\n')[0] ?? '';
  return first.length > max ? `${first.slice(0, max - 1)}…` : first;
}

/** Whose room it is, in a few words: "Ana's room" or "your room (port 41234)". */
export function roomWords(room: Pick<RecentRoomSummary, 'role' | 'label' | 'port'>): string {
  if (room.role === 'host') return `your room${room.port ? ` (port ${room.port})` : ''}`;
  return `${printable(room.label)}'s room`;
}

/** The list for people, and how to use it. */
export function recentRoomsText(rooms: readonly ListedRoom[]): string[] {
  if (rooms.length === 0) return ['No recent rooms yet: a room you join or host is kept here.'];
  const lines = rooms.map((room) => {
    const said = room.lastLine ? `${printable(room.lastLine.from.name)}: ${short(room.lastLine.text)}` : 'nothing said yet';
    const kept = room.canRejoin ? '' : ' · its invite is kept for the window only';
    return `${String(room.number).padStart(3)}. ${roomWords(room)}, you as ${printable(room.name)} · ${localWhen(room.lastUsed)} · ${said}${kept}`;
  });
  return [
    ...lines,
    'porthole join --recent N rejoins one (host --recent N reopens your own); porthole rooms show N prints what was said; porthole rooms forget N forgets one.',
  ];
}

/** The list for programs (`--json`): one object, with the rooms newest first. */
export function recentRoomsJson(rooms: readonly ListedRoom[]): object {
  return {
    event: 'recent-rooms',
    rooms: rooms.map(({ lastLine, ...room }) => ({
      ...room,
      lastLine: lastLine ? { ts: lastLine.ts, from: lastLine.from, text: lastLine.text } : null,
    })),
  };
}
