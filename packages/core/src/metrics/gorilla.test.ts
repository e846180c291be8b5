import { describe, expect, it } from 'vitest';
import { decodeGorilla, encodeGorilla } from './gorilla';
import { addToSketch, emptySketch, mergeSketches, sketchQuantile } from './sketch';

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
