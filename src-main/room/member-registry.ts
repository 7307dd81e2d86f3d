import { randomBytes } from 'node:crypto';
import type { AppError } from './errors';
import type { PeerConnection } from './peer-connection';
import type { Member } from './protocol';

/** A guest's membership, which outlives any one connection so that it can be resumed. */
export interface GuestSession {
  token: string;
  member: Member;
  peer: PeerConnection | undefined;
  /** Client message id → sequence number, for ignoring resends. */
  seen: Map<string, number>;
}

export type Admission =
  | { ok: true; session: GuestSession; replaced?: PeerConnection; announce: boolean; resumed: boolean }
  | { ok: false; error: AppError };

const MAX_SEEN_IDS = 1000;
const MAX_SESSIONS = 1000;

/** Names compare without case or compatibility differences: "Bob" and "ｂｏｂ" are the same name. */
const fold = (name: string) => name.normalize('NFKC').toLocaleLowerCase();

/** Who is in the room (the host plus connected guests) and the sessions they can resume. */
export class MemberRegistry {
  private readonly sessions = new Map<string, GuestSession>();
  private readonly byPeer = new Map<PeerConnection, GuestSession>();

  constructor(
    private readonly hostMember: Member,
    private readonly maxMembers: number,
  ) {}

  members(): Member[] {
    return [this.hostMember, ...[...this.byPeer.values()].map((s) => s.member)];
  }

  peers(): PeerConnection[] {
    return [...this.byPeer.keys()];
  }

  sessionOf(peer: PeerConnection): GuestSession | undefined {
    return this.byPeer.get(peer);
  }

  /** Lets a connection in under `name`, resuming the session `token` names if there is one. */
  admit(peer: PeerConnection, name: string, token: string | undefined): Admission {
    const existing = token ? this.sessions.get(token) : undefined;
    const taken = [this.hostMember, ...[...this.byPeer.values()].filter((s) => s !== existing).map((s) => s.member)]
      .some((m) => fold(m.name) === fold(name));
    if (taken) {
      return { ok: false, error: { code: 'name-taken', message: `Someone in the room is already called "${name}". Pick another name.` } };
    }
    const active = existing?.peer !== undefined;
    if (!active && this.byPeer.size + 1 >= this.maxMembers) {
      return { ok: false, error: { code: 'room-full', message: `The room is full (${this.maxMembers} people). Ask the host to make room.` } };
    }
    const session = existing ?? this.createSession(name);
    session.member = { ...session.member, name };
    const replaced = session.peer;
    if (replaced) this.byPeer.delete(replaced);
    session.peer = peer;
    this.byPeer.set(peer, session);
    return { ok: true, session, replaced, announce: !active, resumed: existing !== undefined };
  }

  /** Forgets a connection; returns its session if that connection was the member's current one. */
  release(peer: PeerConnection): GuestSession | undefined {
    const session = this.byPeer.get(peer);
    if (!session) return undefined;
    this.byPeer.delete(peer);
    session.peer = undefined;
    return session;
  }

  remember(session: GuestSession, id: string, seq: number): void {
    session.seen.set(id, seq);
    if (session.seen.size > MAX_SEEN_IDS) session.seen.delete(session.seen.keys().next().value!);
  }

  private createSession(name: string): GuestSession {
    if (this.sessions.size >= MAX_SESSIONS) {
      const idle = [...this.sessions.values()].find((s) => !s.peer);
      if (idle) this.sessions.delete(idle.token);
    }
    const session: GuestSession = {
      token: randomBytes(32).toString('base64url'),
      member: { id: randomBytes(6).toString('base64url'), name, host: false },
      peer: undefined,
      seen: new Map(),
    };
    this.sessions.set(session.token, session);
    return session;
  }
}
