import type { RoomState } from '../state/app-state';
import { useAppState } from '../state/store';
import { ChatPane } from './chat-pane';
import { Composer } from './composer';
import { ConnectionBanner } from './connection-banner';
import { FilesPanel } from './files-panel';
import { InvitePanel } from './invite-panel';
import { MemberList } from './member-list';
import { NoticeList } from './notice-list';
import { RoomHeader } from './room-header';
import { TypingLine } from './typing-line';

/** The room: header, people and invites, files, and the chat. */
export function RoomScreen({ room, onOpenSettings }: { room: RoomState; onOpenSettings: () => void }) {
  const { notices } = useAppState();
  const waitingOffers = room.transfers.some((t) => t.direction === 'incoming' && t.state === 'offered');

  return (
    <div className="room-screen">
      <RoomHeader room={room} onOpenSettings={onOpenSettings} />
      {/* One column on narrow windows (scrolling as a whole), two side columns on wide ones. */}
      <div className="room-column">
        <aside className="room-side" aria-label="Room">
          {room.role === 'host' && <InvitePanel room={room} />}
          <MemberList members={room.members} me={room.me} />
        </aside>
        <div className={`room-files ${waitingOffers ? 'has-offers' : ''}`}>
          <FilesPanel transfers={room.transfers} />
        </div>
      </div>
      <main className="room-chat">
        <ConnectionBanner status={room.status} />
        <NoticeList notices={notices} />
        <ChatPane events={room.events} me={room.me} />
        <TypingLine />
        <Composer disabled={room.status.state === 'closed'} />
      </main>
    </div>
  );
}
