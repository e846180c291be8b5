/**
 * A mergeable quantile sketch with 1 % relative accuracy (DDSketch, Masson et al. 2019):
 * values fall into logarithmic buckets, so rollups of any resolution merge by adding counts.
 */
const ALPHA = 0.01;
const GAMMA = (1 + ALPHA) / (1 - ALPHA);
const LOG_GAMMA = Math.log(GAMMA);

export interface Sketch {
  /** bucket index → count, for positive values */
  p: Record<string, number>;
  /** bucket index → count, for negative values (by magnitude) */
  n: Record<string, number>;
  /** zero (and |v| < 1e-9) count */
  z: number;
}

export function emptySketch(): Sketch {
  return { p: {}, n: {}, z: 0 };
}

export function addToSketch(s: Sketch, v: number): void {
  if (!Number.isFinite(v)) return;
  const magnitude = Math.abs(v);
  if (magnitude < 1e-9) {
    s.z++;
    return;
  }
  const index = String(sketchIndex(magnitude));
  const side = v > 0 ? s.p : s.n;
  side[index] = (side[index] ?? 0) + 1;
}

/** The bucket a magnitude (≥ 1e-9) falls in. */
export function sketchIndex(magnitude: number): number {
  return Math.ceil(Math.log(magnitude) / LOG_GAMMA);
}

export function mergeSketches(into: Sketch, from: Sketch): Sketch {
  for (const [k, c] of Object.entries(from.p)) into.p[k] = (into.p[k] ?? 0) + c;
  for (const [k, c] of Object.entries(from.n)) into.n[k] = (into.n[k] ?? 0) + c;
  into.z += from.z;
  return into;
}

/** The q-quantile estimate, within 1 % of the true value's magnitude. */
export function sketchQuantile(s: Sketch, q: number): number {
  const negatives = Object.entries(s.n).map(([k, c]) => [-Number(k), c] as const);
  const positives = Object.entries(s.p).map(([k, c]) => [Number(k), c] as const);
  const total = negatives.reduce((a, [, c]) => a + c, 0) + positives.reduce((a, [, c]) => a + c, 0) + s.z;
  if (total === 0) return Number.NaN;
  const rank = q * (total - 1);
  let seen = 0;
  // Negative buckets from most negative up: larger index = larger magnitude = smaller value.
  for (const [negIndex, c] of negatives.sort((a, b) => a[0] - b[0])) {
    seen += c;
    if (seen > rank) return -bucketValue(-negIndex);
  }
  seen += s.z;
  if (seen > rank) return 0;
  for (const [index, c] of positives.sort((a, b) => a[0] - b[0])) {
    seen += c;
    if (seen > rank) return bucketValue(index);
  }
  return bucketValue(positives.at(-1)?.[0] ?? 0);
}

function bucketValue(index: number): number {
  return (2 * GAMMA ** index) / (GAMMA + 1);
}
