import { gzipSync } from 'node:zlib';
import {
  blocksFor,
  ChunkFilter,
  decodeBlockIndex,
  encodeChunk,
  encodeLine,
  type LogQuery,
  type LogRecord,
  matchesQuery,
  TrigramBloom,
  trigrams,
} from '@vigil/core/logs';
import type { Item } from '@vigil/core/ports';
import {
  chunkIndexOf,
  chunkRecords,
  compactLogChunks,
  indexLogChunks,
  LogStore,
  MemoryTableStore,
  padKey,
} from '@vigil/dynamo';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';

/**
 * Chunk format 3 (blocks compressed on their own, each with its time range and keys in the
 * index item): a search reads only the blocks that may match and finds exactly what the plain
 * filter finds; chunks of formats 1 and 2 written before it stay readable, and compaction
 * rewrites them in format 3.
 */
const DAY = 86_400_000;
const T = Date.parse('2026-11-23T10:00:00Z');
const all: LogQuery = { text: [], fields: [], start: T - 2 * DAY, end: T + DAY };
/** HDFS-like block ids: 19 scattered digits. */
const blockId = (i: number) =>
  `blk_-${Math.imul(i + 1, 0x9e3779b1) >>> 0}${String(Math.imul(i + 7, 0x85ebca6b) >>> 0).padStart(10, '0')}`;
const rec = (i: number, extra: Partial<LogRecord> = {}): LogRecord => ({
  timestamp: new Date(T - 3_600_000 + i * 1000).toISOString(),
  level: 'info',
  service: 'hdfs',
  message: `PacketResponder ${i % 3} for block ${blockId(i)} terminating at /10.250.${i % 256}.7:50010`,
  source: 'datanode',
  ...(i % 10 === 0 && { trace_id: `trace-${i}` }),
  attributes: i % 4 === 0 ? { route: '/write', bytes: i * 17 } : {},
  ...extra,
});

async function indexItems(table: MemoryTableStore, service: string) {
  return (await table.query({ pk: `LOGIDX#${service}` })).items.map(chunkIndexOf);
}

describe('chunk format 3', () => {
  it('reads only the blocks a rare id can be in, and finds what the plain filter finds', async () => {
    const table = new MemoryTableStore('logs');
    const store = new LogStore(table);
    const records = Array.from({ length: 6000 }, (_, i) => rec(i));
    await store.write(records, T);
    const newestFirst = [...records].reverse();
    const rare: LogQuery = { ...all, text: [`for block ${blockId(1234)}`] };
    // As ingest writes it, a chunk has no token filter yet: a search reads it whole.
    const [fresh] = await indexItems(table, 'hdfs');
    expect(fresh.filter).toBeUndefined();
    expect(await store.search(rare)).toMatchObject({
      records: newestFirst.filter((r) => matchesQuery(r, rare)),
      stats: { chunksRead: 1, chunksSkipped: 0 },
    });
    expect(await indexLogChunks(table, T)).toEqual({ indexed: 1, dropped: 0, more: false });
    const [index] = await indexItems(table, 'hdfs');
    expect(index.format).toBe(3);
    expect(await store.search({ ...all, text: ['not in any record'] })).toMatchObject({
      records: [],
      stats: { chunksRead: 0, chunksSkipped: 1 },
    });
    const blocks = decodeBlockIndex(index.base ?? 0, index.blocks as Uint8Array);
    expect(blocks.length).toBeGreaterThan(5);

    expect(blocksFor(blocks, rare)).toHaveLength(1);
    // A window inside one block's time range reads that block alone.
    expect(blocksFor(blocks, { ...all, start: T - 3_600_000 + 10_000, end: T - 3_600_000 + 20_000 })).toEqual(
      [0],
    );

    for (const q of [
      rare,
      { ...all, text: [blockId(77).slice(5)] },
      { ...all, text: ['PACKETRESPONDER 2', '.7:50010'] },
      { ...all, text: ['terminating'], start: T - 3_000_000, end: T - 2_000_000 },
      { ...all, fields: [{ field: 'route', op: '=', value: '/write' }], text: ['responder 1'] },
      { ...all, text: [`${blockId(5)} x`] },
    ] satisfies LogQuery[]) {
      const got = await store.search(q);
      expect(got.records).toEqual(newestFirst.filter((r) => matchesQuery(r, q)));
    }
    const byTrace = await store.search(
      { ...all, fields: [{ field: 'trace_id', op: '=', value: 'trace-120' }] },
      ['trace-120'],
    );
    expect(byTrace.records).toEqual([records[120]]);
  });

  it('any records, any terms: a multi-block search equals the plain filter', async () => {
    const words = [
      'alpha',
      'Beta',
      'blk_-',
      '12345678',
      '90123456',
      'Σίσυφος',
      'İstanbul',
      '"q"',
      '\\',
      '\n',
      ' ',
      '/',
      '-',
    ];
    const message = fc.array(fc.constantFrom(...words), { maxLength: 12 }).map((w) => w.join(''));
    await fc.assert(
      fc.asyncProperty(
        fc.array(
          fc.record({ message, pad: fc.integer({ min: 2000, max: 9000 }), dt: fc.nat({ max: 600_000 }) }),
          { minLength: 1, maxLength: 40, size: 'medium' },
        ),
        // Terms cut from the records' messages (so that they are found), or not.
        fc.array(
          fc.oneof(
            fc.tuple(fc.nat(), fc.nat(), fc.nat({ max: 24 })),
            fc.constantFrom('blk_-12345678', '/90123456', 'a 12345678'),
          ),
          { maxLength: 2 },
        ),
        fc.option(fc.nat({ max: 600_000 }), { nil: undefined }),
        async (rows, cuts, from) => {
          const table = new MemoryTableStore('logs');
          const store = new LogStore(table);
          // Padding makes lines long, so a few dozen records fill several blocks.
          const records = rows.map((r, i) =>
            rec(i, {
              message: r.message,
              timestamp: new Date(T + r.dt).toISOString(),
              attributes: { pad: 'x'.repeat(r.pad) },
            }),
          );
          await store.write(records, T);
          const terms = cuts.map((c) => {
            if (typeof c === 'string') return c;
            const m = rows[c[0] % rows.length].message;
            const start = c[1] % (m.length + 1);
            return m.slice(start, start + c[2]);
          });
          const window = from === undefined ? {} : { start: T + from, end: T + from + 200_000 };
          const q: LogQuery = { ...all, text: terms.filter(Boolean), ...window };
          const want = records
            .map((r, i) => ({ r, i }))
            .filter(({ r }) => matchesQuery(r, q))
            .sort((a, b) => Date.parse(b.r.timestamp) - Date.parse(a.r.timestamp) || a.i - b.i)
            .map(({ r }) => r);
          // As ingest wrote the chunk (read whole), then with its filter and block table.
          expect((await store.search(q)).records).toEqual(want);
          await indexLogChunks(table, T);
          expect((await store.search(q)).records).toEqual(want);
        },
      ),
      { numRuns: 100 },
    );
  });
});

