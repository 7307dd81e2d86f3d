import { useId, useState } from 'react';
import type { Member, OfferOutcome, Result } from '../../src-preload/contract';
import { possibleRecipients } from '../format/transfer-words';
import { useActions } from '../state/store';
import { BusyLabel } from './busy-label';
import { ErrorSentence } from './error-sentence';
import { FolderIcon, UploadIcon } from './icons';
import { MemberAvatar } from './member-avatar';
import { ModalDialog } from './modal-dialog';

/** "Send files…": a dialog that asks who the files are for, then opens the system's file or folder picker. */
export function SendFilesButton({ members, me }: { members: Member[]; me: Member }) {
  const [open, setOpen] = useState(false);
  return (
    <>
      <button type="button" className="button outline small" aria-haspopup="dialog" onClick={() => setOpen(true)}>
        <UploadIcon />
        Send files…
      </button>
      {open && <SendFilesDialog members={members} me={me} onClose={() => setOpen(false)} />}
    </>
  );
}

type Picker = 'files' | 'folder';

function SendFilesDialog({ members, me, onClose }: { members: Member[]; me: Member; onClose: () => void }) {
  const { chooseFiles, chooseFolder } = useActions();
  const id = useId();
  const others = possibleRecipients(members, me);
  const [everyone, setEveryone] = useState(true);
  const [chosen, setChosen] = useState<ReadonlySet<string>>(new Set());
  const [busy, setBusy] = useState<Picker | null>(null);
  const [error, setError] = useState<string | null>(null);
  // Someone chosen who has left since is not sent to.
  const to = others.filter((m) => chosen.has(m.id)).map((m) => m.id);
  const nobodyChosen = !everyone && to.length === 0;

  const toggle = (memberId: string, on: boolean) =>
    setChosen((now) => {
      const next = new Set(now);
      if (on) next.add(memberId);
      else next.delete(memberId);
      return next;
    });

  const pick = async (picker: Picker) => {
    setBusy(picker);
    setError(null);
    const recipients = everyone ? undefined : to;
    const result: Result<OfferOutcome | null> = await (picker === 'files' ? chooseFiles(recipients) : chooseFolder(recipients));
    setBusy(null);
    // Cancelling the picker keeps the dialog, to pick again (say a folder instead); an offer made closes it.
    if (!result.ok) setError(result.error.message);
    else if (result.data !== null) onClose();
  };

  return (
    <ModalDialog title="Send files" onClose={onClose} className="send-dialog">
      <div className="field" role="radiogroup" aria-labelledby={`${id}-to`}>
        <span className="field-label" id={`${id}-to`}>
          Send to
        </span>
        <label className="choice">
          <input type="radio" name={`${id}-who`} checked={everyone} onChange={() => setEveryone(true)} />
          Everyone in the room
        </label>
        <label className="choice">
          <input type="radio" name={`${id}-who`} checked={!everyone} onChange={() => setEveryone(false)} disabled={others.length === 0} />
          Only the people I choose
        </label>
        {others.length === 0 && <p className="field-hint">Nobody else is here yet; an offer to everyone waits for people who join.</p>}
        {!everyone && (
          <ul className="recipient-choices" aria-label="People to send to">
            {others.map((member) => (
              <li key={member.id}>
                <label className="choice">
                  <input type="checkbox" checked={chosen.has(member.id)} onChange={(e) => toggle(member.id, e.target.checked)} />
                  <MemberAvatar member={member} size="small" />
                  <span className="recipient-name">{member.name}</span>
                </label>
              </li>
            ))}
          </ul>
        )}
        {nobodyChosen && others.length > 0 && <p className="field-hint">Tick at least one person.</p>}
      </div>
      <p className="field-hint">Several files, or a folder with everything in it, are sent as one item.</p>
      <ErrorSentence message={error} />
      <div className="modal-actions">
        <button type="button" className="button outline" onClick={onClose}>
          Cancel
        </button>
        <button type="button" className="button outline" disabled={busy !== null || nobodyChosen} onClick={() => void pick('folder')}>
          <FolderIcon />
          <BusyLabel busy={busy === 'folder'}>Choose a folder…</BusyLabel>
        </button>
        <button type="button" className="button primary" disabled={busy !== null || nobodyChosen} onClick={() => void pick('files')}>
          <BusyLabel busy={busy === 'files'}>Choose files…</BusyLabel>
        </button>
      </div>
    </ModalDialog>
  );
}
