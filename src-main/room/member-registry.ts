import { randomBytes } from 'node:crypto';
import type { AppError } from '../wire/errors';
import type { PeerConnection } from '../link/peer-connection';
import type { Member } from '../wire/protocol';
import { RateLimiter } from '../wire/rate-limiter';

/** Resumes a member may make: a burst, then one every 20 s. */
const RESUME_RATE = { capacity: 6, refillPerSecond: 0.05 };

/** A guest's membership, which outlives any one connection so that it can be resumed. */
export interface GuestSession {
  token: string;
  member: Member;
  peer: PeerConnection | undefined;
  /**
   * Its connection dropped a moment ago and the room has not been told yet: it still counts as
   * present, so a quick resume shows no leave and no join.
   */
  lingering: boolean;
  /** Hellos with this session's token: a member that reconnects in a loop is slowed down. */
  resumes: RateLimiter;
}

export type Admission =
  | { ok: true; session: GuestSession; replaced?: PeerConnection | undefined; announce: boolean; resumed: boolean; departed?: GuestSession }
  | { ok: false; error: AppError };

const MAX_SESSIONS = 1000;

/** Names compare without case or compatibility differences: "Bob" and "ｂｏｂ" are the same name. */
const fold = (name: string) => name.normalize('NFKC').toLocaleLowerCase();

/** Who is in the room (the host plus connected guests) and the sessions they can resume. */
export class MemberRegistry {
  private readonly sessions = new Map<string, GuestSession>();
  private readonly byPeer = new Map<PeerConnection, GuestSession>();
  /** Sessions the host removed: their tokens are refused, so they cannot resume. */
  private readonly removedTokens = new Set<string>();
  /** Names the host removed, folded → as shown: a fresh hello under one is refused until the host allows it again. */
  private readonly removedNames = new Map<string, string>();

  constructor(
    private readonly hostMember: Member,
    /** The room size, the host included; the host may change it while the room is open. */
    public maxMembers: number,
  ) {}

  members(): Member[] {
    return [this.hostMember, ...this.present().map((s) => s.member)];
  }

  peers(): PeerConnection[] {
    return [...this.byPeer.keys()];
  }

  sessionOf(peer: PeerConnection): GuestSession | undefined {
    return this.byPeer.get(peer);
  }

  /** Lets a connection in under `name`, resuming the session `token` names if there is one. */
  admit(peer: PeerConnection, name: string, token: string | undefined): Admission {
    if ((token && this.removedTokens.has(token)) || this.removedNames.has(fold(name))) {
      return {
        ok: false,
        error: { code: 'removed', message: 'The host removed you from this room. Ask the host to let you back in, or for a new invite.' },
      };
    }
    const existing = token ? this.sessions.get(token) : undefined;
    if (existing && !existing.resumes.take()) {
      return { ok: false, error: { code: 'rate-limited', message: 'You reconnected too often; Porthole will try again shortly.' } };
    }
    const sameName = (m: Member) => fold(m.name) === fold(name);
    const others = this.present().filter((s) => s !== existing);
    if (sameName(this.hostMember) || others.some((s) => s.peer && sameName(s.member))) {
      return { ok: false, error: { code: 'name-taken', message: `Someone in the room is already called "${name}". Pick another name.` } };
    }
    // Someone dropped a moment ago under this name and is joining afresh (a restarted app): the old one is gone.
    const departed = others.find((s) => s.lingering && sameName(s.member));
    // Counted against the limit as it is now: a lowered limit turns newcomers away but keeps
    // everyone present, resuming members included (they never left).
    const active = existing !== undefined && (existing.peer !== undefined || existing.lingering);
    if (!active && this.present().length - (departed ? 1 : 0) + 1 >= this.maxMembers) {
      return {
        ok: false,
        error: {
          code: 'room-full',
          message: `The room is full: it takes ${this.maxMembers} people, the host included. Ask the host to make room.`,
        },
      };
    }
    if (departed) departed.lingering = false;
    const session = existing ?? this.createSession(name);
    session.member = { ...session.member, name };
    const replaced = session.peer;
    if (replaced) this.byPeer.delete(replaced);
    session.peer = peer;
    session.lingering = false;
    this.byPeer.set(peer, session);
    return { ok: true, session, replaced, announce: !active, resumed: existing !== undefined, ...(departed ? { departed } : {}) };
  }

  /**
   * Forgets a connection; returns its session if that connection was the member's current one.
   * With `linger`, the member stays present until settle() or a resume.
   */
  release(peer: PeerConnection, linger = false): GuestSession | undefined {
    const session = this.byPeer.get(peer);
    if (!session) return undefined;
    this.byPeer.delete(peer);
    session.peer = undefined;
    session.lingering = linger;
    return session;
  }

  /** A lingering member did not come back in time: it is gone. True if it was still lingering. */
  settle(session: GuestSession): boolean {
    if (!session.lingering || session.peer) return false;
    session.lingering = false;
    return true;
  }

  /** A member connected now or lingering, by its id. */
  presentById(memberId: string): GuestSession | undefined {
    return this.present().find((s) => s.member.id === memberId);
  }

  /**
   * The host removed this member: its session is forgotten (it is no longer listed), its token
   * and its name are refused from now on. Its connection is the caller's to close.
   */
  remove(session: GuestSession): void {
    this.sessions.delete(session.token);
    this.removedTokens.add(session.token);
    this.removedNames.set(fold(session.member.name), session.member.name);
    session.lingering = false;
  }

  /** Lets a removed name in again (a fresh hello; the removed session itself stays closed). True if it was refused. */
  allow(name: string): boolean {
    return this.removedNames.delete(fold(name));
  }

  /** The names refused until the host lets them back in, as they were shown. */
  removed(): string[] {
    return [...this.removedNames.values()];
  }

  /** Members connected now or lingering, in the order they first joined. */
  private present(): GuestSession[] {
    return [...this.sessions.values()].filter((s) => s.peer !== undefined || s.lingering);
  }

  private createSession(name: string): GuestSession {
    if (this.sessions.size >= MAX_SESSIONS) {
      const idle = [...this.sessions.values()].find((s) => !s.peer && !s.lingering);
      if (idle) this.sessions.delete(idle.token);
    }
    const session: GuestSession = {
      token: randomBytes(32).toString('base64url'),
      member: { id: randomBytes(6).toString('base64url'), name, host: false },
      peer: undefined,
      lingering: false,
      resumes: new RateLimiter(RESUME_RATE.capacity, RESUME_RATE.refillPerSecond),
    };
    this.sessions.set(session.token, session);
    return session;
  }
}
