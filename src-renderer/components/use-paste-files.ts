// Pasting files (an image copied from a browser or a screenshot tool, files copied in the file
// manager) anywhere in the window offers them to the room, the same way as dropping them.
// Pasted text is left alone, so the message box works as before.
import { useEffect } from 'react';

/** The files a paste carries, if any. */
export function pastedFiles(data: DataTransfer | null): File[] {
  return Array.from(data?.files ?? []);
}

/** Hands pasted files to `onFiles` while `enabled`; a paste without files goes on as usual. */
export function usePasteFiles(enabled: boolean, onFiles: (files: File[]) => void): void {
  useEffect(() => {
    if (!enabled) return;
    const onPaste = (event: ClipboardEvent) => {
      const files = pastedFiles(event.clipboardData);
      if (files.length === 0) return;
      event.preventDefault();
      onFiles(files);
    };
    window.addEventListener('paste', onPaste);
    return () => window.removeEventListener('paste', onPaste);
  }, [enabled, onFiles]);
}
