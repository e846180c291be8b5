import {
  type NormalizedSeries,
  RESOLUTIONS,
  type Sample,
  STALE as STALE_FLAG,
  validateSeries,
} from '@vigil/core/metrics';
import type { TableStore } from '@vigil/core/ports';
import { evaluateInstant } from '@vigil/core/promql';
import { describe, expect, it } from 'vitest';
import { compactSegments } from './compaction';
import { createMetricQuerier } from './index';
import { LATE_PK, PACKED, packedPk, SEGMENT_SHARDS, segmentPk, WINDOW_MS, windowOf } from './layout';
import { RollupStore } from './rollups';
import { MetricStore } from './store';

const T = Date.parse('2026-11-20T12:00:00Z');
/** Late enough that the windows of every sample these tests write have closed. */
const LATER = T + 3 * 3_600_000;
/** Prometheus's stale marker: a NaN with its own payload. */
const STALE = new DataView(new Uint8Array([0x7f, 0xf0, 0, 0, 0, 0, 0, 2]).buffer).getFloat64(0);
/** A value's bits, a NaN's quiet bit set (V8 sets it on signalling NaNs in number arrays). */
const bits = (v: number) => {
  const view = new DataView(new ArrayBuffer(8));
  view.setFloat64(0, v);
  return (view.getBigUint64(0) | (Number.isNaN(v) ? 0x0008000000000000n : 0n)).toString(16);
};
const MAX_ITEM_BYTES = 350 * 1024;

let seq = 0;
/** A metric name no other test of the run uses, so tests share one table safely. */
const fresh = (base: string) => `${base}_${Date.now().toString(36)}_${seq++}`;

function series(name: string, labels: Record<string, string>, samples: Sample[]) {
  const { series: s, errors } = validateSeries({ name, labels, samples }, 0);
  if (!s) throw new Error(JSON.stringify(errors));
  return s as NormalizedSeries;
}

/** Segment items of the windows around T, and late ones. */
async function segmentItems(table: TableStore) {
  const items = [];
  for (let w = windowOf(T) - 2 * WINDOW_MS; w <= windowOf(T); w += WINDOW_MS)
    for (let s = 0; s < SEGMENT_SHARDS; s++)
      items.push(...(await table.query({ pk: segmentPk(w, s), limit: 1000 })).items);
  items.push(...(await table.query({ pk: LATE_PK, limit: 1000 })).items);
  return items;
}

async function indexed(store: MetricStore, name: string) {
  const [found] = await store.findSeries([{ name: '__name__', type: '=', value: name }]);
  return found;
}

/**
 * The behaviour every metric store keeps, whatever the table underneath: run once on the
 * in-memory table and once on DynamoDB.
 */
