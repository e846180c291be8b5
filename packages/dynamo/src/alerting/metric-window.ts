import { lowerBound } from '@vigil/core';
import { ByteReader, readBlock } from '@vigil/core/metrics';
import type { Item, TableStore } from '@vigil/core/ports';
import { type LabelMatcher, type Labels, matchesAll, type Querier, type RawSeries } from '@vigil/core/promql';
import { decodeSegment, type SegmentPayload, unpackEntries } from '../metrics/codec';
import {
  groupOf,
  PACKED,
  pad,
  SAFETY_MS,
  SEGMENT_SHARDS,
  segmentPk,
  WINDOW_MS,
  windowOf,
} from '../metrics/layout';
import type { MetricStore } from '../metrics/store';

/** One selector an expression reads: its matchers and the sample window it needs (ms). */
export interface SelectRequest {
  matchers: LabelMatcher[];
  start: number;
  end: number;
}

/** Evaluations further apart than this read the open windows whole again. */
const MAX_INCREMENTAL_GAP_MS = 10 * 60_000;

/** Past this many cached segment bytes the cache starts over (a cold read, never a wrong one). */
const CACHE_MAX_BYTES = 256 * 1024 * 1024;

/**
 * Segments of open windows already read, by window, so the next evaluation reads only the
 * segments that arrived since. Segments are immutable and never deleted before their window is
 * compacted, and their sort key starts with the writer's arrival time; each re-read overlaps
 * the newest one seen by SAFETY_MS — the margin compaction also gives a write in flight — so
 * a segment that lands late with an older key is still found.
 */
export class SegmentCache {
  private readonly windows = new Map<number, { items: Map<string, Item>; newest: string[] }>();
  private bytes = 0;
  /** Decoded payloads of the cached segments the last evaluation read, so each is decoded once. */
  private decodedPayloads = new Map<Item, SegmentPayload>();
  private decodedNow = new Map<Item, SegmentPayload>();
  private lastNow = Number.NEGATIVE_INFINITY;

  constructor(readonly table: TableStore) {}

  /**
   * Starts over when the clock went back or jumped ahead (a test clock): segment keys follow the
   * writers' clocks, so only evaluations a few minutes apart, in order, may read incrementally.
   */
  observe(now: number): void {
    if (now < this.lastNow || now - this.lastNow > MAX_INCREMENTAL_GAP_MS) {
      this.windows.clear();
      this.decodedPayloads.clear();
      this.decodedNow.clear();
      this.bytes = 0;
    }
    this.lastNow = now;
  }

  /** Every segment of `window`, oldest first, reading from the table only what is new. */
  async window(window: number): Promise<Item[]> {
    let entry = this.windows.get(window);
    if (!entry) {
      entry = { items: new Map(), newest: Array(SEGMENT_SHARDS).fill('') };
      this.windows.set(window, entry);
    }
    const known = entry;
    await Promise.all(
      Array.from({ length: SEGMENT_SHARDS }, async (_, shard) => {
        const newest = known.newest[shard];
        const from = newest ? pad(Math.max(0, Number(newest.split('#')[0]) - SAFETY_MS)) : '0';
        let cursor: string | null = null;
        do {
          const page = await this.table.query({
            pk: segmentPk(window, shard),
            sk: { gte: from },
            consistent: true,
            cursor,
          });
          for (const item of page.items) {
            const sk = String(item.SK);
            if (known.items.has(`${shard}|${sk}`)) continue;
            known.items.set(`${shard}|${sk}`, item);
            this.bytes += (item.data as Uint8Array).byteLength;
            if (sk > known.newest[shard]) known.newest[shard] = sk;
          }
          cursor = page.cursor;
        } while (cursor);
      }),
    );
    return [...known.items.values()].sort((a, b) => (String(a.SK) < String(b.SK) ? -1 : 1));
  }

  /** A cached segment's payload, decoded on first use. */
  decode(item: Item): SegmentPayload {
    let payload = this.decodedNow.get(item) ?? this.decodedPayloads.get(item);
    if (!payload) payload = decodeSegment(item.data as Uint8Array);
    this.decodedNow.set(item, payload);
    return payload;
  }

  /** Keeps the decoded payloads used since the last call (the next evaluation reads mostly those). */
  endEvaluation(): void {
    this.decodedPayloads = this.decodedNow;
    this.decodedNow = new Map();
  }

  /** Forgets windows no longer read from segments, and everything once over the size cap. */
  retain(windows: number[]): void {
    const keep = new Set(windows);
    for (const [w, entry] of this.windows) {
      if (keep.has(w) && this.bytes <= CACHE_MAX_BYTES) continue;
      for (const item of entry.items.values()) {
        this.bytes -= (item.data as Uint8Array).byteLength;
        this.decodedPayloads.delete(item);
      }
      this.windows.delete(w);
    }
  }
}

/**
 * The samples every alerting rule of one evaluation needs, read in one pass: the series index
 * of each metric once, the packed blocks of closed windows once per group of series, the
 * segments of open windows once (and, through the cache, only those new since the last
 * evaluation) — where evaluating rule by rule reads all of that again for every selector of
 * every rule. It answers each rule's selects from memory with what `MetricStore.select` returns.
 */
export class MetricWindow implements Querier {
  private constructor(
    private readonly byName: Map<string, Array<{ labels: Labels; ts: number[]; vs: number[] }>>,
    private readonly names: string[],
  ) {}

