import type { RoomLink, WireMessage } from '../../room/feature';
import type { HubLink } from './member-link';
import { PacedOutbox } from './paced-outbox';
import type { TransferClientMessage } from './transfer-messages';

/** A member's HubLink over its room link (a guest's socket, or in-process on the host): chunks paced so chat is never far behind. */
export function hubLinkOver(link: RoomLink): HubLink {
  const outbox = new PacedOutbox(link);
  return {
    control: (message: TransferClientMessage) => link.send(message as WireMessage),
    chunk: (frame) => outbox.push(frame),
    ready: () => outbox.ready(),
    whenReady: (wake) => outbox.whenReady(wake),
  };
}
