/**
 * Benchmarks: a measured value against a baseline (the least that is acceptable) and a target
 * (the goal). Pure; the caller measures.
 */

/** Which way is better for a benchmark's value. */
export const BETTER = { lower: 'lower', higher: 'higher' } as const;
export type Better = (typeof BETTER)[keyof typeof BETTER];

/** `exceeds` reaches the target, `meets` reaches the baseline but not the target, `below` misses both. */
export const RATINGS = { exceeds: 'exceeds', meets: 'meets', below: 'below', no_data: 'no_data' } as const;
export type Rating = (typeof RATINGS)[keyof typeof RATINGS];

export interface BenchmarkSpec {
  baseline: number;
  target: number;
  better: Better;
}

export interface BenchmarkResult {
  value: number | null;
  rating: Rating;
  /** How far the value is from the baseline, in % of the baseline (positive = better). */
  vsBaselinePercent: number | null;
  /** How far the value is from the target, in % of the target (positive = better). */
  vsTargetPercent: number | null;
}

/** The target must be at least as good as the baseline, in the benchmark's direction. */
export function targetProblem(spec: BenchmarkSpec): string | undefined {
  const ok = spec.better === 'lower' ? spec.target <= spec.baseline : spec.target >= spec.baseline;
  return ok
    ? undefined
    : `the target must be ${spec.better === 'lower' ? 'at most' : 'at least'} the baseline when ${spec.better} is better`;
}

const percent = (value: number, reference: number, sign: number) =>
  reference === 0 ? null : Math.round(((sign * (value - reference)) / Math.abs(reference)) * 10_000) / 100;

/** Rates one value against a benchmark. */
export function rateBenchmark(value: number | null, spec: BenchmarkSpec): BenchmarkResult {
  if (value === null || !Number.isFinite(value))
    return { value: null, rating: 'no_data', vsBaselinePercent: null, vsTargetPercent: null };
  const sign = spec.better === 'lower' ? -1 : 1;
  const atLeast = (reference: number) => sign * (value - reference) >= 0;
  const rating: Rating = atLeast(spec.target) ? 'exceeds' : atLeast(spec.baseline) ? 'meets' : 'below';
  return {
    value,
    rating,
    vsBaselinePercent: percent(value, spec.baseline, sign),
    vsTargetPercent: percent(value, spec.target, sign),
  };
}

const ORDER: Rating[] = ['below', 'meets', 'exceeds'];

/** The worst rating among several series (no_data only when none has data). */
export function worstRating(ratings: Rating[]): Rating {
  const rated = ratings.filter((r) => r !== 'no_data');
  if (!rated.length) return 'no_data';
  return ORDER[Math.min(...rated.map((r) => ORDER.indexOf(r)))];
}