  static async load(
    store: MetricStore,
    requests: SelectRequest[],
    cache?: SegmentCache,
  ): Promise<MetricWindow> {
    let allNames: string[] | undefined;
    const namesOf = async (matchers: LabelMatcher[]) => {
      const eq = matchers.find((m) => m.name === '__name__' && m.type === '=');
      if (eq) return [eq.value];
      allNames ??= await store.metricNames();
      const nameMatchers = matchers.filter((m) => m.name === '__name__');
      return allNames.filter((n) => matchesAll(nameMatchers, { __name__: n }));
    };
    const requestsByName = new Map<string, SelectRequest[]>();
    for (const request of requests)
      for (const name of await namesOf(request.matchers)) {
        const list = requestsByName.get(name) ?? [];
        list.push(request);
        requestsByName.set(name, list);
      }

    // Each selected series (by number) with the union of the windows that select it.
    const selected = new Map<number, { name: string; labels: Labels; start: number; end: number }>();
    await Promise.all(
      [...requestsByName].map(async ([name, list]) => {
        for (const s of await store.findSeries([{ name: '__name__', type: '=', value: name }])) {
          for (const r of list) {
            if (!matchesAll(r.matchers, s.labels)) continue;
            const known = selected.get(s.num);
            if (known) {
              known.start = Math.min(known.start, r.start);
              known.end = Math.max(known.end, r.end);
            } else selected.set(s.num, { name, labels: s.labels, start: r.start, end: r.end });
          }
        }
      }),
    );

    const samples = new Map<number, Map<number, number>>();
    for (const num of selected.keys()) samples.set(num, new Map());
    const keep = (num: number, t: number, v: number) => {
      const s = selected.get(num);
      if (s && t >= s.start && t <= s.end) samples.get(num)!.set(t, v);
    };
    if (selected.size) {
      let start = Number.POSITIVE_INFINITY;
      let end = Number.NEGATIVE_INFINITY;
      for (const s of selected.values()) {
        start = Math.min(start, s.start);
        end = Math.max(end, s.end);
      }
      const state = await store.state();
      const first = windowOf(start);
      const last = windowOf(end);
      // Closed windows: the packed blocks of each group of selected series.
      const closedLast = Math.min(last, state.closedThrough - WINDOW_MS);
      if (first <= closedLast) {
        const groups = [...new Set([...selected.keys()].map(groupOf))];
        await Promise.all(
          groups.map(async (g) => {
            for (const item of await store.packed('raw', g, first, closedLast)) {
              const base = Number(String(item.SK).split('#')[0]);
              for (const [num, bytes] of unpackEntries(PACKED.raw.kind, item.data as Uint8Array)) {
                if (!selected.has(num)) continue;
                const { ts, vs } = readBlock(new ByteReader(bytes), base);
                for (let i = 0; i < ts.length; i++) keep(num, ts[i], vs[i]);
              }
            }
          }),
        );
      }
      // Open windows and late arrivals: their segments, newest write winning.
      const segments: Item[] = [];
      const cached = new Set<Item>();
      const open =
        last >= state.closedThrough
          ? await store.windowsWithSegments(Math.max(first, state.closedThrough), last)
          : [];
      await Promise.all([
        ...open.map(async (w) => {
          const items = cache ? await cache.window(w) : await store.windowSegments(w);
          segments.push(...items);
          if (cache) for (const item of items) cached.add(item);
        }),
        store.lateSegments(state.lateThrough).then((items) => void segments.push(...items)),
      ]);
      cache?.retain(open);
      segments.sort((a, b) => (String(a.SK) < String(b.SK) ? -1 : 1));
      for (const segment of segments) {
        if ((segment.maxT as number) < start || (segment.minT as number) > end) continue;
        const payload =
          cache && cached.has(segment) ? cache.decode(segment) : decodeSegment(segment.data as Uint8Array);
        for (const [num, points] of payload.series) {
          if (!selected.has(num)) continue;
          for (const [t, v] of points) keep(num, t, v);
        }
      }
      cache?.endEvaluation();
    }

    const byName = new Map<string, Array<{ labels: Labels; ts: number[]; vs: number[] }>>();
    for (const [num, s] of selected) {
      const merged = samples.get(num)!;
      const ts = [...merged.keys()].sort((a, b) => a - b);
      const list = byName.get(s.name) ?? [];
      list.push({ labels: s.labels, ts, vs: ts.map((t) => merged.get(t)!) });
      byName.set(s.name, list);
    }
    return new MetricWindow(byName, [...requestsByName.keys()]);
  }

  /** Samples in [start, end] of the loaded series matching every matcher. */
  async select(matchers: LabelMatcher[], start: number, end: number): Promise<RawSeries[]> {
    const nameMatchers = matchers.filter((m) => m.name === '__name__');
    const out: RawSeries[] = [];
    for (const name of this.names) {
      if (!matchesAll(nameMatchers, { __name__: name })) continue;
      for (const s of this.byName.get(name) ?? []) {
        if (!matchesAll(matchers, s.labels)) continue;
        const from = lowerBound(s.ts, start);
        const to = lowerBound(s.ts, end + 1);
        if (to > from) out.push({ labels: s.labels, ts: s.ts.slice(from, to), vs: s.vs.slice(from, to) });
      }
    }
    return out;
  }
}
