import { useState, type FormEvent } from 'react';
import type { SettingsPatch, SettingsView } from '../../src-preload/contract';
import { parsePortField } from '../format/port-field';
import { useActions } from '../state/store';
import { BusyLabel } from './busy-label';
import { ErrorSentence } from './error-sentence';
import { FolderIcon } from './icons';
import { ModalDialog } from './modal-dialog';

/** Settings: name, download folder, port and port forwarding. Escape or Close leaves without saving. */
export function SettingsDialog({ settings, onClose }: { settings: SettingsView; onClose: () => void }) {
  const { updateSettings, chooseDownloadFolder, resetDownloadFolder } = useActions();
  const [name, setName] = useState(settings.displayName);
  const [port, setPort] = useState(settings.port === null ? '' : String(settings.port));
  const [upnp, setUpnp] = useState(settings.upnp);
  const [saving, setSaving] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [folderError, setFolderError] = useState<string | null>(null);

  const save = async (event: FormEvent) => {
    event.preventDefault();
    const parsed = parsePortField(port);
    if (!parsed.ok) {
      setError(parsed.message);
      return;
    }
    const patch: SettingsPatch = {};
    if (name.trim() !== settings.displayName) patch.displayName = name.trim();
    if (parsed.port !== settings.port) patch.port = parsed.port;
    if (upnp !== settings.upnp) patch.upnp = upnp;
    if (Object.keys(patch).length === 0) return onClose();
    setSaving(true);
    setError(null);
    const result = await updateSettings(patch);
    setSaving(false);
    if (result.ok) onClose();
    else setError(result.error.message);
  };

  // The folder changes right away (the picker is its own confirmation), not on Save.
  const changeFolder = async (call: () => ReturnType<typeof chooseDownloadFolder>) => {
    setFolderError(null);
    const result = await call();
    if (!result.ok) setFolderError(result.error.message);
  };

  return (
    <ModalDialog title="Settings" onClose={onClose} className="settings-dialog">
      <form onSubmit={(e) => void save(e)} className="stack settings-form" noValidate>
        <label className="field">
          <span className="field-label">Display name</span>
          <input className="input" value={name} onChange={(e) => setName(e.target.value)} autoComplete="nickname" />
          <span className="field-hint">What others in the room see. Used the next time you host or join.</span>
        </label>

        <div className="field" role="group" aria-labelledby="folder-label">
          <span className="field-label" id="folder-label">
            Download folder
          </span>
          <p className="folder-path" title={settings.downloadDir}>
            <FolderIcon />
            <span>{settings.downloadDir}</span>
            {settings.downloadDirIsDefault && <span className="badge">default</span>}
          </p>
          <div className="row">
            <button type="button" className="button outline small" onClick={() => void changeFolder(chooseDownloadFolder)}>
              Change…
            </button>
            {!settings.downloadDirIsDefault && (
              <button type="button" className="button ghost small" onClick={() => void changeFolder(resetDownloadFolder)}>
                Use default
              </button>
            )}
          </div>
          <ErrorSentence message={folderError} />
        </div>

        <label className="field">
          <span className="field-label">Port</span>
          <input className="input port-input" value={port} onChange={(e) => setPort(e.target.value)} inputMode="numeric" placeholder="Any free port" aria-describedby="port-hint" />
          <span className="field-hint" id="port-hint">
            The port a room you host listens on. Leave empty to pick a free one.
          </span>
        </label>

        <label className="switch-field">
          <input type="checkbox" role="switch" className="switch" checked={upnp} onChange={(e) => setUpnp(e.target.checked)} aria-describedby="upnp-hint" />
          <span>
            <span className="field-label">Port forwarding (UPnP)</span>
            <span className="field-hint" id="upnp-hint">
              Ask your router to let people on the internet reach rooms you host. Applies to the next room.
            </span>
          </span>
        </label>

        <ErrorSentence message={error} />
        <div className="modal-actions">
          <button type="button" className="button outline" onClick={onClose}>
            Close
          </button>
          <button type="submit" className="button primary" disabled={saving} aria-busy={saving}>
            <BusyLabel busy={saving}>Save</BusyLabel>
          </button>
        </div>
      </form>
    </ModalDialog>
  );
}
