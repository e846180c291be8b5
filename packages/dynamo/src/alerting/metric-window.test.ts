import { type NormalizedSeries, seriesId } from '@vigil/core/metrics';
import type { LabelMatcher } from '@vigil/core/promql';
import { describe, expect, it } from 'vitest';
import { MemoryTableStore } from '../memory-table-store';
import { compactSegments } from '../metrics/compaction';
import { WINDOW_MS, windowOf } from '../metrics/layout';
import { RollupStore } from '../metrics/rollups';
import { MetricStore } from '../metrics/store';
import { MetricWindow, SegmentCache, type SelectRequest } from './metric-window';

const MIN = 60_000;
const T = windowOf(Date.parse('2026-11-20T12:00:00Z')) + 40 * MIN;

function scrape(t: number, value: (i: number) => number): NormalizedSeries[] {
  const out: NormalizedSeries[] = [];
  for (let i = 0; i < 12; i++) {
    const labels = { __name__: i % 2 ? 'cpu' : 'req_total', service: `s${i % 3}`, instance: `i${i}` };
    out.push({ id: seriesId(labels), labels, samples: [[t, value(i)]] });
  }
  return out;
}

const eq = (name: string, value: string): LabelMatcher => ({ name, type: '=', value });
const requests = (now: number): SelectRequest[] => [
  { matchers: [eq('__name__', 'cpu')], start: now - 5 * MIN, end: now },
  { matchers: [eq('__name__', 'cpu'), eq('service', 's1')], start: now - 30 * MIN, end: now },
  {
    matchers: [eq('__name__', 'req_total'), { name: 'instance', type: '=~', value: 'i(0|2)' }],
    start: now - 3 * 3_600_000,
    end: now - MIN,
  },
  {
    matchers: [{ name: '__name__', type: '=~', value: 'cpu|req_total' }, eq('service', 's2')],
    start: now - 10 * MIN,
    end: now,
  },
  { matchers: [eq('__name__', 'absent_metric')], start: now - 5 * MIN, end: now },
];

/** What the store itself answers for each request, to compare the one-pass read with. */
async function expected(store: MetricStore, now: number) {
  return Promise.all(requests(now).map((r) => store.select(r.matchers, r.start, r.end)));
}
async function actual(window: MetricWindow, now: number) {
  return Promise.all(requests(now).map((r) => window.select(r.matchers, r.start, r.end)));
}
const sorted = (result: Awaited<ReturnType<typeof expected>>) =>
  result.map((list) =>
    [...list].sort((a, b) => (JSON.stringify(a.labels) < JSON.stringify(b.labels) ? -1 : 1)),
  );

/** The in-memory table, counting the segment items its queries return. */
class CountingTable extends MemoryTableStore {
  itemsRead = 0;
  override async query(query: Parameters<MemoryTableStore['query']>[0]) {
    const page = await super.query(query);
    if (query.pk.startsWith('SEG#')) this.itemsRead += page.items.length;
    return page;
  }
}

describe('MetricWindow: every rule selector of a cycle from one read', () => {
  it('answers exactly what MetricStore.select answers, across closed windows, open windows, late samples and re-sent ones', async () => {
    const table = new CountingTable('metrics');
    const store = new MetricStore(table);
    const rollups = new RollupStore(table);
    const start = T - 3 * 3_600_000;
    for (let t = start; t <= T; t += MIN)
      await store.write(
        scrape(t, (i) => i * 1000 + (t - start) / MIN),
        t,
      );
    // The previous windows close; a late sample and a re-sent one with a new value arrive.
    await compactSegments(store, rollups, T);
    await store.write(
      scrape(start + 30 * MIN, () => -1),
      T,
    );
    await store.write(
      scrape(T - 2 * MIN, () => 42),
      T,
    );
    const cache = new SegmentCache(table);
    const window = await MetricWindow.load(store, requests(T), cache);
    expect(sorted(await actual(window, T))).toEqual(sorted(await expected(store, T)));
    expect((await actual(window, T))[0].length).toBe(6);

    // The next cycle reads only what is new through the cache, and still answers the same.
    const next = T + MIN;
    await store.write(
      scrape(next, (i) => i),
      next,
    );
    const before = table.itemsRead;
    const again = await MetricWindow.load(store, requests(next), cache);
    const cachedItems = table.itemsRead - before;
    expect(sorted(await actual(again, next))).toEqual(sorted(await expected(store, next)));
    const cold = table.itemsRead;
    await MetricWindow.load(store, requests(next), new SegmentCache(table));
    // Cold, 40 minutes of segments; warm, only those within SAFETY_MS (2 min) of the newest seen, and the new one.
    const coldItems = table.itemsRead - cold;
    expect(cachedItems * 3).toBeLessThan(coldItems);
  });

  it('finds a segment that lands late with an older key, and starts over when the clock goes back', async () => {
    const table = new MemoryTableStore('metrics');
    const store = new MetricStore(table);
    const cache = new SegmentCache(table);
    await store.write(
      scrape(T - MIN, () => 1),
      T - MIN,
    );
    await store.write(
      scrape(T, () => 2),
      T,
    );
    await MetricWindow.load(store, requests(T), cache);
    // A write begun (and keyed) a minute ago lands only now.
    await store.write(
      scrape(T - 30_000, () => 3),
      T - 60_000,
    );
    const next = T + MIN;
    const window = await MetricWindow.load(store, requests(next), cache);
    expect(sorted(await actual(window, next))).toEqual(sorted(await expected(store, next)));
    // A test clock set back: keys from the past are read again.
    const back = T - WINDOW_MS / 4;
    await store.write(
      scrape(back, () => 7),
      back,
    );
    cache.observe(next);
    cache.observe(back);
    const past = await MetricWindow.load(store, requests(back), cache);
    expect(sorted(await actual(past, back))).toEqual(sorted(await expected(store, back)));
    expect((await actual(past, back))[0].length).toBe(6);
  });
});
