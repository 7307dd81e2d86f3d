// What the room's events and states look like in plain words.
import type { PortMappingCode, PortMappingStatus, RoomEvent, SessionStatus } from '../../src-preload/contract';

type LeaveReason = Extract<RoomEvent, { type: 'left' }>['reason'];

const LEAVE_WORDS: Record<LeaveReason, string> = {
  left: 'left',
  timeout: 'left (stopped responding)',
  disconnected: 'left (connection lost)',
  removed: 'was removed from the room',
};

/** The sentence for a join or leave line, e.g. "Ana joined"; null for chat messages. */
export function memberEventSentence(event: RoomEvent): string | null {
  if (event.type === 'joined') return `${event.member.name} joined`;
  if (event.type === 'left') return `${event.member.name} ${LEAVE_WORDS[event.reason]}`;
  return null;
}

export type StatusTone = 'ok' | 'working' | 'problem' | 'off';

/** The connection to the room in a few words, with how worried the person should be. */
export function sessionStatusWords(status: SessionStatus): { text: string; tone: StatusTone } {
  switch (status.state) {
    case 'connected':
      return { text: 'Connected', tone: 'ok' };
    case 'connecting':
      return { text: 'Connecting…', tone: 'working' };
    case 'reconnecting':
      return {
        text: status.attempt === undefined ? 'Reconnecting…' : `Reconnecting… (attempt ${status.attempt})`,
        tone: 'working',
      };
    case 'closed':
      return { text: 'Disconnected', tone: 'problem' };
  }
}

const MAPPING_WORDS: Record<PortMappingCode, { title: string; tone: StatusTone }> = {
  starting: { title: 'Asking your router to forward the port…', tone: 'working' },
  mapped: { title: 'Reachable from the internet', tone: 'ok' },
  'double-nat': { title: 'A second router is in the way', tone: 'problem' },
  cgnat: { title: 'Your provider blocks incoming connections', tone: 'problem' },
  refused: { title: 'Your router refused to forward the port', tone: 'problem' },
  'no-router': { title: 'No router answered', tone: 'problem' },
  'no-gateway': { title: 'No router to the internet', tone: 'problem' },
  error: { title: 'Port forwarding failed', tone: 'problem' },
  stopped: { title: 'Port forwarding stopped', tone: 'off' },
};

export interface PortMappingWords {
  title: string;
  /** Main's sentence for this state. */
  detail: string;
  tone: StatusTone;
  /** That IPv6 friends can come in through a pinhole, when main's sentence does not say so already. */
  ipv6?: string;
  /** Still looking for a router that answers: the status changes by itself. */
  searching: boolean;
}

/** The port-mapping state as a short title, its sentence and a tone; "off" when not asked for. */
export function portMappingWords(status: PortMappingStatus | undefined): PortMappingWords {
  if (status === undefined) {
    return {
      title: 'Port forwarding is off',
      detail:
        'Friends on your network can join. To let others in over the internet, turn on port forwarding in Settings; it applies to the next room you host.',
      tone: 'off',
      searching: false,
    };
  }
  const words = MAPPING_WORDS[status.code];
  const { ipv6 } = status;
  // Most of main's sentences already end with the IPv6 note; say it once.
  const ipv6Note =
    ipv6 && !status.message.includes(ipv6.address)
      ? `Friends with IPv6 can join too: [${ipv6.address}]:${ipv6.port} is open in your router's firewall.`
      : undefined;
  return {
    title: words.title,
    detail: status.message,
    tone: words.tone,
    ...(ipv6Note ? { ipv6: ipv6Note } : {}),
    // "Asking your router…" already says it is looking; a stopped mapper looks for nothing.
    searching: status.searching === true && status.code !== 'starting' && status.code !== 'stopped',
  };
}
