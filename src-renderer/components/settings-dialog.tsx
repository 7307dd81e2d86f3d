import { useId, useState, type FormEvent } from 'react';
import type { SettingsPatch, SettingsView } from '../../src-preload/contract';
import { parsePortField } from '../format/port-field';
import { useActions } from '../state/store';
import { BusyLabel } from './busy-label';
import { ErrorSentence } from './error-sentence';
import { FolderIcon } from './icons';
import { ModalDialog } from './modal-dialog';

/**
 * The room sizes main accepts (LIMITS.roomSize; the renderer cannot import it, and
 * test/unit/renderer/people-field.test.ts keeps the two the same).
 */
export const PEOPLE_RANGE = { min: 2, max: 300 } as const;

/** The typed Room size as a setting, or the sentence saying what is wrong. */
export function parsePeopleField(typed: string): { ok: true; people: number } | { ok: false; message: string } {
  const people = /^\d{1,6}$/.test(typed.trim()) ? Number(typed.trim()) : Number.NaN;
  if (people >= PEOPLE_RANGE.min && people <= PEOPLE_RANGE.max) return { ok: true, people };
  return {
    ok: false,
    message: `A room takes from ${PEOPLE_RANGE.min} to ${PEOPLE_RANGE.max} people, you included: use a whole number in that range.`,
  };
}

