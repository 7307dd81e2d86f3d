import { useMemo, type MouseEvent } from 'react';
import { splitLinks } from '../format/link-parts';
import { useActions } from '../state/store';

/** Chat text as React text nodes, with http(s) URLs as links that open in the default browser. */
export function LinkedText({ text }: { text: string }) {
  const { openLink } = useActions();
  const parts = useMemo(() => splitLinks(text), [text]);

  const open = (event: MouseEvent, url: string) => {
    // The window never navigates; main opens the link in the browser after checking it again.
    event.preventDefault();
    if (event.type === 'click' || event.button === 1) void openLink(url);
  };

  return (
    <>
      {parts.map((part, i) =>
        part.kind === 'text' ? (
          part.text
        ) : (
          <a
            // biome-ignore lint/suspicious/noArrayIndexKey: the parts of one message never move, so their place is their identity
            key={i}
            href={part.url}
            className="chat-link"
            onClick={(e) => open(e, part.url)}
            onAuxClick={(e) => open(e, part.url)}
            rel="noreferrer noopener"
          >
            {part.text}
          </a>
        ),
      )}
    </>
  );
}
