import type { CSSProperties } from 'react';
import type { Member, TransferPeer } from '../../src-preload/contract';
import { useMemberHue } from './member-hues';

/**
 * A round initial in the member's colour: derived from the name (so it survives reconnects) and
 * distinct among the people present (see format/member-hues.ts).
 */
export function MemberAvatar({ member, size = 'normal' }: { member: Member | TransferPeer; size?: 'normal' | 'small' }) {
  const initial = [...member.name.trim()][0]?.toUpperCase() ?? '?';
  const hue = useMemberHue(member);
  return (
    <span className={`avatar ${size}`} style={{ '--hue': hue } as CSSProperties} aria-hidden="true">
      {initial}
    </span>
  );
}
