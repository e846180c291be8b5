/**
 * The metrics benchmark's 30-day range reads: one series scraped every minute (raw samples vs 1h
 * rollups), and 1,000 series summed — `sum(sum_over_time(x[1h]))` at a 1h step over raw samples
 * through the PromQL engine vs the sum of the same series' 1h rollup buckets.
 */
import { seriesId } from '@vigil/core/metrics';
import { evaluateRange, type LabelMatcher } from '@vigil/core/promql';
import {
  compactSegments,
  createMetricQuerier,
  DAY_MS,
  GRACE_MS,
  groupOf,
  MetricStore,
  packedSk,
  RollupStore,
  SAFETY_MS,
  WINDOW_MS,
  windowItems,
} from '@vigil/dynamo';
import { rng } from './data';
import { type AttributingTable, readSince, useTable } from './table';

const DAYS = 30;
const HOUR = 3_600_000;

async function measure<T>(table: AttributingTable, run: () => Promise<T>) {
  const before = table.snapshot();
  const started = performance.now();
  const out = await run();
  return { out, ms: Math.round(performance.now() - started), ...readSince(table, before) };
}

/** One series at 60 s for 30 days, each window ingested while open and compacted when closed. */
async function oneSeries(T0: number) {
  const table = useTable();
  const store = new MetricStore(table);
  const rollups = new RollupStore(table);
  const minutes = DAYS * 1440;
  const perWindow = WINDOW_MS / 60_000;
  const labels = { __name__: 'bench_latency', pod: 'p0' };
  for (let w = 0; w < minutes / perWindow; w++) {
    const start = T0 + w * WINDOW_MS;
    const samples = Array.from(
      { length: perWindow },
      (_, m) => [start + m * 60_000, (w * perWindow + m) % 97] as [number, number],
    );
    await store.write([{ id: seriesId(labels), labels, samples }], start);
    await compactSegments(store, rollups, start + WINDOW_MS + GRACE_MS + SAFETY_MS);
  }
  const end = T0 + minutes * 60_000;
  const matchers: LabelMatcher[] = [{ name: 'pod', type: '=', value: 'p0' }];
  const raw = await measure(table, async () => (await store.select(matchers, T0, end))[0]?.ts.length);
  if (raw.out !== minutes) throw new Error(`raw read of one series: ${raw.out} samples`);
  const fromRollups = await measure(table, async () => {
    const [s] = await store.findSeries(matchers);
    return (await rollups.read('1h', s, T0, end - HOUR)).length;
  });
  if (fromRollups.out !== DAYS * 24) throw new Error(`1h rollups of one series: ${fromRollups.out}`);
  return {
    samples: minutes,
    raw: { ms: raw.ms, readUnits: raw.readUnits, readBytes: raw.readBytes },
    rollups1h: { ms: fromRollups.ms, readUnits: fromRollups.readUnits, readBytes: fromRollups.readBytes },
  };
}

const SERIES = 1000;
const SCRAPE_MS = 120_000;
const PER_DAY = DAY_MS / SCRAPE_MS;

/**
 * 1,000 series scraped every 2 minutes for 30 days (21.6 M samples), with a daily cycle: each
 * day's 12 windows are packed once per group of series (as compaction packs them) and stored for
 * every day, so setting up takes seconds while reads decompress and decode every item as usual.
 * (At 2 minutes the 1h rollups are stored as buckets; at 5 minutes they would be stored as the
 * samples themselves, which are smaller, and read about as many bytes as raw.)
 */
