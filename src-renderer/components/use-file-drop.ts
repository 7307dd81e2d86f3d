// Window-wide file dragging. dragenter/dragleave fire for every element the pointer crosses,
// so a counter (not the last event) says whether a drag is over the window; a missed
// dragleave (the drag ended outside, Escape) is caught by dragover going quiet. Files dropped on
// an element marked with `data-drop-member` (a person in the member list) go to that person only.
import { useEffect, useState } from 'react';

// dragover repeats every few hundred milliseconds at most while a drag is over the window.
const QUIET_MS = 1000;

const carriesFiles = (event: DragEvent) => event.dataTransfer?.types.includes('Files') ?? false;

/** The attributes that make an element a drop target for one member: files dropped there go to them only. */
export const dropMemberProps = (member: { id: string; name: string }) => ({ 'data-drop-member': member.id, 'data-drop-name': member.name });

/** A member a drag is over: who the files would go to. */
export interface DropMember {
  id: string;
  name: string;
}

/** Where a drag is: not over the window, over it (the whole room), or over one member. */
export type DragState = { dragging: false } | { dragging: true; member: DropMember | null };

/** The member whose drop target holds `target`, if any. */
function memberAt(target: EventTarget | null): DropMember | null {
  const element = target instanceof Element ? target.closest<HTMLElement>('[data-drop-member]') : null;
  const id = element?.dataset.dropMember;
  return element && id ? { id, name: element.dataset.dropName ?? '' } : null;
}

const sameMember = (a: DropMember | null, b: DropMember | null) => a?.id === b?.id;

/**
 * Says whether files are being dragged over the window, and over which member, and hands dropped
 * files to `onDrop` with the member they were dropped on (undefined: the whole room). Dropped files
 * never make the window navigate, even while `enabled` is false.
 */
export function useFileDrop(enabled: boolean, onDrop: (files: File[], to?: DropMember) => void): DragState {
  const [state, setState] = useState<DragState>({ dragging: false });

  useEffect(() => {
    let depth = 0;
    let quietTimer: ReturnType<typeof setTimeout> | undefined;
    const reset = () => {
      depth = 0;
      clearTimeout(quietTimer);
      setState({ dragging: false });
    };
    const over = (member: DropMember | null) =>
      setState((now) => (now.dragging && sameMember(now.member, member) ? now : { dragging: true, member }));

    const onDragEnter = (event: DragEvent) => {
      if (!carriesFiles(event)) return;
      event.preventDefault();
      depth += 1;
      if (enabled) over(memberAt(event.target));
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
      if (enabled) over(memberAt(event.target));
      clearTimeout(quietTimer);
      quietTimer = setTimeout(reset, QUIET_MS);
    };
    const onDropEvent = (event: DragEvent) => {
      if (!carriesFiles(event)) return;
      event.preventDefault();
      reset();
      const files = Array.from(event.dataTransfer?.files ?? []);
      if (!enabled || files.length === 0) return;
      const member = memberAt(event.target);
      if (member) onDrop(files, member);
      else onDrop(files);
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

  return enabled ? state : { dragging: false };
}
