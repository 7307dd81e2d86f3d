import { UploadIcon } from './icons';

/** The full-window hint shown while files are dragged over it; it never takes the pointer, so the drag continues underneath. */
export function DropOverlay() {
  return (
    <div className="drop-overlay" data-testid="drop-overlay" aria-live="polite">
      <div className="drop-overlay-card">
        <span className="drop-overlay-icon">
          <UploadIcon />
        </span>
        <p className="drop-overlay-text">Drop files to send them to everyone in the room</p>
      </div>
    </div>
  );
}
