// Small builders for the renderer tests: members, room events, transfers and a room view.
import type { InviteEntry, Member, RoomEvent, RoomInvite, RoomView, TransferView } from '../../../src-preload/contract';

export const ana: Member = { id: 'ana1', name: 'Ana', host: true };
export const bo: Member = { id: 'bo22', name: 'Bo', host: false };

/** A chat line from `from`, numbered `seq`, one second apart. */
export const chat = (seq: number, text = `line ${seq}`, from: Member = ana): RoomEvent => ({
  type: 'chat',
  seq,
  ts: 1_000_000 + seq * 1000,
  from,
  id: `m${seq}`,
  text,
});

export const joined = (seq: number, member: Member = bo): RoomEvent => ({ type: 'joined', seq, ts: 1_000_000 + seq * 1000, member });

export function transfer(id: string, patch: Partial<TransferView> = {}): TransferView {
  return {
    id,
    direction: 'incoming',
    fileName: `${id}.bin`,
    size: 1000,
    from: { id: ana.id, name: ana.name },
    state: 'offered',
    bytes: 0,
    percent: 0,
    bytesPerSecond: 0,
    ...patch,
  };
}

export function roomView(patch: Partial<RoomView> = {}): RoomView {
  return { role: 'guest', me: bo, members: [ana, bo], status: { state: 'connected' }, events: [], transfers: [], ...patch };
}

/** A host's invite naming these addresses (the text only looks like an invite). */
export function roomInvite(addresses: InviteEntry[]): RoomInvite {
  const hosts = addresses.map((a) => (a.host.includes(':') ? `[${a.host}]:${a.port}` : `${a.host}:${a.port}`));
  return { invite: `porthole://${hosts.join(',')}/fingerprint/secret`, addresses };
}

export const lanEntry = (host = '192.168.1.20', port = 41234): InviteEntry => ({ host, port, kind: 'lan', internet: false });
