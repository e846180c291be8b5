import { newest } from '@vigil/dynamo';
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
