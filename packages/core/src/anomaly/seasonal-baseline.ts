const DAY = 86_400_000;
const WEEK = 7 * DAY;

/**
 * The expected value of a series at a time: the median of what it read at the same hour of
 * the week (± one slot) over the last few weeks once three such readings exist, else at the
 * same time of day over the last few days. Null until three readings exist.
 */
export class SeasonalBaseline {
  private readonly daily = new Map<number, number[]>();
  private readonly weekly = new Map<number, number[]>();
  private first: number | null = null;

  constructor(
    /** Days of history kept per time-of-day slot. */
    private readonly days: number,
    /** Weeks of history kept per hour-of-week slot; 0 leaves weekly seasonality out. */
    private readonly weeks = 0,
    /** Slot width (ms). */
    private readonly slotMs = 600_000,
  ) {}

  /** The expected value at `t`, or null while there is too little history. */
  expected(t: number): number | null {
    // One or two earlier weeks make a noisier baseline than a week of days.
    if (this.weeks > 0 && this.first !== null && t - this.first >= 3 * WEEK) {
      const week = median(near(this.weekly, slotOf(t, WEEK, this.slotMs)));
      if (week !== null) return week;
    }
    return median(near(this.daily, slotOf(t, DAY, this.slotMs)));
  }

  /** Records a reading; call after `expected` so a point is never its own baseline. */
  add(t: number, value: number): void {
    this.first ??= t;
    // Two readings of 5-minute data fall in one 10-minute slot.
    append(this.daily, slotOf(t, DAY, this.slotMs), value, 2 * this.days);
    if (this.weeks > 0) append(this.weekly, slotOf(t, WEEK, this.slotMs), value, 2 * this.weeks);
  }
}

function slotOf(t: number, period: number, slotMs: number): number {
  return Math.floor((((t % period) + period) % period) / slotMs);
}

function near(slots: Map<number, number[]>, slot: number): number[] {
  const out: number[] = [];
  for (const s of [slot - 1, slot, slot + 1]) for (const v of slots.get(s) ?? []) out.push(v);
  return out;
}

function median(values: number[]): number | null {
  if (values.length < 3) return null;
  values.sort((a, b) => a - b);
  return values[Math.floor((values.length - 1) / 2)];
}

function append(slots: Map<number, number[]>, slot: number, value: number, keep: number): void {
  const list = slots.get(slot) ?? [];
  list.push(value);
  if (list.length > keep) list.shift();
  slots.set(slot, list);
}
