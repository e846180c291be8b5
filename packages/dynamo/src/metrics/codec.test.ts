import { deflateRawSync, inflateRawSync } from 'node:zlib';
import { type Sample, STALE as STALE_FLAG } from '@vigil/core/metrics';
import { isStaleNaN } from '@vigil/core/promql';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { decodeSegment, encodeSegment, packEntries, unpackEntries } from './codec';

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
const value = fc.oneof(
  fc.integer({ min: -1e9, max: 1e9 }).map((s) => s / 100),
  fc.double(),
  fc.constantFrom(STALE, Number.NaN, -0, Number.POSITIVE_INFINITY, Number.NEGATIVE_INFINITY),
);
const entries = fc
  .uniqueArray(fc.integer({ min: 0, max: 1e7 }), { maxLength: 40 })
  .chain((nums) =>
    fc.tuple(
      ...nums.map((num) =>
        fc.tuple(
          fc.constant(num),
          fc.array(fc.tuple(fc.integer({ min: 0, max: 8.64e12 }), value), { minLength: 1, maxLength: 20 }),
        ),
      ),
    ),
  );

describe('segment codec', () => {
  it('round-trips any segment bit for bit, series in number order', () => {
    fc.assert(
      fc.property(entries, (series) => {
        const decoded = decodeSegment(encodeSegment({ series }));
        const sorted = [...series].sort((a, b) => a[0] - b[0]);
        expect(decoded.series.map(([num, s]) => [num, s.map(([t, v]) => [t, bits(v)])])).toEqual(
          sorted.map(([num, s]) => [num, s.map(([t, v]) => [t, bits(v)])]),
        );
      }),
      { numRuns: 200 },
    );
  });

  it("stores the staleness marker as Prometheus's exact bits and decodes it as the marker", () => {
    const values = [1.5, STALE, 1 / 3, Math.PI, Math.E];
    const segment = encodeSegment({ series: [[7, values.map((v, i) => [i * 1000, v] as [number, number])]] });
    expect(inflateRawSync(segment).includes(Buffer.from([0x7f, 0xf0, 0, 0, 0, 0, 0, 2]))).toBe(true);
    expect(isStaleNaN(decodeSegment(segment).series[0][1][1][1])).toBe(true);
  });

  it('carries a flagged marker through a segment, told apart from an ordinary NaN', () => {
    // The marker stands as a plain NaN (V8 may drop a NaN's payload): the flag alone says stale.
    const samples: Sample[] = [
      [1000, 1.5],
      [2000, Number.NaN, STALE_FLAG],
      [3000, Number.NaN],
      [4000, 2.25],
    ];
    for (const other of [[[5000, 7]], [[5000, 1 / 3]]] as Sample[][]) {
      const decoded = decodeSegment(
        encodeSegment({
          series: [
            [9, samples],
            [4, other],
          ],
        }),
      );
      expect(decoded.series[1][1].map((s) => s[2] === STALE_FLAG)).toEqual([false, true, false, false]);
      expect(Number.isNaN(decoded.series[1][1][1][1])).toBe(true);
      expect(isStaleNaN(decoded.series[1][1][2][1])).toBe(false);
      expect(decoded.series[0][1][0]).toEqual(other[0]);
    }
  });

  it('reads segments written before markers were flagged, the stored bits telling the marker', () => {
    // Series 3: [1000, 1.5], [2000, marker]; series 9: [1000, NaN], as the previous version wrote it.
    const old = Uint8Array.from(Buffer.from('636262666263bcc07f81ff3cff3ffb1f0c6050ff014c31d543f900', 'hex'));
    const { series } = decodeSegment(old);
    expect(series.map(([num, s]) => [num, s.map((x) => [x[0], x[2] === STALE_FLAG])])).toEqual([
      [
        3,
        [
          [1000, false],
          [2000, true],
        ],
      ],
      [9, [[1000, false]]],
    ]);
    expect(Number.isNaN(series[1][1][0][1])).toBe(true);
  });

  it('packs large items with brotli and small ones with deflate, whichever is smaller', () => {
    const big: Array<[number, Uint8Array]> = Array.from({ length: 64 }, (_, i) => [
      i,
      Uint8Array.from({ length: 2000 }, (_, j) => (j * (i + 7)) % 251),
    ]);
    const packed = packEntries(1, big);
    expect(packed[0]).toBe(0x07);
    expect(unpackEntries(1, packed).map(([n, b]) => [n, [...b]])).toEqual(big.map(([n, b]) => [n, [...b]]));
    expect(packEntries(1, [[1, Uint8Array.from([1, 2, 3])]])[0]).not.toBe(0x07);
  });

  it('round-trips packed entries, a series appearing more than once included', () => {
    const packed: Array<[number, Uint8Array]> = [
      [3, new Uint8Array([1, 2, 3])],
      [3, new Uint8Array([4])],
      [70, new Uint8Array(0)],
    ];
    expect(unpackEntries(1, packEntries(1, packed)).map(([n, b]) => [n, [...b]])).toEqual(
      packed.map(([n, b]) => [n, [...b]]),
    );
    expect(() => unpackEntries(2, packEntries(1, packed))).toThrow(/kind 1/);
    // Items deflated (small ones, or by an earlier version) read too.
    const deflated = deflateRawSync(Uint8Array.from([1, 1, 5, 2, 9, 9]));
    expect(unpackEntries(1, deflated).map(([n, b]) => [n, [...b]])).toEqual([[5, [9, 9]]]);
  });
});