/** Settings: name, download folder, port, room size, port forwarding, a hand-forwarded address and a relay. Escape or Close leaves without saving. */
export function SettingsDialog({
  settings,
  suggestedName,
  onClose,
}: {
  settings: SettingsView;
  suggestedName: string;
  onClose: () => void;
}) {
  const { updateSettings, chooseDownloadFolder, resetDownloadFolder } = useActions();
  const [name, setName] = useState(settings.displayName);
  const [port, setPort] = useState(settings.port === null ? '' : String(settings.port));
  const [people, setPeople] = useState(settings.maxPeople === undefined ? '' : String(settings.maxPeople));
  /** The sentence for a Room size that is not one, shown under that field. */
  const [peopleError, setPeopleError] = useState<string | null>(null);
  const [upnp, setUpnp] = useState(settings.upnp);
  const [publicAddress, setPublicAddress] = useState(settings.publicAddress);
  const [relay, setRelay] = useState(settings.relay ?? '');
  /** Main's sentence for a relay URI it refused, shown under that field. */
  const [relayError, setRelayError] = useState<string | null>(null);
  const [saving, setSaving] = useState(false);
  const [error, setError] = useState<string | null>(null);
  /** Main's sentence for a public address it refused, shown under that field. */
  const [addressError, setAddressError] = useState<string | null>(null);
  const [folderError, setFolderError] = useState<string | null>(null);
  const id = useId();

  const save = async (event: FormEvent) => {
    event.preventDefault();
    const parsed = parsePortField(port);
    if (!parsed.ok) {
      setError(parsed.message);
      return;
    }
    const size = parsePeopleField(people);
    setPeopleError(size.ok ? null : size.message);
    if (!size.ok) return;
    const patch: SettingsPatch = {};
    if (name.trim() !== settings.displayName) patch.displayName = name.trim();
    if (parsed.port !== settings.port) patch.port = parsed.port;
    if (size.people !== settings.maxPeople) patch.maxPeople = size.people;
    if (upnp !== settings.upnp) patch.upnp = upnp;
    if (publicAddress.trim() !== settings.publicAddress) patch.publicAddress = publicAddress.trim();
    if (relay.trim() !== (settings.relay ?? '')) patch.relay = relay.trim();
    if (Object.keys(patch).length === 0) return onClose();
    setSaving(true);
    setError(null);
    setAddressError(null);
    setRelayError(null);
    const result = await updateSettings(patch);
    setSaving(false);
    if (result.ok) onClose();
    // Main checks the address and answers invalid-request with a sentence about it.
    else if (result.error.code === 'invalid-request' && patch.publicAddress !== undefined) setAddressError(result.error.message);
    else if (result.error.code === 'relay-invalid') setRelayError(result.error.message);
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
        <div className="field">
          <label className="field-label" htmlFor={`${id}-name`}>
            Display name
          </label>
          <input
            id={`${id}-name`}
            className="input"
            value={name}
            onChange={(e) => setName(e.target.value)}
            autoComplete="nickname"
            placeholder={suggestedName}
            aria-describedby={`${id}-name-hint`}
          />
          <p className="field-hint" id={`${id}-name-hint`}>
            What others in the room see; empty uses your login name. Applies the next time you host or join.
          </p>
        </div>

        {/* biome-ignore lint/a11y/useSemanticElements: a fieldset's legend breaks the field grid; role=group with aria-labelledby says the same */}
        <div className="field" role="group" aria-labelledby={`${id}-folder`}>
          <span className="field-label" id={`${id}-folder`}>
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

        <div className="field">
          <label className="field-label" htmlFor={`${id}-port`}>
            Port
          </label>
          <input
            id={`${id}-port`}
            className="input port-input"
            value={port}
            onChange={(e) => setPort(e.target.value)}
            inputMode="numeric"
            placeholder="Any free port"
            aria-describedby={`${id}-port-hint`}
          />
          <p className="field-hint" id={`${id}-port-hint`}>
            The port a room you host listens on. Leave empty to pick a free one.
          </p>
        </div>

        <div className="field">
          <label className="field-label" htmlFor={`${id}-people`}>
            Room size
          </label>
          <div className="row" style={{ alignItems: 'center' }}>
            <span>Up to</span>
            <input
              id={`${id}-people`}
              className="input port-input"
              value={people}
              onChange={(e) => setPeople(e.target.value)}
              inputMode="numeric"
              aria-invalid={peopleError !== null}
              aria-describedby={`${id}-people-hint${peopleError ? ` ${id}-people-error` : ''}`}
            />
            <span>people, you included</span>
          </div>
          <p className="field-hint" id={`${id}-people-hint`}>
            How many a room you host lets in. A change applies at once, also to the room you are hosting now; making it smaller removes
            nobody, it only turns newcomers away. Every message and every file offered to the room goes out from your computer once for each
            person, so a big room needs a fast upload.
          </p>
          <p className="error-sentence" id={`${id}-people-error`} role="alert">
            {peopleError}
          </p>
        </div>

        <div className="switch-field">
          <input
            id={`${id}-upnp`}
            type="checkbox"
            role="switch"
            aria-checked={upnp}
            className="switch"
            checked={upnp}
            onChange={(e) => setUpnp(e.target.checked)}
            aria-describedby={`${id}-upnp-hint`}
          />
          <div>
            <label className="field-label" htmlFor={`${id}-upnp`}>
              Port forwarding
            </label>
            <p className="field-hint" id={`${id}-upnp-hint`}>
              Ask your router (UPnP, NAT-PMP or PCP) to let people on the internet reach rooms you host. Applies to the next room.
            </p>
          </div>
        </div>

        <div className="field">
          <label className="field-label" htmlFor={`${id}-public`}>
            Public address
          </label>
          <input
            id={`${id}-public`}
            className="input mono"
            value={publicAddress}
            onChange={(e) => setPublicAddress(e.target.value)}
            placeholder="203.0.113.7:41234"
            spellCheck={false}
            autoCapitalize="off"
            autoComplete="off"
            aria-invalid={addressError !== null}
            aria-describedby={`${id}-public-hint${addressError ? ` ${id}-public-error` : ''}`}
          />
          <p className="field-hint" id={`${id}-public-hint`}>
            Optional: HOST or HOST:PORT you forwarded by hand (e.g. on a second router). It is added to the invite of the next room you
            host.
          </p>
          <p className="error-sentence" id={`${id}-public-error`} role="alert">
            {addressError}
          </p>
        </div>

        <div className="field">
          <label className="field-label" htmlFor={`${id}-relay`}>
            Relay
          </label>
          <input
            id={`${id}-relay`}
            className="input mono"
            value={relay}
            onChange={(e) => setRelay(e.target.value)}
            placeholder="relay://relay.example.org:22067/?id=…"
            spellCheck={false}
            autoCapitalize="off"
            autoComplete="off"
            aria-invalid={relayError !== null}
            aria-describedby={`${id}-relay-hint${relayError ? ` ${id}-relay-error` : ''}`}
          />
          <p className="field-hint" id={`${id}-relay-hint`}>
            Optional: a Syncthing relay server you trust (your own, a friend's, your organisation's), as the relay:// URI it printed.
            Friends who cannot reach you directly then come in through it. Its operator sees who connects and how much, but not what is said
            or sent. No relay is used unless you set one. Applies to the next room you host.
          </p>
          <p className="error-sentence" id={`${id}-relay-error`} role="alert">
            {relayError}
          </p>
        </div>

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
