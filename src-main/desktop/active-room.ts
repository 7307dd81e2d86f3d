// The room the window is in: forwards the session's events to the window, keeps what a reload
// needs to redraw it, and closes in the right order.
import type { RoomView } from '../../src-preload/contract';
import type { PortMapper } from '../nat/port-mapper';
import type { PortMappingStatus } from '../nat/port-mapping-status';
import type { HostInvite } from '../session/room-invite';
import type { RoomEvent } from '../wire/protocol';
import type { RoomSession, SessionEvents, SessionStatus } from '../room/session-events';
import type { EventEmitter } from 'node:events';
import { logSessionStatus } from '../log/session-status-log';
import type { EventSink } from './desktop-platform';

/** Chat and join/leave lines kept for redrawing the window; the window shows them all. */
export const EVENTS_KEPT = 10_000;

type Session = RoomSession & EventEmitter<SessionEvents>;

export interface ActiveRoomOptions {
  role: 'host' | 'guest';
  session: Session;
  sink: EventSink;
  /** Host: the invite, which the mapper's answers update. */
  invite?: HostInvite;
  /** Host with port forwarding on: the port mapper, already subscribed to nothing. */
  mapper?: PortMapper | undefined;
  /** Called once when the room is over, whoever ended it. */
  onEnded: (room: ActiveRoom) => void;
}

export class ActiveRoom {
  readonly role: 'host' | 'guest';
  readonly session: Session;
  private readonly events: RoomEvent[] = [];
  private status: SessionStatus = { state: 'connected' };
  private ended = false;
  private closing: Promise<void> | undefined;
  /** Events are kept from the start but pushed only once the window has the room's view. */
  private live = false;

  constructor(private readonly options: ActiveRoomOptions) {
    this.role = options.role;
    this.session = options.session;
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
    session.on('warning', (error) => sink('room:warning', error));
    session.on('send-failed', (failure) => sink('chat:send-failed', failure));
    logSessionStatus(session, options.role);
    session.on('status', (status) => {
      this.status = status;
      sink('room:status', status);
      if (status.state === 'closed') this.end(status);
    });
    session.transfers.on('offer', (view) => sink('transfer:offer', view));
    session.transfers.on('update', (view) => sink('transfer:update', view));
    options.invite?.on('changed', (invite) => sink('room:invite', invite));
    options.mapper?.on('status', (status: PortMappingStatus) => {
      sink('room:port-mapping', status);
      options.invite?.mappingChanged(status);
    });
  }

  /**
   * Starts pushing events to the window and returns the view they continue from. A guest's
   * room is made before it connects, so the history replayed while joining is in the view.
   */
  goLive(): RoomView {
    this.live = true;
    return this.view();
  }

  /** Everything the window needs to draw this room from scratch. */
  view(): RoomView {
    return {
      role: this.role,
      me: this.session.me,
      members: this.session.members(),
      status: this.status,
      ...(this.options.invite ? { invite: this.options.invite.current } : {}),
      ...(this.options.mapper ? { portMapping: this.options.mapper.status } : {}),
      events: [...this.events],
      transfers: this.session.transfers.list(),
    };
  }

  /**
   * Leaves (a guest) or closes the room for everyone (the host), with close frames; then the
   * router mapping goes. The room closes first so that guests on the internet still get their
   * close frame through the router.
   */
  close(): Promise<void> {
    this.closing ??= (async () => {
      await this.session.close();
      await this.options.mapper?.stop();
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