async function thousandSeries(T0: number) {
  const setupStarted = performance.now();
  const table = useTable();
  const store = new MetricStore(table);
  const rollups = new RollupStore(table);
  const random = rng(11);
  const series = Array.from({ length: SERIES }, (_, i) => {
    const labels = { __name__: 'bench_load', pod: `p${i}` };
    // Off the hour, so a sample never sits on a range's edge.
    const offset = 1_000 + ((i * 7_919) % 298_000);
    const level = 20 + (i % 50);
    const values = Array.from(
      { length: PER_DAY },
      (_, m) => Math.round((level + 15 * Math.sin((2 * Math.PI * m) / PER_DAY) + random() * 3) * 100) / 100,
    );
    return { labels, offset, values };
  });
  await store.write(
    series.map((s) => ({
      id: seriesId(s.labels),
      labels: s.labels,
      samples: [[T0 + s.offset, s.values[0]]],
    })),
    T0,
  );
  const found = await store.findSeries([{ name: '__name__', type: '=', value: 'bench_load' }]);
  const byPod = new Map(series.map((s) => [s.labels.pod, s]));
  const groups = new Map<number, typeof found>();
  for (const f of found) groups.set(groupOf(f.num), [...(groups.get(groupOf(f.num)) ?? []), f]);
  for (const [group, members] of groups)
    for (let w = 0; w < DAY_MS / WINDOW_MS; w++) {
      const window = T0 + w * WINDOW_MS;
      const samples = new Map<number, Map<number, number>>();
      for (const f of members) {
        const s = byPod.get(f.labels.pod)!;
        const points = new Map<number, number>();
        for (let m = 0; m < WINDOW_MS / SCRAPE_MS; m++)
          points.set(window + m * SCRAPE_MS + s.offset, s.values[w * (WINDOW_MS / SCRAPE_MS) + m]);
        samples.set(f.num, points);
      }
      const items = windowItems(rollups, group, window, samples);
      for (let d = 0; d < DAYS; d++)
        await table.batchPut(
          items.map((item) => ({
            ...item,
            SK: packedSk(window + d * DAY_MS, Number(String(item.SK).split('#')[1])),
          })),
        );
    }
  const end = T0 + DAYS * DAY_MS;
  await store.saveState({ closedThrough: end, lateThrough: '' });
  const setupMs = Math.round(performance.now() - setupStarted);

  const query = 'sum(sum_over_time(bench_load[1h]))';
  // Rollups first: the raw read leaves much garbage behind for the collector.
  const fromRollups = await measure(table, async () => {
    const all = await store.findSeries([{ name: '__name__', type: '=', value: 'bench_load' }]);
    const buckets = await rollups.readMany('1h', all, T0, end - HOUR, { sketches: false });
    // The bucket [h, h + 1h) holds what the range (h, h + 1h] of the query at h + 1h holds.
    const sums = new Map<number, number>();
    for (const s of all)
      for (const b of buckets.get(s.num) ?? [])
        sums.set(b.start + HOUR, (sums.get(b.start + HOUR) ?? 0) + b.sum);
    return sums;
  });
  const raw = await measure(table, async () => {
    const result = await evaluateRange(query, createMetricQuerier(store), T0 + HOUR, end, HOUR);
    return result.series[0];
  });
  if (!raw.out || raw.out.ts.length !== DAYS * 24) throw new Error(`raw sum: ${raw.out?.ts.length} points`);
  let maxRelativeDifference = 0;
  raw.out.ts.forEach((t, i) => {
    const fromRollup = fromRollups.out.get(t);
    if (fromRollup === undefined) throw new Error(`no rollup sum at ${new Date(t).toISOString()}`);
    const v = raw.out!.vs[i];
    maxRelativeDifference = Math.max(maxRelativeDifference, Math.abs(fromRollup - v) / Math.abs(v));
  });
  if (maxRelativeDifference > 1e-9)
    throw new Error(`rollup sums differ from raw by ${maxRelativeDifference}`);
  return {
    query,
    step: '1h',
    points: raw.out.ts.length,
    series: SERIES,
    scrapeSeconds: SCRAPE_MS / 1000,
    samples: SERIES * PER_DAY * DAYS,
    setupMs,
    raw: { ms: raw.ms, readUnits: raw.readUnits, readBytes: raw.readBytes },
    rollups1h: { ms: fromRollups.ms, readUnits: fromRollups.readUnits, readBytes: fromRollups.readBytes },
    rawOverRollupTime: Math.round((raw.ms / Math.max(1, fromRollups.ms)) * 10) / 10,
    maxRelativeDifference,
  };
}

export async function rangeQueries(T0: number) {
  return { oneSeries: await oneSeries(T0), thousandSeriesSummed: await thousandSeries(T0) };
}
