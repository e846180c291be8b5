import type { LogRecord } from '@vigil/core/logs';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { MemoryTableStore } from '../memory-table-store';
import { type ChunkOutput, chunkIndexOf, INGEST_WRITING, streamChunks } from './chunks';
import { compactLogChunks } from './compact';
import { INDEX_GIVE_UP_MS, INDEXED_KEY, indexLogChunks } from './index-chunks';
import { LogStore } from './store';

const T = Date.parse('2026-11-23T10:00:00Z');
const rec = (i: number, service = 'api'): LogRecord => ({
  timestamp: new Date(T - 60_000 + i * 10).toISOString(),
  level: 'info',
  service,
  message: `request ${i} served by worker-${i % 7} in ${i % 50} ms`,
  source: 'app',
  ...(i % 5 === 0 && { trace_id: `trace-${i}` }),
  attributes: {},
});
const all = { text: [], fields: [], start: T - 3_600_000, end: T + 3_600_000 };

async function setUp(services = ['api']) {
  const table = new MemoryTableStore('logs');
  const store = new LogStore(table);
  for (const s of services)
    await store.write(
      Array.from({ length: 500 }, (_, i) => rec(i, s)),
      T,
    );
  const index = async (service = 'api') =>
    (await table.query({ pk: `LOGIDX#${service}` })).items.map(chunkIndexOf);
  /** The chunks of these services still without their filter. */
  const pending = async () =>
    (await Promise.all(services.map((s) => index(s)))).flat().filter((i) => i.filter === undefined);
  return { table, store, pending, index };
}

