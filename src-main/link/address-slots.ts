/** One held slot: who holds it and how to take it back. */
interface Slot {
  address: string;
  /** Ends the connection holding the slot. */
  drop: () => void;
}

/**
 * A fixed number of slots shared fairly between source addresses: at most `perAddress` each and
 * `total` in all. When full, the newest arrival takes the oldest slot of the address holding the
 * most — if that is more than the newcomer's own — so one source, however many connections it
 * opens, cannot keep a newcomer from another address out.
 */
export class AddressSlots {
  private readonly byAddress = new Map<string, Slot[]>();
  private held = 0;
  evicted = 0;

  constructor(
    private readonly perAddress: number,
    private readonly total: number,
  ) {}

  get size(): number {
    return this.held;
  }

  /** Takes a slot for `address`; returns its release function (idempotent), or undefined when refused. */
  take(address: string, drop: () => void): (() => void) | undefined {
    const mine = this.byAddress.get(address)?.length ?? 0;
    if (mine >= this.perAddress || !this.makeRoom(mine)) return undefined;
    const slot: Slot = { address, drop };
    this.byAddress.set(address, [...(this.byAddress.get(address) ?? []), slot]);
    this.held += 1;
    return () => this.release(slot);
  }

  private makeRoom(newcomerHolds: number): boolean {
    if (this.held < this.total) return true;
    let top: Slot[] = [];
    for (const slots of this.byAddress.values()) if (slots.length > top.length) top = slots;
    const oldest = top[0];
    if (!oldest || top.length <= newcomerHolds + 1) return false;
    this.evicted += 1;
    this.release(oldest);
    oldest.drop();
    return true;
  }

  private release(slot: Slot): void {
    const slots = this.byAddress.get(slot.address);
    if (!slots?.includes(slot)) return;
    const rest = slots.filter((s) => s !== slot);
    this.held -= 1;
    if (rest.length > 0) this.byAddress.set(slot.address, rest);
    else this.byAddress.delete(slot.address);
  }
}
