import { useMemo, useState } from 'react';
import { assignHues } from '../format/member-hues';
import type { RoomState } from '../state/app-state';
import { useAppState } from '../state/store';
import { ChatPane } from './chat-pane';
import { Composer } from './composer';
import { ConnectionBanner } from './connection-banner';
import { FilesPanel } from './files-panel';
import { InvitePanel } from './invite-panel';
import { MemberHuesProvider } from './member-hues';
import { MemberList } from './member-list';
import { NoticeList } from './notice-list';
import { RoomHeader } from './room-header';
import { SideTabList, sidePanelProps, type SideTab } from './side-tabs';
import { useMediaQuery } from './use-media-query';

/** Below this width the people and the files share one side column, as two tabs (room-layout.css agrees). */
export const NARROW_QUERY = '(max-width: 1100px)';

interface RoomScreenProps {
  room: RoomState;
  onOpenSettings: () => void;
  /** While files are dragged over the window: the member they are over (null: none); undefined when no drag. */
  dropTarget?: string | null | undefined;
}

/** The room: header, people and invites, files, and the chat. */
export function RoomScreen({ room, onOpenSettings, dropTarget }: RoomScreenProps) {
  const { notices } = useAppState();
  const narrow = useMediaQuery(NARROW_QUERY);
  const [tab, setTab] = useState<SideTab>('people');
  const waitingOffers = room.transfers.filter((t) => t.direction === 'incoming' && t.state === 'offered').length;
  // Distinct colours for the people present, the first come keeping theirs.
  const hues = useMemo(() => assignHues(room.members), [room.members]);

  return (
    <MemberHuesProvider hues={hues}>
      <div className={`room-screen ${narrow ? 'narrow' : 'wide'}`}>
        <RoomHeader room={room} onOpenSettings={onOpenSettings} />
        {/* One tree in both layouts (wide: the column's box disappears), so resizing remounts nothing. */}
        <div className="room-column">
          {narrow && <SideTabList selected={tab} onSelect={setTab} waitingOffers={waitingOffers} />}
          <section className="room-side" aria-label="Room" {...(narrow ? sidePanelProps('people', tab) : {})}>
            {room.role === 'host' && <InvitePanel room={room} />}
            <MemberList members={room.members} me={room.me} removed={room.removed} dropTarget={dropTarget} />
          </section>
          <div className="room-files" {...(narrow ? sidePanelProps('files', tab) : {})}>
            <FilesPanel transfers={room.transfers} members={room.members} me={room.me} />
          </div>
        </div>
        <main className="room-chat">
          <ConnectionBanner status={room.status} />
          <NoticeList notices={notices} />
          <ChatPane events={room.events} me={room.me} />
          <Composer disabled={room.status.state === 'closed'} />
        </main>
      </div>
    </MemberHuesProvider>
  );
}
