import type { CSSProperties } from 'react';
import type { Member, TransferPeer } from '../../src-preload/contract';

/** A round initial in a colour derived from the member's id, so each person keeps theirs. */
export function MemberAvatar({ member, size = 'normal' }: { member: Member | TransferPeer; size?: 'normal' | 'small' }) {
  const initial = [...member.name.trim()][0]?.toUpperCase() ?? '?';
  return (
    <span className={`avatar ${size}`} style={{ '--hue': hueOf(member.id) } as CSSProperties} aria-hidden="true">
      {initial}
    </span>
  );
}

/** A stable hue (0–359) for an id. */
export function hueOf(id: string): number {
  let hash = 0;
  for (const ch of id) hash = (hash * 31 + ch.codePointAt(0)!) >>> 0;
  return hash % 360;
}
