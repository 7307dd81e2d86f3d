import { useState } from 'react';
import { useActions } from '../state/store';
import { UploadIcon } from './icons';

/** Opens the system file picker and offers the picked files to everyone. */
export function SendFilesButton() {
  const { chooseFiles } = useActions();
  const [busy, setBusy] = useState(false);
  const choose = async () => {
    setBusy(true);
    await chooseFiles();
    setBusy(false);
  };
  return (
    <button type="button" className="button outline small" onClick={() => void choose()} disabled={busy} aria-busy={busy}>
      <UploadIcon />
      Send files…
    </button>
  );
}
