import { lowerBound } from '../sorted';
/**
 * Quantiles of the last `capacity` values pushed, kept in a sorted array so a quantile is a
 * lookup and a push costs one binary search and one shift of the array.
 */
export class RollingQuantiles {
  private readonly sorted: number[] = [];
  private readonly fifo: number[] = [];
  private head = 0;

  constructor(private readonly capacity: number) {}

  get size(): number {
    return this.sorted.length;
  }

  push(value: number): void {
    this.sorted.splice(lowerBound(this.sorted, value), 0, value);
    this.fifo.push(value);
    if (this.fifo.length - this.head > this.capacity) {
      const old = this.fifo[this.head++];
      this.sorted.splice(lowerBound(this.sorted, old), 1);
      // Compact the queue now and then instead of shifting it on every push.
      if (this.head > this.capacity) {
        this.fifo.splice(0, this.head);
        this.head = 0;
      }
    }
  }

  /** The p-quantile (0 ≤ p ≤ 1) by nearest rank below; NaN while empty. */
  quantile(p: number): number {
    const n = this.sorted.length;
    if (n === 0) return Number.NaN;
    return this.sorted[Math.min(n - 1, Math.max(0, Math.floor(p * (n - 1))))];
  }
}
