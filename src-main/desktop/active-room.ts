// The room the window is in: forwards the session's events to the window, keeps what a reload
// needs to redraw it, and closes in the right order.
import type { RoomView } from '../../src-preload/contract';
import type { HostedSession } from '../session/hosted-session';
import type { SessionStatus } from '../room/session-events';
import type { RoomEvent, RoomSession, SessionEvents } from '../session/room-session';
import type { EventEmitter } from 'node:events';
import { logSessionStatus } from '../log/session-status-log';
import type { EventSink } from './desktop-platform';
import { followFeatureWindows } from './feature-windows';

/** Chat and join/leave lines kept for redrawing the window; the window shows them all. */
export const EVENTS_KEPT = 10_000;

type Session = RoomSession & EventEmitter<SessionEvents>;

export interface ActiveRoomOptions {
  role: 'host' | 'guest';
  session: Session;
  sink: EventSink;
  /** Host: the hosted session (its invite, the router's answers, and the ordered close); its mapping not started yet. */
  hosting?: HostedSession | undefined;
  /** Called once when the room is over, whoever ended it. */
  onEnded: (room: ActiveRoom) => void;
}

/** Chat lines sent under an earlier id of yours, given your current one, so they still show as yours. */
export function asMine(events: readonly RoomEvent[], me: { id: string }, formerIds: readonly string[]): RoomEvent[] {
  return events.map((e) => (e.type === 'chat' && formerIds.includes(e.from.id) ? { ...e, from: { ...e.from, id: me.id } } : e));
}

export class ActiveRoom {
  readonly role: 'host' | 'guest';
  readonly session: Session;
  /** Host: the hosted session (its invite and host controls); undefined for a guest. */
  readonly hosting: HostedSession | undefined;
  private readonly events: RoomEvent[] = [];
  private status: SessionStatus = { state: 'connected' };
  private ended = false;
  private closing: Promise<void> | undefined;
  /** Events are kept from the start but pushed only after `room:opened` has carried the room's view. */
  private live = false;

  constructor(private readonly options: ActiveRoomOptions) {
    this.role = options.role;
    this.session = options.session;
    this.hosting = options.hosting;
    const { session } = options;
    const sink: EventSink = (event, payload) => {
      if (this.live) options.sink(event, payload);
    };
    session.on('room-event', (event, replayed) => {
      this.events.push(event);
      if (this.events.length > EVENTS_KEPT) this.events.splice(0, this.events.length - EVENTS_KEPT);
      sink('room:event', { event, replayed });
    });
    session.on('members', (members) => sink('room:members', members));
    session.on('removed', (names) => sink('room:removed', names));
    session.on('warning', (error) => sink('room:warning', error));
    // Back under a new id (the host restarted): your earlier lines stay yours, relabelled before the new events come.
    session.on('identity', (me, formerIds) => {
      this.events.splice(0, this.events.length, ...asMine(this.events, me, formerIds));
      sink('room:me', { me, formerIds });
    });
    session.on('send-failed', (failure) => sink('chat:send-failed', failure));
    followFeatureWindows(session.sides, sink);
    logSessionStatus(session, options.role);
    session.on('status', (status) => {
      this.status = status;
      sink('room:status', status);
      if (status.state === 'closed') this.end(status);
    });
    session.transfers.on('offer', (view) => sink('transfer:offer', view));
    session.transfers.on('update', (view) => sink('transfer:update', view));
    // The session reports the router's status, then updates the invite: pushed in that order.
    options.hosting?.on('port-mapping', (status) => sink('room:port-mapping', status));
    options.hosting?.on('relay', (status) => sink('room:relay', status));
    options.hosting?.invite.on('changed', (invite) => sink('room:invite', invite));
  }

  /**
   * Pushes `room:opened` with the room's view, then every later event, on the one ordered channel:
   * the window draws the room from that event, so nothing pushed after it (a start-up warning,
   * the first port-mapping status) can be lost. Returns the same view. A guest's room is made
   * before it connects, so the history replayed while joining is in the view.
   */
  goLive(): RoomView {
    const view = this.view();
    this.options.sink('room:opened', view);
    this.live = true;
    return view;
  }

  /** Everything the window needs to draw this room from scratch. */
  view(): RoomView {
    return {
      role: this.role,
      me: this.session.me,
      members: this.session.members(),
      status: this.status,
      ...(this.options.hosting ? { invite: this.options.hosting.invite.current } : {}),
      ...(this.options.hosting?.portMapping ? { portMapping: this.options.hosting.portMapping } : {}),
      ...(this.options.hosting?.relay ? { relay: this.options.hosting.relay } : {}),
      ...(this.options.hosting ? { removed: this.options.hosting.host.removedNames() } : {}),
      events: [...this.events],
      transfers: this.session.transfers.list(),
    };
  }

  /**
   * Leaves (a guest) or closes the room for everyone (the host), with close frames; then the
   * router mapping goes (the hosted session's ordered close).
   */
  close(): Promise<void> {
    this.closing ??= (async () => {
      await (this.options.hosting ? this.options.hosting.close() : this.session.close());
      this.end({ state: 'closed' });
    })();
    return this.closing;
  }

  private end(status: SessionStatus): void {
    if (this.ended) return;
    this.ended = true;
    // A room that ended under us (the host closed it, we were removed) still unmaps its port.
    if (!this.closing) void this.close();
    if (this.live) this.options.sink('room:ended', status.error ? { error: status.error } : {});
    this.options.onEnded(this);
  }
}
