import { lowerBound } from '@vigil/core';
import {
  type DecodedBlock,
  type Sample,
  type SampleValue,
  STALE,
  STALE_NAN,
  sampleColumns,
} from '@vigil/core/metrics';

/** A series' samples as a select returns them: sorted times, values, staleness flags if any. */
export interface SampleColumns {
  ts: number[];
  vs: number[];
  stale?: Uint8Array;
}

/**
 * The samples of one series in [start, end] that a select gathers: decoded blocks of compacted
 * windows (each sorted, windows apart), then samples of segments in arrival order, a later write
 * of a time replacing an earlier one. Blocks alone — the common case of a query over compacted
 * windows — are cut and joined without a map of every sample.
 */
export class SampleMerger {
  private readonly blocks: DecodedBlock[] = [];
  private later?: Map<number, SampleValue>;

  constructor(
    private readonly start: number,
    private readonly end: number,
  ) {}

  addBlock(block: DecodedBlock): void {
    if (block.ts.length) this.blocks.push(block);
  }

  /** Samples of a segment, added after every block and after the segments written before it. */
  addSamples(samples: Sample[]): void {
    for (const [t, v, stale] of samples) {
      if (t < this.start || t > this.end) continue;
      this.later ??= new Map();
      this.later.set(t, stale ?? v);
    }
  }

  columns(): SampleColumns | undefined {
    const sorted = [...this.blocks].sort((a, b) => a.ts[0] - b.ts[0]);
    const apart = sorted.every((b, i) => i === 0 || sorted[i - 1].ts[sorted[i - 1].ts.length - 1] < b.ts[0]);
    if (!this.later && apart) return this.join(sorted);
    // Otherwise in the order read, a later block or write of a time replacing an earlier one.
    const merged = new Map<number, SampleValue>();
    for (const { ts, vs, stale } of this.blocks)
      for (let i = 0; i < ts.length; i++)
        if (ts[i] >= this.start && ts[i] <= this.end) merged.set(ts[i], stale?.[i] ? STALE : vs[i]);
    for (const [t, v] of this.later ?? []) merged.set(t, v);
    return merged.size ? sampleColumns(merged) : undefined;
  }

  /** Sorted blocks, none overlapping another, cut to [start, end] and joined. */
  private join(blocks: DecodedBlock[]): SampleColumns | undefined {
    const cuts = blocks.map((b) => [lowerBound(b.ts, this.start), lowerBound(b.ts, this.end + 1)]);
    let n = 0;
    for (const [from, to] of cuts) n += to - from;
    if (!n) return undefined;
    const ts = new Array<number>(n);
    const vs = new Array<number>(n);
    let stale: Uint8Array | undefined;
    let at = 0;
    blocks.forEach((b, k) => {
      const [from, to] = cuts[k];
      for (let i = from; i < to; i++, at++) {
        ts[at] = b.ts[i];
        if (b.stale?.[i]) {
          stale ??= new Uint8Array(n);
          stale[at] = 1;
          vs[at] = STALE_NAN;
        } else vs[at] = b.vs[i];
      }
    });
    return stale ? { ts, vs, stale } : { ts, vs };
  }
}
