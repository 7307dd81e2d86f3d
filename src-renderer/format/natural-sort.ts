// Names sorted the way people read them: "guest2" before "guest10", case and accents aside.

const collator = new Intl.Collator(undefined, { numeric: true, sensitivity: 'base' });

/** Compares two names naturally (numbers by value, letters by the locale's order). */
export const compareNames = (a: string, b: string): number => collator.compare(a, b);

/** The room's people: the host first, then by name, naturally; ties keep the room's order. */
export function sortMembers<T extends { name: string; host: boolean }>(members: readonly T[]): T[] {
  return [...members].sort((a, b) => Number(b.host) - Number(a.host) || compareNames(a.name, b.name));
}
