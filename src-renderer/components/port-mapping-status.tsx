import type { PortMappingStatus as Status } from '../../src-preload/contract';
import { portMappingWords } from '../format/room-words';

/** The router port-forwarding state in plain words, with a coloured dot for ok / working / problem / off. */
export function PortMappingStatus({ status }: { status: Status | undefined }) {
  const words = portMappingWords(status);
  return (
    <div className={`port-mapping tone-${words.tone}`} role="status" aria-label="Port forwarding">
      <p className="port-mapping-title">
        <span className={`dot ${words.tone === 'working' ? 'pulse' : ''}`} aria-hidden="true" />
        {words.title}
      </p>
      <p className="port-mapping-detail">{words.detail}</p>
      {words.ipv6 && <p className="port-mapping-detail">{words.ipv6}</p>}
      {words.searching && <p className="port-mapping-searching">Still looking… this updates by itself.</p>}
    </div>
  );
}
