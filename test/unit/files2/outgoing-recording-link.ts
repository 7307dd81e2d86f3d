import { createHash } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import type { RoomLink, WireMessage } from '../../../src-main/room/feature';
import { framePayload, KIND_DATA, readFrameHeader } from '../../../src-main/features/files/v2/files2-frames';
import type { Member } from '../../../src-main/wire/protocol';

/** A RoomLink that records what the sending side sends: messages, and frames decoded. */
export function recordingLink(members: Member[] = [{ id: 'me', name: 'Me', host: false }]) {
  const sent: WireMessage[] = [];
  const frames: Buffer[] = [];
  const state = { open: true, /** frames the "socket" holds back until released */ holding: false };
  const held: Array<() => void> = [];
  const link: RoomLink = {
    me: members[0]!,
    members: () => members,
    rate: { capacity: 1000, refillPerSecond: 1000 },
    send: (message) => sent.push(structuredClone(message)),
    sendBinary: (frame, done) => {
      frames.push(Buffer.from(frame));
      if (state.holding) held.push(done);
      else setImmediate(done);
    },
    isOpen: () => state.open,
  };
  return {
    link,
    sent,
    frames,
    state,
    release: () => {
      state.holding = false;
      for (const done of held.splice(0)) done();
    },
    /** Messages of one type sent so far. */
    of: <T = any>(type: string): T[] => sent.filter((m) => m.type === type) as T[],
  };
}

export interface Decoded {
  kind: 'data' | 'sum';
  stream: number;
  /** Data: offset; sum: file index. */
  position: number;
  payload: Buffer;
}

export function decode(frames: Buffer[], stream?: number): Decoded[] {
  return frames
    .map((f) => {
      const h = readFrameHeader(f);
      if (!h) throw new Error('a malformed frame was sent');
      return {
        kind: h.kind === KIND_DATA ? ('data' as const) : ('sum' as const),
        stream: h.stream,
        position: h.position,
        payload: framePayload(f),
      };
    })
    .filter((d) => stream === undefined || d.stream === stream);
}

export const sha256 = (data: Buffer) => createHash('sha256').update(data).digest();
export const sha256Of = async (path: string) => sha256(await readFile(path));

/** Waits until `predicate` holds (checked on every turn of the event loop). */
export async function until(predicate: () => boolean, what: string, timeoutMs = 5000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!predicate()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 2));
  }
}

/** Lets pending reads and frames settle. */
export const settle = (ms = 50) => new Promise((r) => setTimeout(r, ms));
