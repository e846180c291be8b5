import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { decodeGorilla, decodeXorValues, encodeGorilla, encodeXorValues } from './gorilla';
import { addToSketch, emptySketch, mergeSketches, sketchQuantile } from './sketch';

/** The bits of a double (NaN payloads included), as hex. */
const hex = (v: number) => Buffer.from(new Float64Array([v]).buffer).toString('hex');

describe('XOR value column', () => {
  it('round-trips any doubles bit for bit, whatever leading and trailing zeros their XORs have', () => {
    // Raw 64-bit patterns as well as doubles, so NaN payloads and every XOR width come up.
    const bits = fc
      .bigInt({ min: 0n, max: 2n ** 64n - 1n })
      .map((b) => new Float64Array(new BigUint64Array([b]).buffer)[0]);
    const value = fc.oneof(fc.double(), bits, fc.constantFrom(0, 1, -1, 0.5, 2 ** 52, 1e-300));
    fc.assert(
      fc.property(fc.array(value, { minLength: 1, maxLength: 50 }), (vs) => {
        const got = decodeXorValues(encodeXorValues(vs), vs.length);
        // A NaN's payload in a JS number is V8's to keep or not; every other value is exact.
        expect(got.map((v) => (Number.isNaN(v) ? 'NaN' : hex(v)))).toEqual(
          vs.map((v) => (Number.isNaN(v) ? 'NaN' : hex(v))),
        );
      }),
      { numRuns: 1000 },
    );
  });
});

describe('Gorilla blocks', () => {
  it.each([
    [
      'regular scrapes of a counter',
      Array.from({ length: 720 }, (_, i) => 1_732_400_000_000 + i * 15_000),
      (i: number) => i * 7,
    ],
    [
      'jittered timestamps and noisy floats',
      Array.from({ length: 500 }, (_, i) => 1_732_400_000_000 + i * 60_000 + ((i * 7919) % 900) - 450),
      (i: number) => Math.sin(i) * 1e3 + 0.1,
    ],
    [
      'special values',
      [1, 2, 3, 4, 5, 6],
      (i: number) => [Number.NaN, Number.POSITIVE_INFINITY, Number.NEGATIVE_INFINITY, 0, -0.5, 1e300][i],
    ],
    ['large gaps', [0, 1, 1_000_000_000, 1_000_000_001, 5_000_000_000_000], (i: number) => i],
    ['one sample', [42], () => 3.14],
  ])('round-trips %s exactly', (_, ts, value) => {
    const vs = ts.map((__, i) => value(i));
    const decoded = decodeGorilla(encodeGorilla(ts, vs));
    expect(decoded.ts).toEqual(ts);
    expect(decoded.vs.map(String)).toEqual(vs.map(String));
  });

  it('stores a regular slowly-changing series in under 2 bytes a sample', () => {
    const ts = Array.from({ length: 480 }, (_, i) => 1_732_400_000_000 + i * 15_000);
    const vs = ts.map((_, i) => 100 + Math.floor(i / 20));
    expect(encodeGorilla(ts, vs).length / ts.length).toBeLessThan(2);
  });
});

describe('quantile sketch', () => {
  it('estimates quantiles within 1 % and merges like one sketch', () => {
    const a = emptySketch();
    const b = emptySketch();
    const all: number[] = [];
    for (let i = 1; i <= 10_000; i++) {
      const v = ((i * 37) % 1000) + 1;
      all.push(v);
      addToSketch(i % 2 ? a : b, v);
    }
    const merged = mergeSketches(a, b);
    all.sort((x, y) => x - y);
    for (const q of [0.5, 0.95, 0.99]) {
      const exact = all[Math.floor(q * (all.length - 1))];
      expect(Math.abs(sketchQuantile(merged, q) - exact) / exact).toBeLessThan(0.02);
    }
  });
});
