import { addToSketch, emptySketch, mergeSketches, type Sketch } from './sketch';

/** Pre-aggregated resolutions, finest first, with their bucket width and default retention. */
export const RESOLUTIONS = {
  '5m': { ms: 300_000, retentionDays: 90 },
  '15m': { ms: 900_000, retentionDays: 90 },
  '1h': { ms: 3_600_000, retentionDays: 400 },
  '1d': { ms: 86_400_000, retentionDays: 400 },
} as const;
export type Resolution = keyof typeof RESOLUTIONS;
export const ROLLUP_AGGREGATES = ['avg', 'sum', 'min', 'max', 'count', 'p50', 'p95', 'p99'] as const;
export type RollupAggregate = (typeof ROLLUP_AGGREGATES)[number];

/** One bucket of a rollup: enough to merge with its neighbours into coarser ones. */
export interface RollupBucket {
  start: number;
  count: number;
  sum: number;
  min: number;
  max: number;
  sketch: Sketch;
}

/**
 * Buckets of one resolution from raw samples (NaN and infinities are left out). Without
 * `sketches` their sketches stay empty: for readers that want no quantiles.
 */
export function rollupSamples(ts: number[], vs: number[], width: number, sketches = true): RollupBucket[] {
  const buckets = new Map<number, RollupBucket>();
  for (let i = 0; i < ts.length; i++) {
    const v = vs[i];
    if (!Number.isFinite(v)) continue;
    const start = Math.floor(ts[i] / width) * width;
    let b = buckets.get(start);
    if (!b) {
      b = { start, count: 0, sum: 0, min: v, max: v, sketch: emptySketch() };
      buckets.set(start, b);
    }
    b.count++;
    b.sum += v;
    b.min = Math.min(b.min, v);
    b.max = Math.max(b.max, v);
    if (sketches) addToSketch(b.sketch, v);
  }
  return [...buckets.values()].sort((a, b) => a.start - b.start);
}

/** Merges finer buckets into one coarser bucket starting at `start`. */
export function mergeBuckets(start: number, parts: RollupBucket[]): RollupBucket | undefined {
  const live = parts.filter((p) => p.count > 0);
  if (!live.length) return undefined;
  return live.reduce<RollupBucket>(
    (acc, p) => ({
      start,
      count: acc.count + p.count,
      sum: acc.sum + p.sum,
      min: Math.min(acc.min, p.min),
      max: Math.max(acc.max, p.max),
      sketch: mergeSketches(acc.sketch, p.sketch),
    }),
    {
      start,
      count: 0,
      sum: 0,
      min: Number.POSITIVE_INFINITY,
      max: Number.NEGATIVE_INFINITY,
      sketch: emptySketch(),
    },
  );
}

import { sketchQuantile } from './sketch';

/** The value of an aggregate over a bucket. */
export function rollupValue(b: RollupBucket, agg: RollupAggregate): number {
  switch (agg) {
    case 'avg':
      return b.sum / b.count;
    case 'sum':
      return b.sum;
    case 'min':
      return b.min;
    case 'max':
      return b.max;
    case 'count':
      return b.count;
    case 'p50':
      return sketchQuantile(b.sketch, 0.5);
    case 'p95':
      return sketchQuantile(b.sketch, 0.95);
    case 'p99':
      return sketchQuantile(b.sketch, 0.99);
  }
}
