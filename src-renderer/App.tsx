import { useCallback, useState } from 'react';
import { useActions, useAppState } from './state/store';
import { DropOverlay } from './components/drop-overlay';
import { RoomScreen } from './components/room-screen';
import { SettingsDialog } from './components/settings-dialog';
import { StartScreen } from './components/start-screen';
import { type DropMember, useFileDrop } from './components/use-file-drop';
import { usePasteFiles } from './components/use-paste-files';

/** The window's root: the start screen or the room, and the settings dialog over either. */
export function App() {
  const { phase, loadError, room, settings, suggestedName } = useAppState();
  const { loadSnapshot, offerFiles } = useActions();
  const [settingsOpen, setSettingsOpen] = useState(false);
  const openSettings = () => setSettingsOpen(true);
  // Files dropped anywhere go to the room as one item, or to one person when dropped on them;
  // outside a room a drop is refused, never opened as a page.
  const onDrop = useCallback((files: File[], to?: DropMember) => void offerFiles(files, to ? [to.id] : undefined), [offerFiles]);
  const drag = useFileDrop(room !== null, onDrop);
  // Pasted files (an image, files copied in the file manager) go to the room, as one item.
  const onPaste = useCallback((files: File[]) => void offerFiles(files), [offerFiles]);
  usePasteFiles(room !== null, onPaste);

  if (phase === 'loading') {
    return (
      <div className="splash" role="status">
        <span className="spinner" aria-hidden="true" />
        Opening Porthole…
      </div>
    );
  }
  if (phase === 'failed') {
    return (
      <div className="splash" role="alert">
        <p>{loadError}</p>
        <button type="button" className="button primary" onClick={() => void loadSnapshot()}>
          Try again
        </button>
      </div>
    );
  }

  return (
    <>
      {room ? (
        <RoomScreen room={room} onOpenSettings={openSettings} dropTarget={drag.dragging ? (drag.member?.id ?? null) : undefined} />
      ) : (
        <StartScreen onOpenSettings={openSettings} />
      )}
      {drag.dragging && <DropOverlay member={drag.member} />}
      {settingsOpen && settings && (
        <SettingsDialog settings={settings} suggestedName={suggestedName} onClose={() => setSettingsOpen(false)} />
      )}
    </>
  );
}
