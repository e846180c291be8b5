import type { LogRecord } from '@vigil/core/logs';
import { LogStore, MemoryTableStore, parseTailPosition, TAIL_GAP_GRACE_MS } from '@vigil/dynamo';
import { describe, expect, it } from 'vitest';

/**
 * Tail order is arrival order: each write takes the next number once its chunks are stored.
 * A number taken but not yet recorded (a write in flight) holds the tail back rather than be
 * passed over; one that never comes (a failed write) is passed after a grace period.
 */
const T = Date.parse('2026-11-23T10:00:00Z');
const rec = (message: string): LogRecord => ({
  timestamp: new Date(T).toISOString(),
  level: 'info',
  service: 'svc',
  message,
  source: 'api',
  attributes: {},
});
const query = { text: [], fields: [], start: 0, end: 0 };

describe('LogStore.tail', () => {
  it('waits at a write still in flight, then passes a write that never lands', async () => {
    const table = new MemoryTableStore('logs');
    const store = new LogStore(table);
    const from = (await store.tail(query, undefined)).position;
    await store.write([rec('first')], T);
    // Arrival number 2 is taken by a writer that has not recorded it (yet).
    await table.increment({ PK: 'LOGSEQ', SK: 'SEQ' }, { seq: 1 });
    await store.write([rec('third')], T);

    const held = await store.tail(query, from);
    expect(held.records.map((r) => r.record.message)).toEqual(['first']);
    expect(held.position).toEqual(parseTailPosition('1'));
    expect((await store.tail(query, held.position)).records).toEqual([]);

    // The arrival after the gap was recorded longer ago than the grace: number 2 failed.
    const [third] = (await table.query({ pk: 'LOGTAIL#0' })).items.filter((i) => i.seq === 3);
    await table.put({ ...third, at: Date.now() - TAIL_GAP_GRACE_MS - 1 });
    const passed = await store.tail(query, held.position);
    expect(passed.records.map((r) => r.record.message)).toEqual(['third']);
    expect(passed.records[0].id).toBe('3.0.0');
    expect(passed.position).toEqual(parseTailPosition('3'));
  });

  it('reads across partitions of the arrival order and stops at the limit on whole writes', async () => {
    const table = new MemoryTableStore('logs');
    const store = new LogStore(table);
    await table.increment({ PK: 'LOGSEQ', SK: 'SEQ' }, { seq: 997 });
    // A tail that starts now begins after the numbers already taken.
    const from = (await store.tail(query, undefined)).position;
    for (let i = 0; i < 6; i++) await store.write([rec(`w${i}a`), rec(`w${i}b`)], T);
    const all = await store.tail(query, from);
    expect(all.records.map((r) => r.record.message)).toEqual(
      [0, 1, 2, 3, 4, 5].flatMap((i) => [`w${i}a`, `w${i}b`]),
    );
    expect(all.records.map((r) => r.id).slice(0, 4)).toEqual(['998.0.0', '998.0.1', '999.0.0', '999.0.1']);
    const limited = await store.tail(query, from, 3);
    expect(limited.records).toHaveLength(4);
    expect(limited.position).toEqual(parseTailPosition('999'));
  });
});
