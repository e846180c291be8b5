import type { LogQuery, LogRecord } from '@vigil/core/logs';
import type { ItemKey } from '@vigil/core/ports';
import { compactLogChunks, itemBytes, LogStore, MemoryTableStore } from '@vigil/dynamo';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestRuntime } from '../support/runtime';

/**
 * Compaction merges the small chunks of small ingest requests: a search finds every record
 * exactly once before, during (a run cut short) and after it, and storage shrinks.
 */
const DAY = 86_400_000;
const T = Date.parse('2026-11-23T10:00:00Z');
const rec = (i: number, level: LogRecord['level'] = 'info'): LogRecord => ({
  timestamp: new Date(T - 3_600_000 + i * 1000).toISOString(),
  level,
  service: 'shop',
  message: `GET /cart/${i % 37} served in ${(i * 7) % 300} ms by pod-${i % 5}`,
  source: 'api',
  ...(i % 10 === 0 && { trace_id: `trace-${i}` }),
  attributes: i % 3 === 0 ? { route: '/cart', status: 200 + (i % 2) } : {},
});
const all: LogQuery = { text: [], fields: [], start: T - 2 * DAY, end: T + DAY };

async function stored(table: MemoryTableStore) {
  const { items } = await table.query({ pk: 'LOGIDX#shop' });
  let bytes = 0;
  for (const index of items) {
    bytes += itemBytes(index);
    const [chunk] = await table.batchGet([{ PK: `LOGCHUNK#${String(index.SK).split('#')[1]}`, SK: 'CHUNK' }]);
    bytes += itemBytes(chunk);
  }
  return { chunks: items.length, bytes, replaces: items.filter((i) => i.replaces).length };
}

describe('log chunk compaction', () => {
  it('merges small chunks once settled; searches see every record once', async () => {
    const table = new MemoryTableStore('logs');
    const store = new LogStore(table);
    for (let b = 0; b < 12; b++)
      await store.write(
        Array.from({ length: 100 }, (_, i) => rec(b * 100 + i)),
        T,
      );
    await store.write([rec(5000, 'error'), rec(5001, 'error')], T);
    const before = (await store.search(all)).records;
    expect(before).toHaveLength(1202);
    const start = await stored(table);
    expect(start.chunks).toBe(13);

    // Too fresh: a tail could still read these chunks.
    expect(await compactLogChunks(table, T + 3_600_000)).toMatchObject({ merged: 0, written: 0 });

    // The lone error chunk is not merged, only recompressed at the level kept chunks have.
    expect(await compactLogChunks(table, T + 2 * DAY)).toMatchObject({ merged: 12, written: 1, repacked: 1 });
    const after = await stored(table);
    expect(after).toMatchObject({ chunks: 2, replaces: 0 });
    expect(after.bytes).toBeLessThan(start.bytes * 0.8);
    expect((await store.search(all)).records).toEqual(before);
    expect((await store.search({ ...all, text: ['cart/12 served'] })).records).toEqual(
      before.filter((r) => r.message.includes('cart/12 served')),
    );
    expect(
      (
        await store.search({ ...all, fields: [{ field: 'trace_id', op: '=', value: 'trace-530' }] }, [
          'trace-530',
        ])
      ).records.map((r) => r.message),
    ).toEqual([rec(530).message]);
    // Nothing left to do.
    expect(await compactLogChunks(table, T + 2 * DAY)).toMatchObject({ merged: 0, written: 0, repacked: 0 });
  });

  it('a run cut short leaves every record found once, and the next run finishes', async () => {
    const table = new MemoryTableStore('logs');
    const store = new LogStore(table);
    for (let b = 0; b < 5; b++)
      await store.write(
        Array.from({ length: 50 }, (_, i) => rec(b * 50 + i)),
        T,
      );
    const before = (await store.search(all)).records;
    const batchDelete = table.batchDelete.bind(table);
    table.batchDelete = async (_keys: ItemKey[]) => {
      throw new Error('throttled');
    };
    await expect(compactLogChunks(table, T + 2 * DAY)).rejects.toThrow('throttled');
    // The merged chunk and its five sources are all stored now.
    expect((await stored(table)).chunks).toBe(6);
    expect((await store.search(all)).records).toEqual(before);
    table.batchDelete = batchDelete;
    await compactLogChunks(table, T + 2 * DAY);
    expect(await stored(table)).toMatchObject({ chunks: 1, replaces: 0 });
    expect((await store.search(all)).records).toEqual(before);
  });
});

describe('compact-logs job in the local runtime', () => {
  let rt: Awaited<ReturnType<typeof startTestRuntime>>;
  beforeAll(async () => {
    rt = await startTestRuntime();
  });
  afterAll(() => rt.cleanup());

  it('has index-logs give new chunks their filters within a minute', async () => {
    const t = rt.clock.now();
    const res = await rt.api(
      'POST',
      '/api/v1/logs',
      Array.from({ length: 50 }, (_, i) => ({
        timestamp: new Date(t - 1000 + i).toISOString(),
        service: 'indexsvc',
        message: `order ${i} shipped`,
      })),
    );
    expect(res.status).toBe(200);
    const q = (text: string) =>
      `/api/v1/logs/search?service=indexsvc&text=${text}&start=${new Date(t - DAY).toISOString()}&end=${new Date(t + DAY).toISOString()}`;
    // Not indexed yet: read whole, and nothing is missed.
    expect((await rt.api('GET', q('order%2017'))).body).toMatchObject({
      records: [{ message: 'order 17 shipped' }],
      stats: { chunksRead: 1, chunksSkipped: 0 },
    });
    expect((await rt.api('GET', q('refunded'))).body.stats).toEqual({ chunksRead: 1, chunksSkipped: 0 });
    await rt.advanceClock(60_000);
    expect((await rt.api('GET', q('refunded'))).body.stats).toEqual({ chunksRead: 0, chunksSkipped: 1 });
    expect((await rt.api('GET', q('order%2017'))).body.records).toHaveLength(1);
  });

  it('runs on its schedule and keeps search results', async () => {
    const t = rt.clock.now();
    for (let b = 0; b < 4; b++) {
      const res = await rt.api(
        'POST',
        '/api/v1/logs',
        Array.from({ length: 20 }, (_, i) => ({
          timestamp: new Date(t - 60_000 + b * 20 + i).toISOString(),
          service: 'jobsvc',
          message: `batch ${b} line ${i}`,
        })),
      );
      expect(res.status).toBe(200);
    }
    const q = `/api/v1/logs/search?service=jobsvc&limit=1000&start=${new Date(t - DAY).toISOString()}&end=${new Date(t + 3 * DAY).toISOString()}`;
    const before = await rt.api('GET', q);
    expect(before.body.records).toHaveLength(80);
    expect(before.body.stats.chunksRead).toBe(4);
    rt.clock.set(t + 2 * DAY);
    await rt.runJob('compact-logs');
    const after = await rt.api('GET', q);
    expect(after.body.records).toEqual(before.body.records);
    expect(after.body.stats.chunksRead).toBe(1);
  });
});
