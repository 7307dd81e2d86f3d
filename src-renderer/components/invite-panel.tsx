import type { InviteLine } from '../../src-preload/contract';
import type { RoomState } from '../state/app-state';
import { CopyButton } from './copy-button';
import { PortMappingStatus } from './port-mapping-status';

const KIND_WORDS: Record<InviteLine['kind'], { title: string; hint: string; copyLabel: string }> = {
  lan: { title: 'Same network', hint: 'For your Wi-Fi or office network', copyLabel: 'Copy same-network invite' },
  public: { title: 'Internet', hint: 'For people anywhere', copyLabel: 'Copy internet invite' },
};

/** Host only: the invites to send, and whether people outside the network can reach the room. */
export function InvitePanel({ room }: { room: RoomState }) {
  return (
    <section className="panel" aria-labelledby="invites-title">
      <h2 className="panel-title" id="invites-title">
        Invite people
      </h2>
      {room.invites.length === 0 ? (
        <p className="muted">Preparing invites…</p>
      ) : (
        <ul className="invite-list">
          {room.invites.map((line) => (
            <InviteItem key={line.invite} line={line} />
          ))}
        </ul>
      )}
      <PortMappingStatus status={room.portMapping} />
    </section>
  );
}

function InviteItem({ line }: { line: InviteLine }) {
  const words = KIND_WORDS[line.kind];
  return (
    <li className="invite">
      <div className="invite-head">
        <span className="invite-kind">{words.title}</span>
        <CopyButton text={line.invite} label={words.copyLabel} />
      </div>
      {/* A machine can have several addresses of one kind (IPv4 and IPv6); the address tells them apart. */}
      <p className="invite-hint">
        {words.hint} · <span className="invite-address">{line.address}</span>
      </p>
      <code className="invite-text" title={line.invite}>
        {line.invite}
      </code>
    </li>
  );
}
