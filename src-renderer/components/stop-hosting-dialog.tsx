import { transfersStopSentence } from '../format/leave-question';
import { ModalDialog } from './modal-dialog';

/** Asks before closing the room, since it ends the room for everyone in it. */
export function StopHostingDialog({
  guests,
  moving,
  onConfirm,
  onClose,
}: {
  guests: number;
  /** Transfers sending or receiving now (they stop). */
  moving: number;
  onConfirm: () => void;
  onClose: () => void;
}) {
  const who =
    guests === 0
      ? 'Nobody else is in the room right now.'
      : guests === 1
        ? 'The other person in the room will be disconnected.'
        : `The ${guests} other people in the room will be disconnected.`;
  return (
    <ModalDialog title="Stop hosting?" onClose={onClose} className="confirm-dialog">
      <p className="modal-text">
        This closes the room for everyone. {who} {moving > 0 ? transfersStopSentence(moving) : 'Transfers still running will stop.'}
      </p>
      <div className="modal-actions">
        {/* biome-ignore lint/a11y/noAutofocus: the safe answer gets focus when the dialog opens, as modal dialogs should */}
        <button type="button" className="button outline" onClick={onClose} autoFocus>
          Keep hosting
        </button>
        <button type="button" className="button danger" onClick={onConfirm}>
          Stop hosting
        </button>
      </div>
    </ModalDialog>
  );
}
