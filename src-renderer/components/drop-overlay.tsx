import { UploadIcon } from './icons';
import type { DropMember } from './use-file-drop';

/**
 * The full-window hint shown while files are dragged over it; it never takes the pointer, so the
 * drag continues underneath. Over a person in the member list (drawn above it), it names them.
 */
export function DropOverlay({ member }: { member: DropMember | null }) {
  return (
    <div className="drop-overlay" data-testid="drop-overlay" aria-live="polite">
      <div className="drop-overlay-card">
        <span className="drop-overlay-icon">
          <UploadIcon />
        </span>
        <p className="drop-overlay-text">
          {member ? `Drop to send them to ${member.name} only` : 'Drop files to send them to everyone in the room'}
        </p>
        {!member && <p className="drop-overlay-hint">Or drop them on a person under People to send them to that person only.</p>}
      </div>
    </div>
  );
}
