import { describe, expect, it } from 'vitest';
import { type BenchmarkSpec, rateBenchmark, targetProblem, worstRating } from './benchmark';

const latency: BenchmarkSpec = { baseline: 0.5, target: 0.2, better: 'lower' };
const success: BenchmarkSpec = { baseline: 0.99, target: 0.999, better: 'higher' };

describe('benchmarks', () => {
  it.each([
    // p95 150 ms beats the 200 ms target
    [0.15, latency, 'exceeds', 70, 25],
    // exactly on target counts as reaching it
    [0.2, latency, 'exceeds', 60, 0],
    // between target and baseline
    [0.3, latency, 'meets', 40, -50],
    // slower than the baseline
    [0.6, latency, 'below', -20, -200],
    // 99.95 % success beats 99.9 %
    [0.9995, success, 'exceeds', 0.96, 0.05],
    // 99.5 %: above the 99 % baseline, short of the target
    [0.995, success, 'meets', 0.51, -0.4],
    // 98 %: under the baseline
    [0.98, success, 'below', -1.01, -1.9],
  ] as const)('rates %d as %s', (value, spec, rating, vsBaseline, vsTarget) => {
    const result = rateBenchmark(value, spec);
    expect(result.rating).toBe(rating);
    expect(result.vsBaselinePercent).toBeCloseTo(vsBaseline, 1);
    expect(result.vsTargetPercent).toBeCloseTo(vsTarget, 1);
  });

  it('has no rating without a value', () => {
    expect(rateBenchmark(null, latency).rating).toBe('no_data');
    expect(rateBenchmark(Number.NaN, latency).rating).toBe('no_data');
  });

  it('rejects a target worse than the baseline', () => {
    expect(targetProblem({ baseline: 0.2, target: 0.5, better: 'lower' })).toMatch(/at most/);
    expect(targetProblem({ baseline: 0.999, target: 0.99, better: 'higher' })).toMatch(/at least/);
    expect(targetProblem(latency)).toBeUndefined();
  });

  it('summarises several series by the worst rating', () => {
    expect(worstRating(['exceeds', 'meets', 'no_data'])).toBe('meets');
    expect(worstRating(['exceeds', 'below'])).toBe('below');
    expect(worstRating(['no_data'])).toBe('no_data');
  });
});
