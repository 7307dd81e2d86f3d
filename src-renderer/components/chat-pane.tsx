// The chat history as a virtualized list: only the lines on screen are in the DOM, so ten
// thousand messages scroll like ten. It follows new lines while you are at the bottom; scrolled
// up, it stays put and offers a jump back down.
import { useCallback, useEffect, useRef, useState } from 'react';
import { Virtuoso, type VirtuosoHandle } from 'react-virtuoso';
import type { Member, RoomEvent } from '../../src-preload/contract';
import { ChatLine } from './chat-line';
import { ChevronDownIcon } from './icons';

/** The chat log with its "New messages" jump button. */
export function ChatPane({ events, me }: { events: RoomEvent[]; me: Member }) {
  const list = useRef<VirtuosoHandle>(null);
  const [atBottom, setAtBottom] = useState(true);
  const [unseen, setUnseen] = useState(0);
  const seenNewest = useRef(events.at(-1));

  // Counts lines that arrived while scrolled up; reaching the bottom clears the count.
  useEffect(() => {
    const newest = events.at(-1);
    if (atBottom) {
      seenNewest.current = newest;
      setUnseen(0);
      return;
    }
    if (newest === seenNewest.current || newest === undefined) return;
    const from = seenNewest.current === undefined ? -1 : events.lastIndexOf(seenNewest.current);
    setUnseen(from === -1 ? events.length : events.length - 1 - from);
  }, [events, atBottom]);

  const jumpToNewest = () => {
    list.current?.scrollToIndex({ index: 'LAST', align: 'end', behavior: 'auto' });
  };

  const itemContent = useCallback(
    (index: number, event: RoomEvent) => <ChatLine event={event} previous={events[index - 1]} me={me} />,
    [events, me],
  );

  return (
    <div className="chat-pane">
      <div className="chat-log" role="log" aria-label="Chat" aria-relevant="additions">
        {events.length === 0 ? (
          <p className="chat-empty">No messages yet. Say hello!</p>
        ) : (
          <Virtuoso
            ref={list}
            className="chat-scroller"
            data={events}
            computeItemKey={(_, event) => `${event.seq}:${event.ts}`}
            itemContent={itemContent}
            initialTopMostItemIndex={{ index: 'LAST', align: 'end' }}
            followOutput={(isAtBottom) => (isAtBottom ? 'auto' : false)}
            atBottomStateChange={setAtBottom}
            atBottomThreshold={48}
            alignToBottom
            increaseViewportBy={{ top: 400, bottom: 200 }}
          />
        )}
      </div>
      {!atBottom && unseen > 0 && (
        <button type="button" className="button jump-button" onClick={jumpToNewest}>
          <ChevronDownIcon />
          New messages ({unseen > 999 ? '999+' : unseen})
        </button>
      )}
    </div>
  );
}
