import {
  mergeBuckets,
  RESOLUTIONS,
  type Resolution,
  type RollupBucket,
  rollupSamples,
} from '@vigil/core/metrics';
import type { TableStore } from '@vigil/core/ports';

const pad = (n: number) => String(n).padStart(15, '0');
export const rollupKey = (res: Resolution, id: string, start: number) => ({
  PK: `RU#${res}#${id}`,
  SK: pad(start),
});

/** Rollups of every resolution, in the metrics table, one item per series and bucket. */
export class RollupStore {
  constructor(private readonly table: TableStore) {}

  /**
   * Rewrites the 5m/15m/1h buckets that a block's samples cover (from those samples), then the
   * 1d buckets from their 24 hourly buckets. With `changed` (the time range of the samples just
   * merged into the block), only the buckets overlapping it are rewritten: the others are as before.
   */
  async updateFromBlock(
    id: string,
    ts: number[],
    vs: number[],
    changed: [number, number] = [Number.NEGATIVE_INFINITY, Number.POSITIVE_INFINITY],
  ): Promise<void> {
    const items = [];
    const touched = (b: RollupBucket, width: number) => b.start <= changed[1] && b.start + width > changed[0];
    const hourly = rollupSamples(ts, vs, RESOLUTIONS['1h'].ms).filter((b) =>
      touched(b, RESOLUTIONS['1h'].ms),
    );
    for (const res of ['5m', '15m', '1h'] as const) {
      const width = RESOLUTIONS[res].ms;
      const buckets = res === '1h' ? hourly : rollupSamples(ts, vs, width).filter((b) => touched(b, width));
      for (const b of buckets) items.push(this.item(res, id, b));
    }
    await this.table.batchPut(items);
    const days = [
      ...new Set(hourly.map((b) => Math.floor(b.start / RESOLUTIONS['1d'].ms) * RESOLUTIONS['1d'].ms)),
    ];
    for (const day of days) {
      const parts = await this.read('1h', id, day, day + RESOLUTIONS['1d'].ms - 1);
      const merged = mergeBuckets(day, parts);
      if (merged) await this.table.put(this.item('1d', id, merged));
    }
  }

  /** Buckets of one series and resolution starting in [start, end]. */
  async read(res: Resolution, id: string, start: number, end: number): Promise<RollupBucket[]> {
    const out: RollupBucket[] = [];
    let cursor: string | null = null;
    do {
      const page = await this.table.query({
        pk: `RU#${res}#${id}`,
        sk: { between: [pad(start), pad(end)] },
        cursor,
        limit: 1000,
      });
      out.push(...page.items.map((i) => i.bucket as RollupBucket));
      cursor = page.cursor;
    } while (cursor);
    return out;
  }

  private item(res: Resolution, id: string, bucket: RollupBucket) {
    const expires = bucket.start + RESOLUTIONS[res].ms + RESOLUTIONS[res].retentionDays * 86_400_000;
    return { ...rollupKey(res, id, bucket.start), bucket, expiresAt: Math.floor(expires / 1000) };
  }
}
