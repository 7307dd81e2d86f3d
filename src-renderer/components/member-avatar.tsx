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

// Hues that read well with white text in both themes (muddy yellows and greens left out).
const HUES = [187, 212, 238, 262, 290, 322, 350, 14, 30, 160] as const;

/** A stable hue for an id, from a palette that keeps the initials readable. */
export function hueOf(id: string): number {
  let hash = 0;
  for (const ch of id) hash = (hash * 31 + ch.codePointAt(0)!) >>> 0;
  return HUES[hash % HUES.length]!;
}
