// Window-wide file dragging. dragenter/dragleave fire for every element the pointer crosses,
// so a counter (not the last event) says whether a drag is over the window; a missed
// dragleave (the drag ended outside, Escape) is caught by dragover going quiet.
import { useEffect, useState } from 'react';

// dragover repeats every few hundred milliseconds at most while a drag is over the window.
const QUIET_MS = 1000;

const carriesFiles = (event: DragEvent) => event.dataTransfer?.types.includes('Files') ?? false;

/**
 * Shows whether files are being dragged over the window and hands dropped files to `onDrop`.
 * Dropped files never make the window navigate, even while `enabled` is false.
 */
export function useFileDrop(enabled: boolean, onDrop: (files: File[]) => void): boolean {
  const [dragging, setDragging] = useState(false);

  useEffect(() => {
    let depth = 0;
    let quietTimer: ReturnType<typeof setTimeout> | undefined;
    const reset = () => {
      depth = 0;
      clearTimeout(quietTimer);
      setDragging(false);
    };

    const onDragEnter = (event: DragEvent) => {
      if (!carriesFiles(event)) return;
      event.preventDefault();
      depth += 1;
      if (enabled) setDragging(true);
    };
    const onDragLeave = (event: DragEvent) => {
      if (!carriesFiles(event)) return;
      depth = Math.max(0, depth - 1);
      if (depth === 0) reset();
    };
    const onDragOver = (event: DragEvent) => {
      if (!carriesFiles(event)) return;
      event.preventDefault();
      if (event.dataTransfer) event.dataTransfer.dropEffect = enabled ? 'copy' : 'none';
      clearTimeout(quietTimer);
      quietTimer = setTimeout(reset, QUIET_MS);
    };
    const onDropEvent = (event: DragEvent) => {
      if (!carriesFiles(event)) return;
      event.preventDefault();
      reset();
      const files = Array.from(event.dataTransfer?.files ?? []);
      if (enabled && files.length > 0) onDrop(files);
    };

    window.addEventListener('dragenter', onDragEnter);
    window.addEventListener('dragleave', onDragLeave);
    window.addEventListener('dragover', onDragOver);
    window.addEventListener('drop', onDropEvent);
    return () => {
      window.removeEventListener('dragenter', onDragEnter);
      window.removeEventListener('dragleave', onDragLeave);
      window.removeEventListener('dragover', onDragOver);
      window.removeEventListener('drop', onDropEvent);
      reset();
    };
  }, [enabled, onDrop]);

  return dragging && enabled;
}
