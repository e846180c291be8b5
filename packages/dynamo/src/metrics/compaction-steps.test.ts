import { type NormalizedSeries, type Sample, validateSeries } from '@vigil/core/metrics';
import type { Item, TableStore } from '@vigil/core/ports';
import { evaluateInstant, evaluateRange } from '@vigil/core/promql';
import { describe, expect, it } from 'vitest';
import { MemoryTableStore } from '../memory-table-store';
import { compactSegments } from './compaction';
import { createMetricQuerier } from './index';
import { GROUP_SIZE, PACKED, type PackedKind, packedPk, WINDOW_MS, windowOf } from './layout';
import { RollupStore } from './rollups';
import { MetricStore } from './store';

const T = windowOf(Date.parse('2026-11-20T12:00:00Z'));
/** Late enough that both windows written below have closed. */
const LATER = T + 2 * WINDOW_MS + 3_600_000;
const GROUPS = 5;
const SERIES = GROUPS * GROUP_SIZE - 7;
const matchers = [{ name: '__name__', type: '=' as const, value: 'steps_gauge' }];

function series(i: number, samples: Sample[]): NormalizedSeries {
  const { series: s, errors } = validateSeries({ name: 'steps_gauge', labels: { i: String(i) }, samples }, 0);
  if (!s) throw new Error(JSON.stringify(errors));
  return s as NormalizedSeries;
}

/**
 * Two windows of samples for every series, written by several ingest calls: each minute of the
 * first window and every fifth of the second, the last minute of each sent twice (the newer
 * value wins), so every group's samples are spread over many segments.
 */
async function ingest(table: TableStore): Promise<MetricStore> {
  const store = new MetricStore(table);
  for (let m = 0; m < 240; m += m < 120 ? 1 : 5) {
    const t = T + m * 60_000;
    await store.write(
      Array.from({ length: SERIES }, (_, i) => series(i, [[t, i * 1000 + m]])),
      t,
    );
  }
  for (const m of [119, 235]) {
    const t = T + m * 60_000;
    await store.write(
      Array.from({ length: SERIES }, (_, i) => series(i, [[t, -i]])),
      t + 60_000,
    );
  }
  return store;
}

async function packedItems(table: TableStore): Promise<Item[]> {
  const items: Item[] = [];
  for (const kind of Object.keys(PACKED) as PackedKind[])
    for (let g = 0; g < GROUPS; g++)
      items.push(...(await table.query({ pk: packedPk(kind, g), limit: 1000 })).items);
  return items;
}

/** Everything a reader can ask of the two windows: raw samples, and PromQL over them. */
async function answers(store: MetricStore) {
  const querier = createMetricQuerier(store);
  const end = T + 2 * WINDOW_MS - 1;
  const raw = (await store.select(matchers, T, end)).map((s) => ({ labels: s.labels, ts: s.ts, vs: s.vs }));
  raw.sort((a, b) => Number(a.labels.i) - Number(b.labels.i));
  return {
    raw,
    sum: await evaluateRange('sum(steps_gauge)', querier, T + 30 * 60_000, end, 15 * 60_000),
    count: await evaluateInstant('sum(count_over_time(steps_gauge[4h]))', querier, end),
  };
}

describe('compaction in bounded steps', () => {
  it('spreads a window over runs that stop at their deadline, and ends with the packed items of one run', async () => {
    const whole = new MemoryTableStore('metrics');
    const wholeStore = await ingest(whole);
    const one = await compactSegments(wholeStore, new RollupStore(whole), LATER);
    expect(one).toMatchObject({ windows: 2, groups: 2 * GROUPS, partial: false });

    const table = new MemoryTableStore('metrics');
    const store = await ingest(table);
    const before = await answers(store);
    expect(before.raw).toHaveLength(SERIES);
    expect(before.raw[3].ts).toHaveLength(120 + 24);
    // 120 one-minute samples and 24 five-minute ones per series, each counted once.
    expect(before.count.resultType === 'vector' && before.count.vector[0].value).toBe(SERIES * 144);
    expect(before).toEqual(await answers(wholeStore));

    const rollups = new RollupStore(table);
    const runs = [];
    // A deadline already passed: each run folds one group and saves where it stopped.
    for (let i = 0; i < 4 * GROUPS; i++) {
      const run = await compactSegments(store, rollups, LATER, { deadline: 0 });
      runs.push(run);
      // Between runs readers see every sample exactly once, as before compaction started.
      expect(await answers(store)).toEqual(before);
      if (!run.partial) break;
    }
    expect(runs.map((r) => r.groups)).toEqual(Array(2 * GROUPS).fill(1));
    expect(runs.map((r) => r.windows)).toEqual([0, 0, 0, 0, 1, 0, 0, 0, 0, 1]);
    expect(await store.state(true)).toEqual({ closedThrough: T + 2 * WINDOW_MS, lateThrough: '' });
    expect(await packedItems(table)).toEqual(await packedItems(whole));
    expect(await answers(store)).toEqual(before);
  });

  it('folds a window too large for memory in passes of groups, to the same packed items', async () => {
    const whole = new MemoryTableStore('metrics');
    const one = await compactSegments(await ingest(whole), new RollupStore(whole), LATER);
    for (const passSamples of [1, 20_000]) {
      const table = new MemoryTableStore('metrics');
      const store = await ingest(table);
      const run = await compactSegments(store, new RollupStore(table), LATER, { passSamples });
      expect(run).toEqual(one);
      expect(await packedItems(table)).toEqual(await packedItems(whole));
    }
  });

  it('goes on from the saved group when the deadline comes part-way', async () => {
    const table = new MemoryTableStore('metrics');
    const store = await ingest(table);
    const rollups = new RollupStore(table);
    // A clock that ticks once a look, past the deadline after three groups (the first is folded
    // without a look).
    let ticks = 0;
    const clock = () => ticks++;
    const first = await compactSegments(store, rollups, LATER, { deadline: 2, clock });
    expect(first).toMatchObject({ windows: 0, groups: 3, partial: true });
    expect((await store.state(true)).folding).toEqual({ window: T, group: 3 });
    // A late sample for a series of a folded group, and one sent again: read once, the newest.
    const at = T + 30 * 60_000;
    await store.write([series(1, [[at, 7]]), series(1, [[at + 1, 8]])], LATER);
    await store.write([series(1, [[at, 9]])], LATER + 1);
    const one = async () => {
      const [s] = await store.select(
        [...matchers, { name: 'i', type: '=', value: '1' }],
        at - 60_000,
        at + 60_000,
      );
      return s.ts.map((t, i) => [t - at, s.vs[i]]);
    };
    expect(await one()).toEqual([
      [-60_000, 1029],
      [0, 9],
      [1, 8],
      [60_000, 1031],
    ]);
    const rest = await compactSegments(store, rollups, LATER + 3 * 60_000);
    expect(rest).toMatchObject({ windows: 2, groups: GROUPS - 3 + GROUPS, late: 2, partial: false });
    expect((await store.state(true)).folding).toBeUndefined();
    expect(await one()).toEqual([
      [-60_000, 1029],
      [0, 9],
      [1, 8],
      [60_000, 1031],
    ]);
  });
});
