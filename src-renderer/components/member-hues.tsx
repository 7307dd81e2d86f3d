// Which avatar hue each person has, for every avatar in the room (chat, people, transfers): the
// room screen provides the assignment for the members present; outside it a name's own hue applies.
import { createContext, useContext, type ReactNode } from 'react';
import { hueOfName, type HueAssignment } from '../format/member-hues';

const NAME_ONLY: HueAssignment = { hueOf: (member) => hueOfName(member.name) };
const HuesContext = createContext<HueAssignment>(NAME_ONLY);

/** Makes `hues` the assignment every avatar below uses. */
export function MemberHuesProvider({ hues, children }: { hues: HueAssignment; children: ReactNode }) {
  return <HuesContext value={hues}>{children}</HuesContext>;
}

/** The hue of one person's avatar. */
export function useMemberHue(member: { id: string; name: string }): number {
  return useContext(HuesContext).hueOf(member);
}
