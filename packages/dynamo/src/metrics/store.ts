import { ConflictError } from '@vigil/core';
import { ByteReader, type NormalizedSeries, readBlock, type Sample } from '@vigil/core/metrics';
import type { Item, TableStore } from '@vigil/core/ports';
import { type LabelMatcher, type Labels, matchesAll, type RawSeries } from '@vigil/core/promql';
import { decodeSegment, unpackEntries } from './codec';
import {
  COUNTER_KEY,
  GRACE_MS,
  groupOf,
  LATE_PK,
  PACKED,
  type PackedKind,
  packedPk,
  packedRange,
  pad,
  SEGMENT_RETENTION_MS,
  SEGMENT_SHARDS,
  STATE_KEY,
  segmentPk,
  WINDOW_MS,
  windowMarker,
  windowOf,
} from './layout';
import { SampleMerger } from './merge';
import { segmentItems } from './segment-items';

/** Raw samples per segment item before it is split (a deflated sample takes ~2–4 bytes). */
const SEGMENT_TARGET_SAMPLES = 60_000;
const CACHE_SIZE = 1_000_000;
let stores = 0;

/** How far compaction has got: windows before `closedThrough` are in packed items. */
export interface CompactionState {
  closedThrough: number;
  /** SK of the last late segment folded in ('' for none). */
  lateThrough: string;
  /**
   * The window at `closedThrough` or after that compaction has folded part-way: its groups before
   * `group` are in packed items already. Readers still take the whole window from its segments.
   */
  folding?: { window: number; group: number };
}

/** A series of the index: its id (hash of the labels), labels and number. */
export interface IndexedSeries {
  id: string;
  labels: Labels;
  num: number;
}

/**
 * The metrics table: segments written by ingest, packed per-group blocks and rollups written
 * by compaction (see layout.ts), and the series index. A sample is readable as soon as its
 * segment is written.
 */
export class MetricStore {
  /** Series numbers by id, of series already in the index. */
  private readonly nums = new Map<string, number>();
  private stateKnown = false;
  /** Windows before this were compacted when this process last looked: their samples are late. */
  private closedFloor = Number.NEGATIVE_INFINITY;
  private lastNow = Number.NEGATIVE_INFINITY;
  /** Windows whose marker this process has written (re-written after an hour, for its TTL). */
  private readonly announced = new Map<number, number>();

  /** Tells this store's memos (see `NormalizedSeries.memo`) from other stores'. */
  private readonly token = ++stores;

  constructor(readonly table: TableStore) {}

  /** Writes validated series as a few compressed segments, numbering and indexing new series. */
  async write(series: NormalizedSeries[], now: number): Promise<number> {
    const nums = await this.number(series, now);
    // A clock that went back (tests do that) may now name windows compacted since: look again.
    if (!this.stateKnown || now < this.lastNow) await this.initState(now);
    this.lastNow = now;
    // partition → [num, samples][]
    const parts = new Map<string, Array<[number, Sample[]]>>();
    const shard = Math.floor(Math.random() * SEGMENT_SHARDS);
    // A closed window's samples go to LATE (-1); the rest to their window's segments.
    const windowFor = (t: number) => {
      const w = windowOf(t);
      return w + WINDOW_MS + GRACE_MS <= now || w < this.closedFloor ? -1 : w;
    };
    // Most series of a request fall in the window of the one before: its list is kept at hand.
    let lastWindow = Number.NaN;
    let lastList: Array<[number, Sample[]]> = [];
    const add = (w: number, num: number, samples: Sample[]) => {
      if (w !== lastWindow) {
        const pk = w < 0 ? LATE_PK : segmentPk(w, shard);
        lastWindow = w;
        lastList = parts.get(pk) ?? [];
        parts.set(pk, lastList);
      }
      lastList.push([num, samples]);
    };
    for (let i = 0; i < series.length; i++) {
      const s = series[i];
      const first = windowFor(s.samples[0][0]);
      if (s.samples.length === 1 || s.samples.every(([t]) => windowFor(t) === first))
        add(first, nums[i], s.samples);
      else {
        const by = new Map<number, Sample[]>();
        for (const p of s.samples) {
          const w = windowFor(p[0]);
          const list = by.get(w);
          if (list) list.push(p);
          else by.set(w, [p]);
        }
        for (const [w, samples] of by) add(w, nums[i], samples);
      }
    }
    const items: Item[] = [];
    for (const [pk, entries] of parts) {
      let batch: typeof entries = [];
      let n = 0;
      for (const e of entries) {
        if (n + e[1].length > SEGMENT_TARGET_SAMPLES && batch.length) {
          items.push(...segmentItems(pk, batch, now));
          batch = [];
          n = 0;
        }
        batch.push(e);
        n += e[1].length;
      }
      if (batch.length) items.push(...segmentItems(pk, batch, now));
    }
    await this.announce(
      [...parts.keys()].filter((pk) => pk !== LATE_PK),
      now,
    );
    await this.table.batchPut(items);
    return items.length;
  }

