// The chat history as a virtualized list: only the lines on screen are in the DOM, so ten
// thousand messages scroll like ten. It follows new lines while you are at the bottom; scrolled
// up, it stays put and offers a jump back down.
import { useCallback, useEffect, useRef, useState } from 'react';
import { Virtuoso, type VirtuosoHandle } from 'react-virtuoso';
import type { Member, RoomEvent } from '../../src-preload/contract';
import { ChatLine } from './chat-line';
import { ChevronDownIcon } from './icons';

// Breathing room above the oldest and below the newest line, inside the scrolled area.
const LIST_PARTS = { Header: () => <div className="chat-edge top" />, Footer: () => <div className="chat-edge bottom" /> };

/** The chat log with its "New messages" jump button. */
export function ChatPane({ events, me }: { events: RoomEvent[]; me: Member }) {
  const list = useRef<VirtuosoHandle>(null);
  const [atBottom, setAtBottom] = useState(true);
  const [unseen, setUnseen] = useState(0);
  const seenNewest = useRef(events.at(-1));

  // Counts lines that arrived while scrolled up; reaching the bottom clears the count, and
  // your own new message brings you back down to it.
  useEffect(() => {
    const newest = events.at(-1);
    if (atBottom || newest === undefined) {
      seenNewest.current = newest;
      setUnseen(0);
      return;
    }
    if (newest === seenNewest.current) return;
    if (newest.type === 'chat' && newest.from.id === me.id) {
      seenNewest.current = newest;
      setUnseen(0);
      list.current?.scrollToIndex({ index: 'LAST', align: 'end', behavior: 'auto' });
      return;
    }
    const from = seenNewest.current === undefined ? -1 : events.lastIndexOf(seenNewest.current);
    setUnseen(from === -1 ? events.length : events.length - 1 - from);
  }, [events, atBottom, me.id]);

  // When the pane shrinks (an error line above the composer, a taller message box) the newest
  // line must stay in view if it was; Virtuoso follows new items, not a smaller viewport.
  const logRef = useRef<HTMLDivElement>(null);
  const scrollerRef = useRef<HTMLElement | null>(null);
  const atBottomRef = useRef(atBottom);
  useEffect(() => {
    atBottomRef.current = atBottom;
  }, [atBottom]);
  useEffect(() => {
    const element = logRef.current;
    if (element === null) return;
    const observer = new ResizeObserver(() => {
      const scroller = scrollerRef.current;
      if (atBottomRef.current && scroller) scroller.scrollTop = scroller.scrollHeight;
    });
    observer.observe(element);
    return () => observer.disconnect();
  }, []);

  const jumpToNewest = () => {
    list.current?.scrollToIndex({ index: 'LAST', align: 'end', behavior: 'auto' });
  };

  const itemContent = useCallback(
    (index: number, event: RoomEvent) => <ChatLine event={event} previous={events[index - 1]} me={me} />,
    [events, me],
  );

  return (
    <div className="chat-pane">
      <div ref={logRef} className="chat-log" role="log" aria-label="Chat" aria-relevant="additions">
        {events.length === 0 ? (
          <p className="chat-empty">No messages yet. Say hello!</p>
        ) : (
          <Virtuoso
            ref={list}
            scrollerRef={(element) => {
              scrollerRef.current = element instanceof HTMLElement ? element : null;
            }}
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
            components={LIST_PARTS}
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
