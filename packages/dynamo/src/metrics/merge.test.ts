import { type Sample, type SampleValue, STALE, sampleColumns } from '@vigil/core/metrics';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { SampleMerger } from './merge';

/** The specification: every block then every later write, in order, into one map by time. */
function reference(
  blocks: Array<{ ts: number[]; vs: number[]; stale?: Uint8Array }>,
  later: Sample[][],
  start: number,
  end: number,
) {
  const merged = new Map<number, SampleValue>();
  for (const { ts, vs, stale } of blocks)
    ts.forEach((t, i) => {
      if (t >= start && t <= end) merged.set(t, stale?.[i] ? STALE : vs[i]);
    });
  for (const samples of later)
    for (const [t, v, s] of samples) if (t >= start && t <= end) merged.set(t, s ?? v);
  return merged.size ? sampleColumns(merged) : undefined;
}

const block = fc.uniqueArray(fc.integer({ min: 0, max: 200 }), { minLength: 1, maxLength: 12 }).chain((ts) =>
  fc.record({
    ts: fc.constant(ts.sort((a, b) => a - b)),
    vs: fc.array(fc.double({ noNaN: true }), { minLength: ts.length, maxLength: ts.length }),
    stale: fc.option(fc.uint8Array({ min: 0, max: 1, minLength: ts.length, maxLength: ts.length }), {
      nil: undefined,
    }),
  }),
);
const sample = fc.tuple(fc.integer({ min: 0, max: 200 }), fc.double({ noNaN: true }), fc.boolean());

describe('SampleMerger', () => {
  it('gives what merging every block and later write by time gives, apart blocks or not', () => {
    fc.assert(
      fc.property(
        fc.array(block, { maxLength: 5 }),
        fc.array(fc.array(sample, { maxLength: 5 }), { maxLength: 3 }),
        fc.integer({ min: 0, max: 100 }),
        fc.integer({ min: 0, max: 200 }),
        (blocks, writes, start, span) => {
          const later = writes.map((w) =>
            w.map(([t, v, s]): Sample => (s ? [t, Number.NaN, STALE] : [t, v])),
          );
          const merger = new SampleMerger(start, start + span);
          for (const b of blocks) merger.addBlock(b);
          for (const w of later) merger.addSamples(w);
          expect(merger.columns()).toEqual(reference(blocks, later, start, start + span));
        },
      ),
      { numRuns: 500 },
    );
  });

  it('joins blocks of separate windows whatever order they came in, cut to the range', () => {
    const merger = new SampleMerger(15, 45);
    merger.addBlock({ ts: [30, 40, 50], vs: [3, 4, 5], stale: Uint8Array.from([0, 1, 0]) });
    merger.addBlock({ ts: [10, 20], vs: [1, 2] });
    const got = merger.columns();
    expect(got?.ts).toEqual([20, 30, 40]);
    expect(got?.vs.slice(0, 2)).toEqual([2, 3]);
    expect([...(got?.stale ?? [])]).toEqual([0, 0, 1]);
    expect(new SampleMerger(100, 200).columns()).toBeUndefined();
  });
});
