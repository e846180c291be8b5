/**
 * `histogram_quantile` over classic buckets, as Prometheus computes it: buckets sorted by `le`,
 * made monotonic, the quantile interpolated linearly inside its bucket.
 */
export function bucketQuantile(q: number, buckets: Array<{ le: number; count: number }>): number {
  if (Number.isNaN(q)) return Number.NaN;
  if (q < 0) return Number.NEGATIVE_INFINITY;
  if (q > 1) return Number.POSITIVE_INFINITY;
  const sorted = [...buckets].sort((a, b) => a.le - b.le);
  if (sorted.length < 2 || sorted[sorted.length - 1].le !== Number.POSITIVE_INFINITY) return Number.NaN;
  // Merge buckets with the same upper bound, then force monotonic counts.
  const merged: Array<{ le: number; count: number }> = [];
  for (const b of sorted) {
    const last = merged.at(-1);
    if (last && last.le === b.le) last.count += b.count;
    else merged.push({ ...b });
  }
  let max = Number.NEGATIVE_INFINITY;
  for (const b of merged) {
    if (b.count < max) b.count = max;
    else max = b.count;
  }
  if (merged.length < 2) return Number.NaN;
  const observations = merged[merged.length - 1].count;
  if (observations === 0) return Number.NaN;
  let rank = q * observations;
  let i = merged.findIndex((b) => b.count >= rank);
  if (i === merged.length - 1) return merged[merged.length - 2].le;
  if (i === 0 && merged[0].le <= 0) return merged[0].le;
  let bucketStart = 0;
  const bucketEnd = merged[i].le;
  let count = merged[i].count;
  if (i > 0) {
    bucketStart = merged[i - 1].le;
    count -= merged[i - 1].count;
    rank -= merged[i - 1].count;
  }
  if (i < 0) i = 0;
  return bucketStart + (bucketEnd - bucketStart) * (rank / count);
}
