import { deflateRawSync } from 'node:zlib';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { isStaleNaN } from '../promql/values';
import { decodeBlock, encodeBlock } from './block';
import { readBuckets, writeBuckets } from './bucket-codec';
import { ByteReader, ByteWriter } from './bytes';
import { rollupSamples } from './rollup';
import { readValues, writeValues } from './values';

/** Prometheus's stale marker: a NaN with its own payload, which must survive bit for bit. */
const STALE = new DataView(new Uint8Array([0x7f, 0xf0, 0, 0, 0, 0, 0, 2]).buffer).getFloat64(0);
/**
 * A value's bits; any NaN reads as NaN. Codecs keep NaN payloads, but V8 may set a NaN's quiet
 * bit, or drop its payload when it optimizes a function, once the NaN sits in a number array —
 * which is why the staleness marker has tests of its own, on the stored bytes.
 */
const bits = (v: number) => {
  if (Number.isNaN(v)) return 'NaN';
  const view = new DataView(new ArrayBuffer(8));
  view.setFloat64(0, v);
  return view.getBigUint64(0).toString(16);
};
/** Whether `bytes` hold Prometheus's exact staleness marker somewhere. */
const holdsExactStale = (bytes: Uint8Array) =>
  Buffer.from(bytes).includes(Buffer.from([0x7f, 0xf0, 0, 0, 0, 0, 0, 2]));
const sameBits = (a: number[], b: number[]) => expect(a.map(bits)).toEqual(b.map(bits));

const special = fc.constantFrom(
  STALE,
  Number.NaN,
  Number.POSITIVE_INFINITY,
  Number.NEGATIVE_INFINITY,
  -0,
  0,
  Number.MAX_VALUE,
  Number.MIN_VALUE,
  1 / 3,
);
const decimal = fc
  .tuple(fc.integer({ min: -1e12, max: 1e12 }), fc.integer({ min: 0, max: 6 }))
  .map(([s, k]) => s / 10 ** k);
const value = fc.oneof(
  { arbitrary: decimal, weight: 6 },
  { arbitrary: fc.double(), weight: 2 },
  { arbitrary: special, weight: 1 },
);
const timestamps = fc
  .uniqueArray(fc.integer({ min: 0, max: 8.64e12 }), { minLength: 0, maxLength: 300 })
  .map((ts) => ts.sort((a, b) => a - b));

describe('metric codecs', () => {
  it("stores the stale marker as Prometheus's exact bits and reads it back as the stale marker", () => {
    const silenced = new DataView(new Uint8Array([0x7f, 0xf8, 0, 0, 0, 0, 0, 2]).buffer).getFloat64(0);
    for (const marker of [STALE, silenced]) {
      const vs = Array.from({ length: 20 }, (_, i) => i / 4);
      vs[7] = marker;
      const ts = vs.map((_, i) => 1_000 * i);
      const block = encodeBlock(ts, vs);
      expect(holdsExactStale(block)).toBe(true);
      expect(isStaleNaN(decodeBlock(block).vs[7])).toBe(true);
      const w = new ByteWriter();
      writeValues(w, [marker, 1 / 3, Math.PI], 'raw');
      expect(holdsExactStale(w.finish())).toBe(true);
      const xor = new ByteWriter();
      writeValues(xor, [marker, 1 / 3, Math.PI]);
      expect(isStaleNaN(readValues(new ByteReader(xor.finish()), 3)[0])).toBe(true);
    }
  });

  it('round-trips any samples bit for bit (NaN payloads, -0, infinities), whatever the values', () => {
    fc.assert(
      fc.property(
        timestamps.chain((ts) =>
          fc.tuple(fc.constant(ts), fc.array(value, { minLength: ts.length, maxLength: ts.length })),
        ),
        fc.integer({ min: 0, max: 8.64e12 }),
        ([ts, vs], base) => {
          const decoded = decodeBlock(encodeBlock(ts, vs, base), base);
          expect(decoded.ts).toEqual(ts);
          sameBits(decoded.vs, vs);
        },
      ),
      { numRuns: 400 },
    );
  });

  it('round-trips value columns of one kind: all decimal, all special, all arbitrary doubles', () => {
    for (const arb of [decimal, special, fc.double()]) {
      fc.assert(
        fc.property(fc.array(arb, { maxLength: 200 }), fc.constantFrom('xor', 'raw'), (vs, fallback) => {
          const w = new ByteWriter();
          writeValues(w, vs, fallback as 'xor' | 'raw');
          const r = new ByteReader(w.finish());
          sameBits(readValues(r, vs.length), vs);
          expect(r.done).toBe(true);
        }),
        { numRuns: 200 },
      );
    }
  });

  it('round-trips rollup buckets with their sketches', () => {
    fc.assert(
      fc.property(
        fc.array(
          fc.tuple(
            fc.integer({ min: 0, max: 7_199_999 }),
            fc.oneof(decimal, fc.double({ noNaN: true, noDefaultInfinity: true }), fc.constant(-0)),
          ),
          { maxLength: 300 },
        ),
        (points) => {
          // Few distinct bucket starts, so buckets of one, two and many samples all occur.
          points = points.map(([t, v]) => [t % 40 === 0 ? t : (t % 7) * 300_000 + (t % 3), v]);
          const base = 1_800_000_000_000 - (1_800_000_000_000 % 7_200_000);
          const sorted = [...new Map(points.map(([t, v]) => [base + t, v])).entries()].sort(
            (a, b) => a[0] - b[0],
          );
          const buckets = rollupSamples(
            sorted.map((p) => p[0]),
            sorted.map((p) => p[1]),
            300_000,
          );
          const w = new ByteWriter();
          writeBuckets(w, buckets, base, 300_000);
          expect(readBuckets(new ByteReader(w.finish()), base, 300_000)).toEqual(buckets);
        },
      ),
      { numRuns: 100 },
    );
  });

  it.each([
    // [case, timestamps, value of sample i, bytes a sample at most]
    [
      'a counter scraped every 15 s with two decimals',
      15_000,
      (i: number) => Math.round(i * 737.3) / 100,
      1.5,
    ],
    ['a constant', 15_000, () => 1, 0.1],
    ['a three-decimal gauge every 5 min', 300_000, (i: number) => ((i * 7919) % 100_000) / 1000, 3],
  ])('stores %s compactly once deflated as the stored item is', (_, step, value, most) => {
    const ts = Array.from({ length: 480 }, (_, i) => 1_800_000_000_000 + i * step);
    const vs = ts.map((__, i) => value(i));
    expect(deflateRawSync(encodeBlock(ts, vs, ts[0])).length / ts.length).toBeLessThanOrEqual(most);
  });
});