/** Index and data items as formats 1 and 2 wrote them. */
function oldChunk(format: 1 | 2, id: string, records: LogRecord[], packed?: number): Item[] {
  const times = records.map((r) => Date.parse(r.timestamp));
  const base = Math.min(...times);
  const maxT = Math.max(...times);
  const text =
    format === 2
      ? encodeChunk(records.map(encodeLine), times, base)
      : records.map((r) => JSON.stringify(r)).join('\n');
  let filter: Record<string, unknown>;
  if (format === 2) {
    const ids = records.flatMap((r) => (r.trace_id ? [r.trace_id] : []));
    const messages = records.map((r) => r.message);
    filter = { format: 2, base, filter: ChunkFilter.build(messages, ids, messages.join('').length).bits };
  } else {
    const bloom = TrigramBloom.forItems(20_000);
    for (const r of records) {
      for (const t of trigrams(r.message)) bloom.add(t);
      if (r.trace_id) bloom.add(`id:${r.trace_id.toLowerCase()}`);
    }
    filter = { bloom: bloom.bits };
  }
  const { service, level, source } = records[0];
  return [
    {
      PK: `LOGIDX#${service}`,
      SK: `${padKey(maxT)}#${id}`,
      level,
      source,
      minT: Math.min(...times),
      maxT,
      count: records.length,
      bytes: text.length,
      writtenAt: T - 2 * DAY,
      ...filter,
      ...(packed !== undefined && { packed }),
    },
    { PK: `LOGCHUNK#${id}`, SK: 'CHUNK', data: gzipSync(text) },
    { PK: 'LOGSERVICES', SK: service },
  ];
}

describe('chunks written before format 3', () => {
  it('are searched, read whole, and rewritten in format 3 by compaction', async () => {
    const table = new MemoryTableStore('logs');
    const store = new LogStore(table);
    const one = Array.from({ length: 300 }, (_, i) => rec(i, { service: 'old' }));
    const two = Array.from({ length: 300 }, (_, i) => rec(i + 300, { service: 'old' }));
    await table.batchPut([...oldChunk(1, 'f1', one), ...oldChunk(2, 'f2', two, 3)]);
    const three = Array.from({ length: 300 }, (_, i) => rec(i + 600, { service: 'old' }));
    await store.write(three, T - 2 * DAY);
    const records = [...one, ...two, ...three];
    const newestFirst = [...records].reverse();

    const indexes = await indexItems(table, 'old');
    expect(indexes.map((i) => i.format ?? 1).sort()).toEqual([1, 2, 3]);
    for (const index of indexes) {
      const [chunk] = await table.batchGet([{ PK: `LOGCHUNK#${index.id}`, SK: 'CHUNK' }]);
      const whole = chunkRecords(chunk.data as Uint8Array, index);
      expect(whole).toEqual(index.format === 2 ? two : index.format === 3 ? three : one);
    }
    const queries: LogQuery[] = [
      all,
      { ...all, text: [`block ${blockId(450)}`] },
      { ...all, text: [blockId(10)] },
      { ...all, text: ['responder 2', ':50010'], start: T - 3_000_000, end: T - 2_500_000 },
    ];
    for (const q of queries)
      expect((await store.search(q)).records).toEqual(newestFirst.filter((r) => matchesQuery(r, q)));
    const byTrace = (id: string) =>
      store.search({ ...all, fields: [{ field: 'trace_id', op: '=', value: id }] }, [id.toUpperCase()]);
    expect((await byTrace('trace-10')).records).toEqual([one[10]]);
    expect((await byTrace('trace-310')).records).toEqual([two[10]]);

    // All three are small: merged into one format 3 chunk at the kept quality.
    expect(await compactLogChunks(table, T + 2 * DAY)).toMatchObject({ merged: 3, written: 1 });
    const after = await indexItems(table, 'old');
    expect(after.map((i) => i.format)).toEqual([3]);
    expect(after.every((i) => i.packed === undefined)).toBe(true);
    for (const q of queries)
      expect((await store.search(q)).records).toEqual(newestFirst.filter((r) => matchesQuery(r, q)));
  });
});