  /** Writes the markers of windows about to get their first segments from this process. */
  private async announce(pks: string[], now: number): Promise<void> {
    const windows = [...new Set(pks.map((pk) => Number(pk.split('#')[1])))].filter(
      (w) => (this.announced.get(w) ?? Number.NEGATIVE_INFINITY) + 3_600_000 <= now,
    );
    if (!windows.length) return;
    await this.table.batchPut(
      windows.map((w) => ({
        ...windowMarker(w),
        expiresAt: Math.floor((Math.max(w + WINDOW_MS, now) + SEGMENT_RETENTION_MS) / 1000),
      })),
    );
    if (this.announced.size > 1000) this.announced.clear();
    for (const w of windows) this.announced.set(w, now);
  }

  /** Windows at or after `from` (and up to `to`) that have segments, oldest first. */
  async windowsWithSegments(from: number, to: number): Promise<number[]> {
    const items = await this.all({ pk: 'SEGWIN', sk: { between: [pad(from), pad(to)] }, consistent: true });
    return items.map((i) => Number(i.SK));
  }

  /** The number of every series, indexing those never seen. */
  private async number(series: NormalizedSeries[], now: number): Promise<number[]> {
    const nums = new Array<number>(series.length);
    let known = true;
    for (let i = 0; i < series.length; i++) {
      const memo = series[i].memo;
      // The label set's memo saves a lookup in a large map (a cache miss or more) per series.
      if (memo?.store === this.token) {
        nums[i] = memo.num as number;
        continue;
      }
      const num = this.nums.get(series[i].id);
      if (num === undefined) known = false;
      else {
        nums[i] = num;
        if (memo) {
          memo.store = this.token;
          memo.num = num;
        }
      }
    }
    if (known) return nums;
    const missing = series.filter((s) => !this.nums.has(s.id));
    if (missing.length) {
      const unique = [...new Map(missing.map((s) => [s.id, s])).values()];
      const rows = await this.table.batchGet(unique.map(seriesKey));
      for (const row of rows) if (typeof row.num === 'number') this.remember(String(row.SK), row.num);
      const fresh = unique.filter((s) => !this.nums.has(s.id));
      if (fresh.length) await this.index(fresh, now);
    }
    return series.map((s) => this.nums.get(s.id)!);
  }

  private remember(id: string, num: number): void {
    if (this.nums.size >= CACHE_SIZE) this.nums.clear();
    this.nums.set(id, num);
  }

