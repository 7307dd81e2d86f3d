// Avatar colours. Each name has a preferred hue (a hash of the name, so it survives reconnects,
// which give a member a new id); the people present get distinct hues while the palette lasts,
// taken in the room's order (who came first keeps theirs, a newcomer whose hue is taken gets the
// next free one).

/** Hues that read well with white text in both themes (muddy yellows and greens left out). */
export const HUES = [187, 212, 238, 262, 290, 322, 350, 14, 30, 160] as const;

/** The palette index a name prefers: a stable hash of the name as shown (trimmed, case ignored). */
export function preferredHueIndex(name: string): number {
  let hash = 2166136261;
  for (const ch of name.trim().toLowerCase()) {
    hash ^= ch.codePointAt(0)!;
    hash = Math.imul(hash, 16777619) >>> 0;
  }
  return hash % HUES.length;
}

/** The hue a name prefers. */
export const hueOfName = (name: string): number => HUES[preferredHueIndex(name)]!;

/** Who has which hue: the present members by id, anyone else (a line from someone who left) by name. */
export interface HueAssignment {
  hueOf(member: { id: string; name: string }): number;
}

/**
 * Distinct hues for the members present, in the order given; past the palette's size, hues repeat
 * (a member then keeps the one their name prefers).
 */
export function assignHues(members: readonly { id: string; name: string }[]): HueAssignment {
  const byId = new Map<string, number>();
  const byName = new Map<string, number>();
  const taken = new Set<number>();
  for (const member of members) {
    const preferred = preferredHueIndex(member.name);
    let index = preferred;
    if (taken.size < HUES.length) {
      while (taken.has(index)) index = (index + 1) % HUES.length;
    }
    taken.add(index);
    byId.set(member.id, HUES[index]!);
    if (!byName.has(member.name)) byName.set(member.name, HUES[index]!);
  }
  return {
    hueOf: (member) => byId.get(member.id) ?? byName.get(member.name) ?? hueOfName(member.name),
  };
}
