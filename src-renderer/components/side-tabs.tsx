// On narrow windows the side column holds People and Files as two tabs at its top, so Files and
// "Send files…" are one click away at any height, never scrolled out of sight (WAI-ARIA tabs:
// arrow keys move between them, only the selected tab is in the Tab order). The panels are the
// room screen's own columns, so switching layouts never remounts them.
import { useRef, type KeyboardEvent, type ReactNode } from 'react';

export type SideTab = 'people' | 'files';

const TABS: SideTab[] = ['people', 'files'];

/** The attributes that make a side column the panel of its tab, on narrow windows. */
export function sidePanelProps(tab: SideTab, selected: SideTab) {
  return { role: 'tabpanel', id: `side-panel-${tab}`, 'aria-labelledby': `side-tab-${tab}`, hidden: selected !== tab } as const;
}

interface SideTabListProps {
  selected: SideTab;
  onSelect: (tab: SideTab) => void;
  /** Offers waiting for your answer, shown on the Files tab. */
  waitingOffers: number;
}

export function SideTabList({ selected, onSelect, waitingOffers }: SideTabListProps) {
  const buttons = useRef<Record<SideTab, HTMLButtonElement | null>>({ people: null, files: null });
  const onKeyDown = (event: KeyboardEvent) => {
    const step = event.key === 'ArrowRight' ? 1 : event.key === 'ArrowLeft' ? -1 : 0;
    const to =
      event.key === 'Home'
        ? TABS[0]
        : event.key === 'End'
          ? TABS.at(-1)
          : step
            ? TABS[(TABS.indexOf(selected) + step + TABS.length) % TABS.length]
            : undefined;
    if (to === undefined) return;
    event.preventDefault();
    onSelect(to);
    buttons.current[to]?.focus();
  };

  const tab = (id: SideTab, label: ReactNode) => (
    <button
      ref={(element) => {
        buttons.current[id] = element;
      }}
      type="button"
      role="tab"
      id={`side-tab-${id}`}
      className="side-tab"
      aria-selected={selected === id}
      aria-controls={`side-panel-${id}`}
      tabIndex={selected === id ? 0 : -1}
      onClick={() => onSelect(id)}
    >
      {label}
    </button>
  );

  return (
    <div className="side-tab-list" role="tablist" aria-label="People and files" onKeyDown={onKeyDown}>
      {tab('people', 'People')}
      {tab(
        'files',
        <>
          Files
          {waitingOffers > 0 && (
            <span className="tab-badge">
              {waitingOffers}
              <span className="visually-hidden"> {waitingOffers === 1 ? 'offer waits' : 'offers wait'} for your answer</span>
            </span>
          )}
        </>,
      )}
    </div>
  );
}
