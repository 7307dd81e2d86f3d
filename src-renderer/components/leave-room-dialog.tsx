import { transfersStopSentence } from '../format/leave-question';
import { ModalDialog } from './modal-dialog';

/** Asks a guest before leaving while files are moving: leaving stops them. Cancel keeps everything. */
export function LeaveRoomDialog({ moving, onConfirm, onClose }: { moving: number; onConfirm: () => void; onClose: () => void }) {
  return (
    <ModalDialog title="Leave while files are moving?" onClose={onClose} className="confirm-dialog">
      <p className="modal-text">
        {transfersStopSentence(moving)} Files that are not complete are deleted; files already saved stay where they are.
      </p>
      <div className="modal-actions">
        {/* biome-ignore lint/a11y/noAutofocus: the safe answer gets focus when the dialog opens, as modal dialogs should */}
        <button type="button" className="button outline" onClick={onClose} autoFocus>
          Cancel
        </button>
        <button type="button" className="button danger" onClick={onConfirm}>
          Leave
        </button>
      </div>
    </ModalDialog>
  );
}