describe('index-logs: token filters for the chunks ingest wrote', () => {
  it('gives each pending chunk its filter and block table, once', async () => {
    const { table, store, pending, index } = await setUp(['api', 'web']);
    expect(await pending()).toHaveLength(2);
    expect((await index())[0].filter).toBeUndefined();
    const before = await store.search({ ...all, text: ['worker-3'] });

    expect(await indexLogChunks(table, T + 60_000)).toEqual({ indexed: 2, dropped: 0, more: false });
    expect(await pending()).toHaveLength(0);
    const [indexed] = await index();
    expect(indexed.filter).toBeInstanceOf(Uint8Array);
    expect(indexed.blocks).toBeInstanceOf(Uint8Array);
    // Same records, same order; a term in no record now skips the chunks unread.
    expect((await store.search({ ...all, text: ['worker-3'] })).records).toEqual(before.records);
    expect((await store.search({ ...all, text: ['worker-9'] })).stats).toEqual({
      chunksRead: 0,
      chunksSkipped: 2,
    });
    const byTrace = { ...all, fields: [{ field: 'trace_id', op: '=' as const, value: 'trace-35' }] };
    expect((await store.search(byTrace, ['trace-35'])).records).toHaveLength(2);
    expect((await store.search(byTrace, ['trace-36'])).stats).toEqual({ chunksRead: 0, chunksSkipped: 2 });
    expect(await indexLogChunks(table, T + 120_000)).toEqual({ indexed: 0, dropped: 0, more: false });
  });

  it("builds from a chunk's data the very filter and block table built from its records", async () => {
    const text = fc.string({
      unit: fc.constantFrom('a', 'Z', '9', ' ', '"', '\\', '\n', 'é', 'Σ', '\u0001', '-', '_', '/'),
    });
    await fc.assert(
      fc.asyncProperty(
        fc.array(
          fc.record({
            message: text,
            pad: fc.nat({ max: 9000 }),
            trace: fc.option(text),
            span: fc.option(text),
          }),
          { minLength: 1, maxLength: 40 },
        ),
        async (rows) => {
          const records = rows.map((r, i) => ({
            ...rec(i),
            message: `${r.message}${'x'.repeat(r.pad)}`,
            ...(r.trace && { trace_id: r.trace }),
            ...(r.span && { span_id: r.span }),
            attributes: i % 3 ? {} : { k: r.message },
          }));
          const eager: ChunkOutput = { items: [], arrivals: [], stats: [] };
          streamChunks(records, 86_400_000, T, eager, { ...INGEST_WRITING, indexed: true });
          const table = new MemoryTableStore('logs');
          await new LogStore(table).write(records, T);
          await indexLogChunks(table, T);
          const built = (await table.query({ pk: 'LOGIDX#api' })).items;
          const want = eager.items.filter((i) => String(i.PK).startsWith('LOGIDX#'));
          expect(built.map((i) => [i.filter, i.blocks])).toEqual(want.map((i) => [i.filter, i.blocks]));
        },
      ),
      { numRuns: 60 },
    );
  });

  it('does many arrivals, several chunks at a time, in order', async () => {
    const services = Array.from({ length: 40 }, (_, i) => `svc-${i}`);
    const { table, pending } = await setUp(services);
    expect(await pending()).toHaveLength(40);
    expect(await indexLogChunks(table, T)).toEqual({ indexed: 40, dropped: 0, more: false });
    expect(await pending()).toHaveLength(0);
    expect(await table.get(INDEXED_KEY)).toMatchObject({ seq: 40 });
  });

  it('stops at its deadline and the next run finishes', async () => {
    const { table, pending } = await setUp(['a', 'b', 'c']);
    expect(await indexLogChunks(table, T, Date.now() - 1)).toEqual({ indexed: 0, dropped: 0, more: true });
    expect(await pending()).toHaveLength(3);
    expect(await indexLogChunks(table, T)).toEqual({ indexed: 3, dropped: 0, more: false });
    expect(await table.get(INDEXED_KEY)).toMatchObject({ seq: 3 });
  });

  it('waits for an arrival still in flight, and passes one that failed', async () => {
    const { table, store, pending } = await setUp(['a']);
    // Arrival 2 took its number but is not written yet; 3 is.
    await table.increment({ PK: 'LOGSEQ', SK: 'SEQ' }, { seq: 1 });
    await store.write([rec(1, 'b')], T);
    expect(await indexLogChunks(table, T)).toEqual({ indexed: 1, dropped: 0, more: false });
    expect(await pending()).toHaveLength(0);
    expect((await table.query({ pk: 'LOGIDX#b' })).items[0].filter).toBeUndefined();
    // Long past the grace a writer has, arrival 2 is taken for a failed write.
    const [arrival] = (await table.query({ pk: 'LOGTAIL#0', sk: { gte: '000000000000003' } })).items;
    await table.put({ ...arrival, at: Date.now() - 60_000 });
    expect(await indexLogChunks(table, T)).toEqual({ indexed: 1, dropped: 0, more: false });
    expect((await table.query({ pk: 'LOGIDX#b' })).items[0].filter).toBeInstanceOf(Uint8Array);
  });

  it('keeps the expiry a retention set meanwhile gave the chunk', async () => {
    const { table, index } = await setUp();
    // As if setRetention re-dated the item between the job's read and its write.
    await table.put({ PK: 'LOGRETENTION', SK: 'api', days: 90 });
    expect(await indexLogChunks(table, T)).toMatchObject({ indexed: 1 });
    const [chunk] = await table.query({ pk: 'LOGIDX#api' }).then((p) => p.items);
    const [indexed] = await index();
    expect(chunk.expiresAt).toBe(Math.floor((indexed.maxT + 90 * 86_400_000) / 1000));
    expect(indexed.filter).toBeInstanceOf(Uint8Array);
  });

  it('drops what is gone and never brings back a deleted chunk', async () => {
    const { table, index } = await setUp();
    const [chunk] = await index();
    await table.batchDelete([
      { PK: 'LOGIDX#api', SK: `${String(chunk.maxT).padStart(15, '0')}#${chunk.id}` },
      { PK: `LOGCHUNK#${chunk.id}`, SK: 'CHUNK' },
    ]);
    expect(await indexLogChunks(table, T)).toEqual({ indexed: 0, dropped: 1, more: false });
    expect(await index()).toHaveLength(0);
  });

  it('leaves chunks older than its window to compaction, which indexes them', async () => {
    const { table, store, pending, index } = await setUp();
    const later = T + INDEX_GIVE_UP_MS + 1;
    expect(await indexLogChunks(table, later)).toEqual({ indexed: 0, dropped: 1, more: false });
    expect(await pending()).toHaveLength(1);
    await compactLogChunks(table, T + 2 * 86_400_000);
    const [kept] = await index();
    expect(kept.filter).toBeInstanceOf(Uint8Array);
    expect((await store.search({ ...all, text: ['worker-9'] })).stats.chunksSkipped).toBe(1);
  });
});
