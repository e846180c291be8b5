import {
  ByteReader,
  ByteWriter,
  mergeBuckets,
  RESOLUTIONS,
  type Resolution,
  type RollupBucket,
  readBlock,
  readBuckets,
  rollupSamples,
  writeBlock,
  writeBuckets,
} from '@vigil/core/metrics';
import type { TableStore } from '@vigil/core/ports';
import { unpackEntries } from './codec';
import { DAY_MS, groupOf, PACKED, type PackedKind, packedPk, packedRange, WINDOW_MS } from './layout';

const width = (res: Resolution) => RESOLUTIONS[res].ms;

/**
 * Where each resolution comes from: 5m buckets are stored (90 days) and 15m ones merged from
 * them; 1h buckets are stored (400 days) and 1d ones merged from them. Merging is exact for
 * count, min, max and the sketch, and sums add up; each derived resolution keeps its source's
 * retention, which is its own.
 */
const SOURCE: Record<Resolution, { kind: PackedKind; stored: Resolution }> = {
  '5m': { kind: 'fine', stored: '5m' },
  '15m': { kind: 'fine', stored: '5m' },
  '1h': { kind: 'hourly', stored: '1h' },
  '1d': { kind: 'hourly', stored: '1h' },
};

/** One series' rollups of a closed window, encoded for the packed items. */
export interface WindowRollups {
  fine: Uint8Array;
  hourly: Uint8Array;
}

const ENTRY_BUCKETS = 0;
const ENTRY_SAMPLES = 1;

/**
 * Rollups of every resolution, packed per group of series like the raw blocks, computed once
 * when a window closes (its buckets are then complete).
 */
export class RollupStore {
  constructor(private readonly table: TableStore) {}

  /**
   * The 5m and 1h buckets of one series' samples in a window. Where the samples themselves take
   * fewer bytes than the buckets (a series scraped every 5 minutes has one sample a 5m bucket),
   * the entry keeps the samples and readers compute the very same buckets from them.
   */
  forWindow(window: number, ts: number[], vs: number[]): WindowRollups {
    const samples = new ByteWriter(ts.length * 3 + 16);
    samples.u8(ENTRY_SAMPLES);
    writeBlock(samples, ts, vs, window);
    const entry = (res: Resolution) => {
      const w = new ByteWriter(256);
      w.u8(ENTRY_BUCKETS);
      writeBuckets(w, rollupSamples(ts, vs, width(res)), window, width(res));
      return (w.length <= samples.length ? w : samples).finish();
    };
    return { fine: entry('5m'), hourly: entry('1h') };
  }

  /** Buckets of one series and resolution starting in [start, end]. */
  async read(res: Resolution, series: { num: number }, start: number, end: number): Promise<RollupBucket[]> {
    return (await this.readMany(res, [series], start, end)).get(series.num) ?? [];
  }

  /**
   * Buckets of many series (by number) starting in [start, end], reading each group's packed
   * items once however many of its series are asked for. Series without buckets are left out.
   * With `sketches: false` the buckets' sketches stay empty (no quantiles), which reads faster.
   */
  async readMany(
    res: Resolution,
    series: Array<{ num: number }>,
    start: number,
    end: number,
    { sketches = true }: { sketches?: boolean } = {},
  ): Promise<Map<number, RollupBucket[]>> {
    const { kind, stored } = SOURCE[res];
    const span = width(res);
    const from = Math.floor((Math.floor(start / span) * span) / WINDOW_MS) * WINDOW_MS;
    const wanted = new Set(series.map((s) => s.num));
    // series number → bucket start → stored buckets in it
    const parts = new Map<number, Map<number, RollupBucket[]>>();
    const readGroup = async (group: number) => {
      let cursor: string | null = null;
      do {
        const page = await this.table.query({
          pk: packedPk(kind, group),
          sk: { between: packedRange(from, end) },
          cursor,
          limit: 1000,
        });
        for (const item of page.items) {
          const base = Number(String(item.SK).split('#')[0]);
          for (const [num, bytes] of unpackEntries(PACKED[kind].kind, item.data as Uint8Array)) {
            if (!wanted.has(num)) continue;
            const byStart = parts.get(num) ?? new Map<number, RollupBucket[]>();
            parts.set(num, byStart);
            for (const b of readEntry(bytes, base, stored, sketches)) {
              const at = Math.floor(b.start / span) * span;
              const list = byStart.get(at);
              if (list) list.push(b);
              else byStart.set(at, [b]);
            }
          }
        }
        cursor = page.cursor;
      } while (cursor);
    };
    await Promise.all([...new Set(series.map((s) => groupOf(s.num)))].map(readGroup));
    const out = new Map<number, RollupBucket[]>();
    for (const [num, byStart] of parts) {
      const buckets: RollupBucket[] = [];
      for (const [at, list] of byStart) {
        if (at < start || at > end) continue;
        const bucket = list.length === 1 && list[0].start === at ? list[0] : mergeBuckets(at, list);
        if (bucket) buckets.push(bucket);
      }
      buckets.sort((a, b) => a.start - b.start);
      if (buckets.length) out.set(num, buckets);
    }
    return out;
  }

  /** When a packed rollup item of this kind expires. */
  static expiresAt(kind: PackedKind, window: number): number {
    const days = RESOLUTIONS[kind === 'fine' ? '5m' : '1h'].retentionDays;
    return Math.floor((window + WINDOW_MS + days * DAY_MS) / 1000);
  }
}

/** The buckets of a rollup entry at the resolution it stores (see `forWindow`). */
function readEntry(bytes: Uint8Array, base: number, res: Resolution, sketches: boolean): RollupBucket[] {
  const r = new ByteReader(bytes);
  if (r.u8() === ENTRY_SAMPLES) {
    const { ts, vs } = readBlock(r, base);
    return rollupSamples(ts, vs, width(res), sketches);
  }
  return readBuckets(r, base, width(res), sketches);
}
