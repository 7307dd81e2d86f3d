import type { RelayStatus } from '../../src-preload/contract';

const TONE: Record<RelayStatus['state'], 'ok' | 'working' | 'problem' | 'off'> = {
  joining: 'working',
  joined: 'ok',
  retrying: 'problem',
  closed: 'off',
};

const TITLE: Record<RelayStatus['state'], string> = {
  joining: 'Connecting to the relay…',
  joined: 'Friends can come in through the relay',
  retrying: 'The relay cannot be reached',
  closed: 'Not on the relay',
};

/** Host only: the relay the invite names, whether friends can come in through it, and what its operator sees. */
export function RelayStatusNote({ status }: { status: RelayStatus }) {
  const tone = TONE[status.state];
  return (
    <div className={`port-mapping tone-${tone}`} role="status" aria-label="Relay">
      <p className="port-mapping-title">
        <span className={`dot ${tone === 'working' ? 'pulse' : ''}`} aria-hidden="true" />
        {TITLE[status.state]} <span className="muted mono">{status.relay}</span>
      </p>
      <p className="port-mapping-detail">{status.message}</p>
    </div>
  );
}
