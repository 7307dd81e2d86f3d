import type { AppError } from '../wire/errors';
import type { Member, NumberedEvent, Rate } from '../wire/protocol';
import { roomLog } from '../wire/room-log';
import type { DetachReason, MemberConnection, RoomLink, WireMessage } from './feature';
import type { FeatureTable } from './feature-table';

/** The host's own member is not paced: nobody is between it and the room. */
const UNPACED: Rate = { capacity: 1_000_000, refillPerSecond: 1_000_000 };

/**
 * The in-process link between the host's own member and the room's hub features: the same
 * MemberConnection a guest's socket is, and the same RoomLink a guest's member side gets, so
 * every feature has one code path for the host's member and for guests. Text messages go
 * through a microtask in each direction, so that neither side is re-entered in the middle of a
 * change; binary frames go straight through (their pacing is the feature's own credit).
 */
export class LocalMember {
  readonly connection: MemberConnection;
  private readonly link: RoomLink;
  private joined = false;

  constructor(
    me: Member,
    private readonly table: FeatureTable,
    members: () => Member[],
  ) {
    this.connection = {
      member: me,
      send: (message) => queueMicrotask(() => this.table.member(message.type)?.message(message)),
      sendError: (error, ref) => queueMicrotask(() => this.answered(error, ref)),
      // A hub feature finding fault with the host's own member is a bug of ours, not an attack.
      offend: (error) => roomLog.error('a feature refused the host’s own message', { code: error.code }),
      // Through the same microtask queue as send(), so text and binary frames arrive in the order sent, as on a socket.
      sendBinary: (frame, done) =>
        queueMicrotask(() => {
          if (this.joined) this.table.binary(frame)?.member?.binary?.(frame);
          done();
        }),
      isOpen: () => this.joined,
    };
    this.link = {
      me,
      members,
      rate: UNPACED,
      send: (message: WireMessage) =>
        queueMicrotask(() => {
          if (this.joined) this.table.hub(message.type)?.message(this.connection, message);
        }),
      sendBinary: (frame, done) =>
        queueMicrotask(() => {
          if (this.joined) this.table.binary(frame)?.hub?.binary?.(this.connection, frame);
          done();
        }),
      isOpen: () => this.joined,
    };
  }

  /** The room is open: every hub feature meets the host's member first, then its member sides attach. */
  join(): void {
    this.joined = true;
    for (const feature of this.table.features) feature.hub?.connected?.(this.connection);
    for (const feature of this.table.features) feature.member?.attach(this.link);
  }

  /** A message a hub feature broadcast, for the host's own member side. */
  deliver(message: WireMessage): void {
    this.connection.send(message);
  }

  /** A numbered event the room published. */
  event(event: NumberedEvent): void {
    for (const feature of this.table.features) feature.member?.event?.(event, false);
  }

  /** The room closes. */
  leave(reason: DetachReason): void {
    this.joined = false;
    for (const feature of this.table.features) feature.member?.detach(reason);
    for (const feature of this.table.features) feature.member?.closed?.(undefined);
  }

  async stopped(): Promise<void> {
    await Promise.all(this.table.features.map((f) => f.member?.stopped?.()));
  }

  private answered(error: AppError, ref: string | undefined): void {
    if (ref && this.table.features.some((f) => f.member?.answered?.(error, ref))) return;
    roomLog.warn('the room refused the host’s own message', { code: error.code });
  }
}
