/**
 * The expected value of a series at a time of day: the median of what it read at the same
 * time (± one slot) over the last few days. Needs at least three such readings.
 */
export class SeasonalBaseline {
  private readonly slots = new Map<number, number[]>();

  constructor(
    /** Days of history kept per slot. */
    private readonly days: number,
    /** Slot width (ms). */
    private readonly slotMs = 600_000,
  ) {}

  /** The expected value at `t`, or null while there is too little history. */
  expected(t: number): number | null {
    const slot = this.slotOf(t);
    const near: number[] = [];
    for (const s of [slot - 1, slot, slot + 1]) for (const v of this.slots.get(s) ?? []) near.push(v);
    if (near.length < 3) return null;
    near.sort((a, b) => a - b);
    return near[Math.floor((near.length - 1) / 2)];
  }

  /** Records a reading; call after `expected` so a point is never its own baseline. */
  add(t: number, value: number): void {
    const slot = this.slotOf(t);
    const list = this.slots.get(slot) ?? [];
    list.push(value);
    // Two readings a day fall in one slot on 5-minute data.
    if (list.length > 2 * this.days) list.shift();
    this.slots.set(slot, list);
  }

  private slotOf(t: number): number {
    return Math.floor((((t % 86_400_000) + 86_400_000) % 86_400_000) / this.slotMs);
  }
}
