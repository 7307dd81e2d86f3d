import { useState } from 'react';
import type { InviteEntry, RoomInvite } from '../../src-preload/contract';
import { inviteAddressWords, inviteSummary } from '../format/invite-words';
import type { RoomState } from '../state/app-state';
import { CopyButton } from './copy-button';
import { CopyIcon } from './icons';
import { InviteQr } from './invite-qr';
import { NewInviteButton } from './new-invite-button';
import { PortMappingStatus } from './port-mapping-status';
import { RelayStatusNote } from './relay-status-note';

/** Host only: the one invite to send, what its addresses are for, and whether the internet can reach the room. */
export function InvitePanel({ room }: { room: RoomState }) {
  return (
    <section className="panel" aria-labelledby="invite-title">
      <h2 className="panel-title" id="invite-title">
        Invite people
      </h2>
      {room.invite === undefined ? <p className="muted">Preparing the invite…</p> : <InviteCard invite={room.invite} />}
      {room.invite !== undefined && <NewInviteButton />}
      <PortMappingStatus status={room.portMapping} />
      {room.relay && <RelayStatusNote status={room.relay} />}
    </section>
  );
}

function InviteCard({ invite }: { invite: RoomInvite }) {
  // What was last copied, so a person who already sent the invite hears that it changed.
  const [copied, setCopied] = useState<string | null>(null);
  const [showQr, setShowQr] = useState(false);
  const stale = copied !== null && copied !== invite.invite;
  const summary = inviteSummary(invite);

  return (
    <div className="invite">
      <code className="invite-text" title={invite.invite}>
        {invite.invite}
      </code>
      <div className="invite-actions">
        <CopyButton text={invite.invite} label="Copy invite" className="button primary small invite-copy" onCopied={setCopied}>
          <CopyIcon />
          Copy invite
        </CopyButton>
        <button
          type="button"
          className="button outline small"
          aria-expanded={showQr}
          aria-controls="invite-qr"
          onClick={() => setShowQr((shown) => !shown)}
        >
          {showQr ? 'Hide QR code' : 'QR code'}
        </button>
      </div>
      <div id="invite-qr" className="invite-qr-box" hidden={!showQr}>
        {showQr && <InviteQr invite={invite.invite} />}
        <p className="muted invite-qr-hint">Scan it with a phone to pass the invite on; it holds the same secret as the text.</p>
      </div>
      <p className="invite-changed" role="status">
        {stale ? 'The invite changed — copy it again.' : ''}
      </p>
      <details className="invite-details">
        <summary>
          {summary.count} <span className="muted">· {summary.reach}</span>
        </summary>
        <ul className="invite-addresses" aria-label="Addresses in the invite">
          {invite.addresses.map((entry) => (
            <InviteAddressItem key={`${entry.host} ${entry.port}`} entry={entry} />
          ))}
        </ul>
      </details>
    </div>
  );
}

function InviteAddressItem({ entry }: { entry: InviteEntry }) {
  const words = inviteAddressWords(entry);
  return (
    <li className={`invite-address-item ${entry.internet ? 'tone-ok' : 'tone-off'}`}>
      <span className="invite-address">{words.address}</span>
      <span className="invite-address-kind">
        <strong>{words.title}</strong> — {words.how}
      </span>
      <span className="invite-address-reach">
        <span className="dot" aria-hidden="true" />
        {words.reach}
      </span>
    </li>
  );
}
