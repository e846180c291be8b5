import { LogStore, MemoryTableStore, newest } from '@vigil/dynamo';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';

/** A search page is the newest records, equal times in stored order, whatever the page size. */
describe('newest', () => {
  it('equals a stable sort by time, newest first, cut to n', () => {
    fc.assert(
      fc.property(
        fc.array(fc.integer({ min: 0, max: 20 }), { maxLength: 60 }),
        fc.integer({ min: 0, max: 70 }),
        (times, n) => {
          const all = Array.from(times.keys()).sort((a, b) => times[b] - times[a]);
          expect(newest(times, n)).toEqual(all.slice(0, n));
          expect(newest(times)).toEqual(all);
        },
      ),
      { numRuns: 1000 },
    );
  });
});

describe('LogStore.search pages', () => {
  it('a page is that slice of the whole result, and the total counts every match, however many chunks match', async () => {
    const T = Date.parse('2026-11-23T10:00:00Z');
    await fc.assert(
      fc.asyncProperty(
        // Writes of many records with few distinct times (ties across chunks), a page of them.
        fc.array(fc.array(fc.integer({ min: 0, max: 30 }), { minLength: 1, maxLength: 400, size: 'max' }), {
          minLength: 1,
          maxLength: 8,
        }),
        fc.integer({ min: 0, max: 50 }),
        fc.integer({ min: 1, max: 40 }),
        async (writes, offset, limit) => {
          const store = new LogStore(new MemoryTableStore('logs'));
          let n = 0;
          for (const seconds of writes)
            await store.write(
              seconds.map((s) => ({
                timestamp: new Date(T + s * 1000).toISOString(),
                level: 'info' as const,
                service: 'api',
                message: `request ${n++} served`,
                source: 'api',
                attributes: {},
              })),
              T,
            );
          const q = { text: ['served'], fields: [], start: T - 1000, end: T + 60_000 };
          const whole = await store.search(q);
          const page = await store.search(q, [], undefined, { offset, limit });
          expect(page.total).toBe(whole.total);
          expect(page.records).toEqual(whole.records.slice(offset, offset + limit));
        },
      ),
      // Big cases shrink slowly: report the first failing one as it is.
      { numRuns: 60, endOnFailure: true },
    );
  });
});