  /** Numbers and indexes new series; a series another writer numbered first keeps that number. */
  private async index(fresh: NormalizedSeries[], now: number): Promise<void> {
    const counter = await this.table.increment(COUNTER_KEY, { next: fresh.length });
    let num = (counter.next as number) - fresh.length;
    const labelRows = new Map<string, Item>();
    await Promise.all(
      fresh.map(async (s) => {
        const mine = num++;
        try {
          await this.table.put(
            { ...seriesKey(s), labels: s.labels, num: mine, firstSeen: now },
            { condition: { kind: 'notExists' } },
          );
          this.remember(s.id, mine);
        } catch (error) {
          if (!(error instanceof ConflictError)) throw error;
          const row = await this.table.get(seriesKey(s), { consistent: true });
          this.remember(s.id, row!.num as number);
        }
      }),
    );
    for (const s of fresh) {
      const name = s.labels.__name__;
      labelRows.set(`M${name}`, { PK: 'METRICS', SK: name });
      for (const [k, v] of Object.entries(s.labels)) {
        labelRows.set(`L${k}`, { PK: 'LABELS', SK: k });
        labelRows.set(`V${k}\u0000${v}`, { PK: `LABEL#${k}`, SK: v });
      }
    }
    await this.table.batchPut([...labelRows.values()]);
  }

  /** Metric names in the index. */
  async metricNames(): Promise<string[]> {
    return (await this.all({ pk: 'METRICS' })).map((i) => String(i.SK));
  }

  async labelNames(): Promise<string[]> {
    return (await this.all({ pk: 'LABELS' })).map((i) => String(i.SK));
  }

  async labelValues(name: string): Promise<string[]> {
    return (await this.all({ pk: `LABEL#${name}` })).map((i) => String(i.SK));
  }

  /** Series (id, labels and number) whose labels satisfy every matcher. */
  async findSeries(matchers: LabelMatcher[]): Promise<IndexedSeries[]> {
    const nameEq = matchers.find((m) => m.name === '__name__' && m.type === '=');
    const names = nameEq
      ? [nameEq.value]
      : (await this.metricNames()).filter((n) =>
          matchesAll(
            matchers.filter((m) => m.name === '__name__'),
            { __name__: n },
          ),
        );
    const out: IndexedSeries[] = [];
    for (const name of names) {
      for (const item of await this.all({ pk: `SERIES#${name}` })) {
        const labels = item.labels as Labels;
        if (typeof item.num === 'number' && matchesAll(matchers, labels))
          out.push({ id: String(item.SK), labels, num: item.num });
      }
    }
    return out;
  }

  /**
   * Samples of every matching series in [start, end]: packed blocks of compacted windows,
   * segments of open windows, and late segments not yet folded in (newest write wins).
   */
  async select(matchers: LabelMatcher[], start: number, end: number): Promise<RawSeries[]> {
    const found = await this.findSeries(matchers);
    if (!found.length) return [];
    const state = await this.state();
    // Staleness markers stay explicit from the decoded flags to the result's.
    const wanted = new Map(found.map((s) => [s.num, new SampleMerger(start, end)]));
    const first = windowOf(start);
    const last = windowOf(end);
    const closedLast = Math.min(last, state.closedThrough - WINDOW_MS);
    if (first <= closedLast) {
      const groups = [...new Set(found.map((s) => groupOf(s.num)))];
      await Promise.all(
        groups.map(async (g) => {
          for (const item of await this.packed('raw', g, first, closedLast)) {
            const base = Number(String(item.SK).split('#')[0]);
            for (const [num, bytes] of unpackEntries(PACKED.raw.kind, item.data as Uint8Array)) {
              wanted.get(num)?.addBlock(readBlock(new ByteReader(bytes), base));
            }
          }
        }),
      );
    }
    const segments: Item[] = [];
    const reads: Array<Promise<void>> = [];
    if (last >= state.closedThrough)
      for (const w of await this.windowsWithSegments(Math.max(first, state.closedThrough), last))
        reads.push(this.windowSegments(w).then((items) => void segments.push(...items)));
    reads.push(this.lateSegments(state.lateThrough).then((items) => void segments.push(...items)));
    await Promise.all(reads);
    // Arrival order, so a sample sent again with a new value reads as the newest.
    segments.sort((a, b) => (String(a.SK) < String(b.SK) ? -1 : 1));
    for (const segment of segments) {
      if ((segment.maxT as number) < start || (segment.minT as number) > end) continue;
      for (const [num, samples] of decodeSegment(segment.data as Uint8Array).series)
        wanted.get(num)?.addSamples(samples);
    }
    const out: RawSeries[] = [];
    for (const s of found) {
      const columns = wanted.get(s.num)!.columns();
      if (columns) out.push({ labels: s.labels, ...columns });
    }
    return out;
  }

