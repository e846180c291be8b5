import {
  ByteReader,
  ByteWriter,
  mergeBuckets,
  RESOLUTIONS,
  type Resolution,
  type RollupBucket,
  readBuckets,
  rollupSamples,
  writeBuckets,
} from '@vigil/core/metrics';
import type { Item, TableStore } from '@vigil/core/ports';
import { unpackEntries } from './codec';
import { DAY_MS, dayOf, groupOf, PACKED, type PackedKind, WINDOW_MS } from './layout';
import type { MetricStore } from './store';

const width = (res: Resolution) => RESOLUTIONS[res].ms;
const retention = (res: Resolution) => RESOLUTIONS[res].retentionDays * DAY_MS;

/** Where each resolution is kept: 5m and 15m together, 1h per window, 1d per day. */
const KIND: Record<Resolution, PackedKind> = { '5m': 'fine', '15m': 'fine', '1h': 'hourly', '1d': 'daily' };

/** One series' rollups of a closed window, encoded for the packed items. */
export interface WindowRollups {
  fine: Uint8Array;
  hourly: Uint8Array;
  hours: RollupBucket[];
}

/**
 * Rollups of every resolution, packed per group of series like the raw blocks: computed once
 * when a window closes (its buckets are then complete), the day's 1d buckets from its hours.
 */
export class RollupStore {
  constructor(private readonly table: TableStore) {}

  /** The 5m/15m/1h buckets of one series' samples in a window. */
  forWindow(window: number, ts: number[], vs: number[]): WindowRollups {
    const fine = new ByteWriter(256);
    writeBuckets(fine, rollupSamples(ts, vs, width('5m')), window, width('5m'));
    writeBuckets(fine, rollupSamples(ts, vs, width('15m')), window, width('15m'));
    const hours = rollupSamples(ts, vs, width('1h'));
    const hourly = new ByteWriter(64);
    writeBuckets(hourly, hours, window, width('1h'));
    return { fine: fine.finish(), hourly: hourly.finish(), hours };
  }

  /** The day's 1d bucket of each series from its hourly buckets (`hours` holds the newest). */
  async daily(
    store: MetricStore,
    group: number,
    window: number,
    hours: Map<number, RollupBucket[]>,
  ): Promise<Array<[number, Uint8Array]>> {
    const day = dayOf(window);
    const all = new Map<number, RollupBucket[]>();
    for (const item of await store.packed('hourly', group, day, day + DAY_MS - 1)) {
      const start = Number(String(item.SK).split('#')[0]);
      if (start === window) continue;
      for (const [num, bytes] of unpackEntries(PACKED.hourly.kind, item.data as Uint8Array)) {
        const list = all.get(num) ?? [];
        if (!list.length) all.set(num, list);
        list.push(...readBuckets(new ByteReader(bytes), start, width('1h')));
      }
    }
    for (const [num, list] of hours) all.set(num, [...(all.get(num) ?? []), ...list]);
    return dailyEntries(day, all);
  }

  /** Buckets of one series and resolution starting in [start, end]. */
  async read(res: Resolution, series: { num: number }, start: number, end: number): Promise<RollupBucket[]> {
    const kind = KIND[res];
    const span = kind === 'daily' ? DAY_MS : WINDOW_MS;
    const from = Math.floor(start / span) * span;
    const out = new Map<number, RollupBucket>();
    const items: Item[] = [];
    let cursor: string | null = null;
    do {
      const page = await this.table.query({
        pk: `${PACKED[kind].prefix}#${groupOf(series.num)}`,
        sk: { between: [`${String(from).padStart(15, '0')}#`, `${String(end).padStart(15, '0')}#~`] },
        cursor,
        limit: 1000,
      });
      items.push(...page.items);
      cursor = page.cursor;
    } while (cursor);
    for (const item of items) {
      const base = Number(String(item.SK).split('#')[0]);
      for (const [num, bytes] of unpackEntries(PACKED[kind].kind, item.data as Uint8Array)) {
        if (num !== series.num) continue;
        const r = new ByteReader(bytes);
        let buckets = readBuckets(
          r,
          base,
          kind === 'daily' ? DAY_MS : width(kind === 'hourly' ? '1h' : '5m'),
        );
        if (res === '15m') buckets = readBuckets(r, base, width('15m'));
        for (const b of buckets) if (b.start >= start && b.start <= end) out.set(b.start, b);
      }
    }
    return [...out.values()].sort((a, b) => a.start - b.start);
  }

  /** When a packed item of this resolution's kind expires. */
  static expiresAt(kind: PackedKind, start: number): number {
    const res: Resolution = kind === 'fine' ? '15m' : kind === 'hourly' ? '1h' : '1d';
    const span = kind === 'daily' ? DAY_MS : WINDOW_MS;
    return Math.floor((start + span + retention(res)) / 1000);
  }
}

/** Each series' 1d bucket of `day`, merged from its hourly buckets. */
export function dailyEntries(day: number, hours: Map<number, RollupBucket[]>): Array<[number, Uint8Array]> {
  const out: Array<[number, Uint8Array]> = [];
  for (const num of [...hours.keys()].sort((a, b) => a - b)) {
    const merged = mergeBuckets(day, hours.get(num)!);
    if (!merged) continue;
    const w = new ByteWriter(64);
    writeBuckets(w, [merged], day, DAY_MS);
    out.push([num, w.finish()]);
  }
  return out;
}
