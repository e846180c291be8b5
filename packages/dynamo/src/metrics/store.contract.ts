import { type NormalizedSeries, RESOLUTIONS, validateSeries } from '@vigil/core/metrics';
import type { TableStore } from '@vigil/core/ports';
import { evaluateInstant } from '@vigil/core/promql';
import { describe, expect, it } from 'vitest';
import { compactSegments } from './compaction';
import { createMetricQuerier } from './index';
import { RollupStore } from './rollups';
import { MetricStore, segmentPk } from './store';

const T = Date.parse('2026-11-20T12:00:00Z');
const MAX_ITEM_BYTES = 350 * 1024;

let seq = 0;
/** A metric name no other test of the run uses, so tests share one table safely. */
const fresh = (base: string) => `${base}_${Date.now().toString(36)}_${seq++}`;

function series(name: string, labels: Record<string, string>, samples: Array<[number, number]>) {
  const { series: s, errors } = validateSeries({ name, labels, samples }, 0);
  if (!s) throw new Error(JSON.stringify(errors));
  return s as NormalizedSeries;
}

async function segmentItems(table: TableStore) {
  const items = [];
  for (let s = 0; s < 4; s++) items.push(...(await table.query({ pk: segmentPk(s), limit: 1000 })).items);
  return items;
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
      await compactSegments(store, new RollupStore(table));
      const [after] = await store.select(matchers, T - 600_000, T);
      expect(after).toEqual(before);
    });

    it('compacts segments into blocks and rollups, deleting the segments, with every sample kept once', async () => {
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
      await compactSegments(store, rollups);
      expect(await segmentItems(table)).toEqual([]);
      const [got] = await store.select([{ name: '__name__', type: '=', value: name }], 0, T + 1);
      expect(got.ts).toEqual(samples.map(([t]) => t));
      const hours = await rollups.read('1h', s.id, 0, T);
      expect(hours.reduce((n, b) => n + b.count, 0)).toBe(120);
      expect(hours.reduce((n, b) => n + b.sum, 0)).toBe((119 * 120) / 2);
      expect(Math.min(...hours.map((b) => b.min))).toBe(0);
      expect(Math.max(...hours.map((b) => b.max))).toBe(119);
      const fives = await rollups.read('5m', s.id, 0, T);
      expect(fives.length).toBe(12);
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
      for (const part of [all.slice(0, 50), all.slice(50, 90), all.slice(90)]) {
        await store.write([{ ...s, samples: part }], T);
        await compactSegments(store, rollups);
      }
      for (const res of ['5m', '1h', '1d'] as const) {
        const buckets = await rollups.read(res, s.id, 0, T);
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
      await compactSegments(store, new RollupStore(table));
      const blocks = (await table.query({ pk: `BLK#${s.id}` })).items;
      expect(blocks[0].expiresAt).toBeGreaterThan(T / 1000 + 14 * 86_400);
      for (const res of Object.keys(RESOLUTIONS) as Array<keyof typeof RESOLUTIONS>) {
        const [item] = (await table.query({ pk: `RU#${res}#${s.id}` })).items;
        expect(item.expiresAt).toBeGreaterThanOrEqual(T / 1000 + RESOLUTIONS[res].retentionDays * 86_400);
      }
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
      await compactSegments(store, new RollupStore(table));
      await store.write([series(name, { job: 'k' }, [[T, 5]])], T);
      const result = await evaluateInstant(`sum(${name})`, createMetricQuerier(store), T);
      expect(result.resultType).toBe('vector');
      const vector = result.resultType === 'vector' ? result.vector : [];
      expect(vector.map((s) => s.value)).toEqual([605]);
    });
  });
}