  /** Where compaction stands. */
  async state(consistent = false): Promise<CompactionState> {
    const item = await this.table.get(STATE_KEY, { consistent });
    if (!item) return { closedThrough: Number.POSITIVE_INFINITY, lateThrough: '' };
    const state: CompactionState = {
      closedThrough: item.closedThrough as number,
      lateThrough: String(item.lateThrough ?? ''),
    };
    if (typeof item.foldingWindow === 'number' && typeof item.foldingGroup === 'number')
      state.folding = { window: item.foldingWindow, group: item.foldingGroup };
    return state;
  }

  async saveState({ closedThrough, lateThrough, folding }: CompactionState): Promise<void> {
    await this.table.put({
      ...STATE_KEY,
      closedThrough,
      lateThrough,
      ...(folding && { foldingWindow: folding.window, foldingGroup: folding.group }),
    });
  }

  /**
   * The first write starts compaction at the window before its own: ingest only writes to
   * windows open at the time, so no segment is ever older than that.
   */
  private async initState(now: number): Promise<void> {
    const current = await this.table.get(STATE_KEY, { consistent: true });
    if (current) this.closedFloor = current.closedThrough as number;
    else {
      const state: CompactionState = { closedThrough: windowOf(now - WINDOW_MS - GRACE_MS), lateThrough: '' };
      await this.table
        .put({ ...STATE_KEY, ...state }, { condition: { kind: 'notExists' } })
        .catch((error) => {
          if (!(error instanceof ConflictError)) throw error;
        });
    }
    this.stateKnown = true;
  }

  /** Every segment of a window, in arrival order. */
  async windowSegments(window: number): Promise<Item[]> {
    const shards = await Promise.all(
      Array.from({ length: SEGMENT_SHARDS }, (_, s) =>
        this.all({ pk: segmentPk(window, s), consistent: true }),
      ),
    );
    return shards.flat().sort((a, b) => (String(a.SK) < String(b.SK) ? -1 : 1));
  }

  /** Late segments after `after` (an SK), oldest first. */
  async lateSegments(after: string, limit = Number.POSITIVE_INFINITY): Promise<Item[]> {
    const items = await this.all({ pk: LATE_PK, sk: { gte: after || '0' }, consistent: true }, limit + 1);
    return items.filter((i) => String(i.SK) > after).slice(0, limit);
  }

  /** Packed items of one kind and group whose windows (or days) start in [from, to]. */
  async packed(kind: PackedKind, group: number, from: number, to: number): Promise<Item[]> {
    return this.all({ pk: packedPk(kind, group), sk: { between: packedRange(from, to) } });
  }

  private async all(
    query: Parameters<TableStore['query']>[0],
    limit = Number.POSITIVE_INFINITY,
  ): Promise<Item[]> {
    const out: Item[] = [];
    let cursor: string | null = null;
    do {
      const page = await this.table.query({ ...query, cursor, limit: Math.min(1000, limit - out.length) });
      out.push(...page.items);
      cursor = page.cursor;
    } while (cursor && out.length < limit);
    return out;
  }
}

const seriesKey = (s: { id: string; labels: Labels }) => ({ PK: `SERIES#${s.labels.__name__}`, SK: s.id });
