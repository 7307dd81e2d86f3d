// What the host's invite and each of its addresses are for, in plain words.
import type { InviteAddressKind, InviteEntry, RoomInvite } from '../../src-preload/contract';

const KIND_WORDS: Record<InviteAddressKind, { title: string; how: string }> = {
  lan: { title: 'Same network (LAN)', how: 'your Wi-Fi or office network' },
  public: { title: 'Internet', how: 'forwarded by your router' },
  ipv6: { title: 'Internet over IPv6', how: "opened in your router's firewall" },
  manual: { title: 'Added by you', how: 'forwarded by hand' },
};

/** `HOST:PORT` as it appears in the invite, an IPv6 host in brackets. */
export function displayAddress({ host, port }: { host: string; port: number }): string {
  return host.includes(':') ? `[${host}]:${port}` : `${host}:${port}`;
}

/** One address of the invite: where it is, what it is for, and whether the internet can use it. */
export function inviteAddressWords(entry: InviteEntry): { address: string; title: string; how: string; reach: string } {
  const words = KIND_WORDS[entry.kind];
  return {
    address: displayAddress(entry),
    title: words.title,
    how: words.how,
    reach: entry.internet ? 'Works from the internet' : 'Works only on this network',
  };
}

/** "2 addresses · same network only": the invite's addresses at a glance. */
export function inviteSummary(invite: RoomInvite): { count: string; reach: string } {
  const n = invite.addresses.length;
  return {
    count: `${n} address${n === 1 ? '' : 'es'}`,
    reach: invite.addresses.some((a) => a.internet) ? 'works from the internet' : 'same network only',
  };
}