export function metricStoreContract(label: string, makeTable: () => Promise<TableStore>): void {
  describe(`MetricStore on ${label}`, () => {
    it('answers a sample as soon as write returns, before any compaction', async () => {
      const store = new MetricStore(await makeTable());
      const name = fresh('fresh_gauge');
      await store.write([series(name, { job: 'a' }, [[T, 7]])], T);
      const [got] = await store.select([{ name: '__name__', type: '=', value: name }], T - 1000, T);
      expect(got).toEqual({ labels: { __name__: name, job: 'a' }, ts: [T], vs: [7] });
    });

    it('keeps one sample per timestamp when the same samples are sent again; the last write wins', async () => {
      const table = await makeTable();
      const store = new MetricStore(table);
      const name = fresh('dup_gauge');
      const samples: Array<[number, number]> = [0, 1, 2].map((i) => [T - i * 60_000, i]);
      await store.write([series(name, {}, samples)], T);
      await store.write([series(name, {}, samples)], T + 1);
      await store.write([series(name, {}, [[T, 42]])], T + 2);
      const matchers = [{ name: '__name__', type: '=' as const, value: name }];
      const [before] = await store.select(matchers, T - 600_000, T);
      expect(before.vs).toEqual([2, 1, 42]);
      await compactSegments(store, new RollupStore(table), LATER);
      const [after] = await store.select(matchers, T - 600_000, T);
      expect(after).toEqual(before);
      // Sent once more after compaction: still one sample per timestamp.
      await store.write([series(name, {}, samples)], LATER);
      await store.write([series(name, {}, [[T, 42]])], LATER + 1);
      const [again] = await store.select(matchers, T - 600_000, T);
      expect(again).toEqual(before);
    });

    it('keeps the stale marker and other special values bit for bit, before and after compaction', async () => {
      const table = await makeTable();
      const store = new MetricStore(table);
      const name = fresh('stale_gauge');
      const values = [1.25, STALE, Number.NaN, Number.POSITIVE_INFINITY, Number.NEGATIVE_INFINITY, -0];
      // The marker as decoders hand it: flagged, whatever NaN stands for it (here one without its payload).
      const samples = values.map((v, i): Sample => [T - 60_000 * (6 - i), i === 1 ? Number.NaN : v]);
      samples[1][2] = STALE_FLAG;
      await store.write([series(name, {}, samples)], T);
      const matchers = [{ name: '__name__', type: '=' as const, value: name }];
      for (const compacted of [false, true]) {
        if (compacted) await compactSegments(store, new RollupStore(table), LATER);
        const [got] = await store.select(matchers, T - 3_600_000, T);
        // The flag tells the marker (a NaN number's payload may not last); other values keep their bits.
        expect(got.vs.map((v, i) => (i === 1 ? Number.isNaN(v) : bits(v)))).toEqual(
          values.map((v, i) => (i === 1 ? true : bits(v))),
        );
        expect([...(got.stale ?? [])]).toEqual([0, 1, 0, 0, 0, 0]);
      }
    });

    it('answers a sample of an already compacted window at once, and folds it in later once', async () => {
      const table = await makeTable();
      const store = new MetricStore(table);
      const rollups = new RollupStore(table);
      const name = fresh('late_gauge');
      await store.write([series(name, {}, [[T - 1_800_000, 1]])], T);
      await compactSegments(store, rollups, LATER);
      await store.write([series(name, {}, [[T - 1_200_000, 2]])], LATER);
      const matchers = [{ name: '__name__', type: '=' as const, value: name }];
      expect((await store.select(matchers, T - 3_600_000, T))[0].vs).toEqual([1, 2]);
      const run = await compactSegments(store, rollups, LATER + 600_000);
      expect(run.late).toBe(1);
      expect((await store.select(matchers, T - 3_600_000, T))[0].vs).toEqual([1, 2]);
      const s = await indexed(store, name);
      const hours = await rollups.read('1h', s, T - 3_600_000, T);
      expect(hours.map((b) => [b.count, b.sum])).toEqual([[2, 3]]);
      // Nothing left to fold: a second run changes nothing.
      expect((await compactSegments(store, rollups, LATER + 900_000)).late).toBe(0);
    });

    it('answers samples of windows compaction has not reached, however far behind it is', async () => {
      const table = await makeTable();
      const store = new MetricStore(table);
      const name = fresh('behind_gauge');
      const later = T + 20 * 86_400_000;
      await store.write([series(name, {}, [[T, 1]])], T);
      await store.write([series(name, {}, [[later, 2]])], later);
      const matchers = [{ name: '__name__', type: '=' as const, value: name }];
      expect((await store.select(matchers, T - 1, later))[0].vs).toEqual([1, 2]);
      await compactSegments(store, new RollupStore(table), later, { maxWindows: 1 });
      expect((await store.select(matchers, T - 1, later))[0].vs).toEqual([1, 2]);
      await compactSegments(store, new RollupStore(table), later + 3 * 3_600_000);
      expect((await store.select(matchers, T - 1, later))[0].vs).toEqual([1, 2]);
    });

    it('answers a sample written with a clock set back behind compaction, and folds it in', async () => {
      const table = await makeTable();
      const store = new MetricStore(table);
      const rollups = new RollupStore(table);
      const name = fresh('clock_gauge');
      await store.write([series(name, {}, [[T - 1_800_000, 1]])], T);
      await compactSegments(store, rollups, LATER);
      await store.write([series(name, { other: 'x' }, [[LATER, 5]])], LATER);
      // The clock goes back to T: by it, the first window is still open.
      await store.write([series(name, {}, [[T - 1_200_000, 2]])], T);
      const matchers = [
        { name: '__name__', type: '=' as const, value: name },
        { name: 'other', type: '=' as const, value: '' },
      ];
      expect((await store.select(matchers, T - 3_600_000, T))[0].vs).toEqual([1, 2]);
      await compactSegments(store, rollups, LATER + 600_000);
      expect((await store.select(matchers, T - 3_600_000, T))[0].vs).toEqual([1, 2]);
      const [s] = await store.findSeries(matchers);
      expect((await rollups.read('1h', s, T - 3_600_000, T)).map((b) => b.count)).toEqual([2]);
    });

    it('leaves an open window in its segments until its grace period has passed', async () => {
      const table = await makeTable();
      const store = new MetricStore(table);
      const name = fresh('open_gauge');
      await store.write([series(name, {}, [[T - 60_000, 1]])], T);
      const window = windowOf(T - 60_000);
      const end = window + WINDOW_MS;
      expect((await compactSegments(store, new RollupStore(table), end + 60_000)).samples).toBe(0);
      expect((await store.state()).closedThrough).toBeLessThanOrEqual(window);
      expect((await compactSegments(store, new RollupStore(table), end + 15 * 60_000)).samples).toBe(1);
      expect((await store.state(true)).closedThrough).toBe(end);
      const [got] = await store.select([{ name: '__name__', type: '=', value: name }], T - 3_600_000, T);
      expect(got.vs).toEqual([1]);
    });

    it('compacts a closed window into packed blocks and rollups, with every sample kept once', async () => {
      const table = await makeTable();
      const store = new MetricStore(table);
      const rollups = new RollupStore(table);
      const name = fresh('compact_counter');
      const samples: Array<[number, number]> = Array.from({ length: 120 }, (_, i) => [
        T - 3_600_000 + i * 30_000,
        i,
      ]);
      const s = series(name, { instance: 'x' }, samples);
      await store.write([s], T);
      const run = await compactSegments(store, rollups, LATER);
      expect(run).toMatchObject({ samples: 120, blocks: 1 });
      // Segments are not rewritten or deleted: they expire, and readers no longer need them.
      for (const item of await segmentItems(table)) expect(item.expiresAt).toBeGreaterThan(LATER / 1000);
      const [got] = await store.select([{ name: '__name__', type: '=', value: name }], 0, T + 1);
      expect(got.ts).toEqual(samples.map(([t]) => t));
      expect(got.vs).toEqual(samples.map(([, v]) => v));
      const { num } = await indexed(store, name);
      expect((await table.query({ pk: packedPk('raw', Math.floor(num / 64)) })).items.length).toBe(1);
      const hours = await rollups.read('1h', { num }, 0, T);
      expect(hours.reduce((n, b) => n + b.count, 0)).toBe(120);
      expect(hours.reduce((n, b) => n + b.sum, 0)).toBe((119 * 120) / 2);
      expect(Math.min(...hours.map((b) => b.min))).toBe(0);
      expect(Math.max(...hours.map((b) => b.max))).toBe(119);
      const fives = await rollups.read('5m', { num }, 0, T);
      expect(fives.length).toBe(12);
      expect(fives.map((b) => b.count)).toEqual(Array(12).fill(10));
    });

    it("keeps a label set's memo per store, so stores never mix up series numbers", async () => {
      const a = new MetricStore(await makeTable());
      const b = new MetricStore(await makeTable());
      const name = fresh('memo_gauge');
      const other = fresh('memo_other');
      // b numbers another series first, so the same series may get different numbers in a and b.
      await b.write([series(other, {}, [[T, 1]])], T);
      const memo = {};
      const s = { ...series(name, {}, [[T, 5]]), memo };
      // Known to a from its second write on: a keeps its number in the memo.
      await a.write([s], T);
      await a.write([{ ...s, samples: [[T + 2, 7]] }], T);
      await b.write([{ ...s, samples: [[T + 1, 6]] }], T);
      const read = async (store: MetricStore, metric: string) =>
        (await store.select([{ name: '__name__', type: '=', value: metric }], T - 1, T + 5))[0];
      expect(await read(a, name)).toMatchObject({ ts: [T, T + 2], vs: [5, 7] });
      expect(await read(b, name)).toMatchObject({ ts: [T + 1], vs: [6] });
      expect(await read(b, other)).toMatchObject({ ts: [T], vs: [1] });
    });

    it('reads the rollups of many series across groups at once, as one by one', async () => {
      const table = await makeTable();
      const store = new MetricStore(table);
      const rollups = new RollupStore(table);
      const name = fresh('many_gauge');
      // 70 series: more than one group of 64, whatever numbers they get.
      const input = Array.from({ length: 70 }, (_, k) =>
        series(name, { k: String(k) }, [
          [T - 3_600_000 + k, k],
          [T - 1_800_000, 2 * k],
        ]),
      );
      await store.write(input, T);
      await compactSegments(store, rollups, LATER);
      const found = await store.findSeries([{ name: '__name__', type: '=', value: name }]);
      expect(new Set(found.map((s) => Math.floor(s.num / 64))).size).toBeGreaterThan(1);
      const many = await rollups.readMany('1h', [...found, { num: 1e9 }], 0, T);
      expect(many.size).toBe(70);
      expect(many.has(1e9)).toBe(false);
      for (const s of found) {
        expect(many.get(s.num)).toEqual(await rollups.read('1h', s, 0, T));
        expect(many.get(s.num)!.reduce((n, b) => n + b.sum, 0)).toBe(3 * Number(s.labels.k));
      }
      // Without sketches: the same buckets, empty sketches.
      const bare = await rollups.readMany('1h', found, 0, T, { sketches: false });
      for (const s of found)
        expect(bare.get(s.num)).toEqual(
          many.get(s.num)!.map((b) => ({ ...b, sketch: { p: {}, n: {}, z: 0 } })),
        );
    });

    it('keeps rollups whole when a block is compacted in several runs', async () => {
      const table = await makeTable();
      const store = new MetricStore(table);
      const rollups = new RollupStore(table);
      const name = fresh('incremental_gauge');
      const all: Array<[number, number]> = Array.from({ length: 120 }, (_, i) => [
        T - 3_600_000 + i * 30_000,
        i,
      ]);
      const s = series(name, {}, all);
      let now = T;
      for (const part of [all.slice(0, 50), all.slice(50, 90), all.slice(90)]) {
        await store.write([{ ...s, samples: part }], now);
        now = now === T ? LATER : now + 600_000;
        await compactSegments(store, rollups, now);
      }
      const found = await indexed(store, name);
      for (const res of ['5m', '15m', '1h', '1d'] as const) {
        const buckets = await rollups.read(res, found, 0, T);
        expect(
          buckets.reduce((n, b) => n + b.count, 0),
          res,
        ).toBe(120);
        expect(
          buckets.reduce((n, b) => n + b.sum, 0),
          res,
        ).toBe((119 * 120) / 2);
      }
    });

    it('keeps every ingest item under 350 KB even for a large request', async () => {
      const table = await makeTable();
      const store = new MetricStore(table);
      const name = fresh('wide_gauge');
      const many = Array.from({ length: 2000 }, (_, i) =>
        series(
          name,
          { pod: `pod-${i}` },
          Array.from({ length: 100 }, (_, j) => [T - j * 15_000, Math.random() * 1e6]),
        ),
      );
      const written = await store.write(many, T);
      expect(written).toBeGreaterThanOrEqual(1);
      const mine = (await segmentItems(table)).filter((i) =>
        String(i.SK).startsWith(String(T).padStart(15, '0')),
      );
      for (const item of mine) expect((item.data as Uint8Array).byteLength).toBeLessThan(MAX_ITEM_BYTES);
      const all = await store.select([{ name: '__name__', type: '=', value: name }], T - 3_600_000, T);
      expect(all.length).toBe(2000);
      expect(all.reduce((n, s) => n + s.ts.length, 0)).toBe(200_000);
    }, 60_000);

    it('sets a TTL on blocks and rollups by resolution', async () => {
      const table = await makeTable();
      const store = new MetricStore(table);
      const name = fresh('ttl_gauge');
      const s = series(name, {}, [[T, 1]]);
      await store.write([s], T);
      await compactSegments(store, new RollupStore(table), LATER);
      const group = Math.floor((await indexed(store, name)).num / 64);
      const [block] = (await table.query({ pk: packedPk('raw', group) })).items;
      expect(block.expiresAt).toBeGreaterThan(T / 1000 + 14 * 86_400);
      expect(block.expiresAt).toBeLessThan(T / 1000 + 16 * 86_400);
      const kinds = { '5m': 'fine', '15m': 'fine', '1h': 'hourly', '1d': 'hourly' } as const;
      for (const res of Object.keys(RESOLUTIONS) as Array<keyof typeof RESOLUTIONS>) {
        const [item] = (await table.query({ pk: packedPk(kinds[res], group) })).items;
        expect(item.data).toBeInstanceOf(Uint8Array);
        expect(String(item.PK).startsWith(`${PACKED[kinds[res]].prefix}#`)).toBe(true);
        expect(item.expiresAt).toBeGreaterThanOrEqual(T / 1000 + RESOLUTIONS[res].retentionDays * 86_400);
      }
    });

    it('gives a new series one number when two writers see it first at the same time', async () => {
      const table = await makeTable();
      const [a, b] = [new MetricStore(table), new MetricStore(table)];
      const name = fresh('race_gauge');
      const labelSets = Array.from({ length: 20 }, (_, i) => ({ pod: `p${i}` }));
      await Promise.all([
        a.write(
          labelSets.map((l) => series(name, l, [[T - 1000, 1]])),
          T,
        ),
        b.write(
          labelSets.map((l) => series(name, l, [[T, 2]])),
          T,
        ),
      ]);
      const found = await a.findSeries([{ name: '__name__', type: '=', value: name }]);
      expect(found.length).toBe(20);
      for (const store of [a, b, new MetricStore(table)]) {
        const got = await store.select([{ name: '__name__', type: '=', value: name }], T - 60_000, T);
        expect(got.map((s) => s.vs)).toEqual(Array(20).fill([1, 2]));
      }
      await compactSegments(a, new RollupStore(table), LATER);
      const after = await b.select([{ name: '__name__', type: '=', value: name }], T - 60_000, T);
      expect(after.map((s) => s.vs)).toEqual(Array(20).fill([1, 2]));
    });

    it('indexes label names and values and matches series by regex', async () => {
      const store = new MetricStore(await makeTable());
      const name = fresh('idx_gauge');
      await store.write(
        ['api', 'web', 'db'].map((svc) => series(name, { svc }, [[T, 1]])),
        T,
      );
      expect(await store.labelValues('svc')).toEqual(expect.arrayContaining(['api', 'web', 'db']));
      expect(await store.labelNames()).toEqual(expect.arrayContaining(['__name__', 'svc']));
      const found = await store.findSeries([
        { name: '__name__', type: '=', value: name },
        { name: 'svc', type: '=~', value: 'a.*|w.*' },
      ]);
      expect(found.map((f) => f.labels.svc).sort()).toEqual(['api', 'web']);
    });

    it('serves PromQL through the querier built from the store', async () => {
      const table = await makeTable();
      const store = new MetricStore(table);
      const name = fresh('pq_total');
      await store.write(
        [
          series(
            name,
            { job: 'j' },
            Array.from({ length: 11 }, (_, i) => [T - 600_000 + i * 60_000, i * 60]),
          ),
        ],
        T,
      );
      await compactSegments(store, new RollupStore(table), LATER);
      await store.write([series(name, { job: 'k' }, [[T, 5]])], LATER);
      const result = await evaluateInstant(`sum(${name})`, createMetricQuerier(store), T);
      expect(result.resultType).toBe('vector');
      const vector = result.resultType === 'vector' ? result.vector : [];
      expect(vector.map((s) => s.value)).toEqual([605]);
    });
  });
}
