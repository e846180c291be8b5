import { normalCdf } from './linear';

/** Two periods compared: change in mean and a Welch t-test of the difference. */
export function comparePeriods(a: number[], b: number[]) {
  const mean = (xs: number[]) => xs.reduce((s, x) => s + x, 0) / (xs.length || 1);
  const variance = (xs: number[], m: number) =>
    xs.reduce((s, x) => s + (x - m) ** 2, 0) / Math.max(1, xs.length - 1);
  const ma = mean(a);
  const mb = mean(b);
  const se = Math.sqrt(variance(a, ma) / Math.max(1, a.length) + variance(b, mb) / Math.max(1, b.length));
  const t = se ? (mb - ma) / se : 0;
  const pValue = 2 * (1 - normalCdf(Math.abs(t)));
  return {
    before: { mean: ma, n: a.length },
    after: { mean: mb, n: b.length },
    changePercent: ma ? ((mb - ma) / Math.abs(ma)) * 100 : null,
    t,
    pValue,
    significant: pValue < 0.05,
  };
}

/** Robust z-score of the last value against the window before it (median and MAD). */
export function robustZ(history: number[], value: number): { z: number; median: number; mad: number } {
  const sorted = [...history].sort((x, y) => x - y);
  const median = sorted[Math.floor(sorted.length / 2)] ?? 0;
  const deviations = sorted.map((x) => Math.abs(x - median)).sort((x, y) => x - y);
  const mad = (deviations[Math.floor(deviations.length / 2)] ?? 0) * 1.4826;
  const z = mad ? (value - median) / mad : value === median ? 0 : Math.sign(value - median) * 10;
  return { z, median, mad };
}
