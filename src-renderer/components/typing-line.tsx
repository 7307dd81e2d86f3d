import { useEffect, useState } from 'react';
import type { Member } from '../../src-preload/contract';

/** "Ada is typing…", "Ada and Bob are typing…", "Ada, Bob and 2 others are typing…". */
export function typingWords(members: readonly Member[]): string {
  const names = members.map((m) => m.name);
  if (names.length === 0) return '';
  if (names.length === 1) return `${names[0]} is typing…`;
  if (names.length === 2) return `${names[0]} and ${names[1]} are typing…`;
  const others = names.length - 2;
  return `${names[0]}, ${names[1]} and ${others} ${others === 1 ? 'other' : 'others'} are typing…`;
}

/** The line under the chat saying who else is typing; empty (but kept, so nothing jumps) when nobody is. */
export function TypingLine() {
  const [members, setMembers] = useState<Member[]>([]);
  useEffect(() => window.porthole.on('room:typing', setMembers), []);
  return (
    <p className="typing-line" aria-live="polite">
      {typingWords(members)}
    </p>
  );
}
