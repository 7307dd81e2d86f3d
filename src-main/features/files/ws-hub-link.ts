import type { WebSocket } from 'ws';
import type { HubLink } from './member-link';
import { PacedOutbox } from './paced-outbox';
import type { TransferClientMessage } from './transfer-messages';

/** A guest's HubLink over its WebSocket to the host: chunks paced so chat is never far behind. */
export function wsHubLink(ws: WebSocket): HubLink {
  const outbox = new PacedOutbox({
    sendBinary: (frame, done) => ws.send(frame, { binary: true }, () => done()),
    isOpen: () => ws.readyState === ws.OPEN,
  });
  return {
    control: (message: TransferClientMessage) => {
      if (ws.readyState === ws.OPEN) ws.send(JSON.stringify(message));
    },
    chunk: (frame) => outbox.push(frame),
    ready: () => outbox.ready(),
    whenReady: (wake) => outbox.whenReady(wake),
  };
}
