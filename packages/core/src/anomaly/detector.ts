/**
 * A streaming, causal anomaly detector with one parameter set for every series: robust
 * z-scores (median and MAD over a sliding history) of the value and of its change, turned
 * into a score in [0, 1], with a refractory period after each alert so one incident is
 * reported once. Each point is scored before it joins the history: it never sees the future.
 */
export interface DetectorOptions {
  /** Points of history the baseline is computed from. */
  history: number;
  /** Robust z at which the score reaches 0.5. */
  z50: number;
  /** Points after an alert during which further alerts are damped. */
  refractory: number;
}

export const DEFAULT_DETECTOR: DetectorOptions = { history: 400, z50: 6, refractory: 200 };

function medianOf(sorted: number[]): number {
  const n = sorted.length;
  return n % 2 ? sorted[(n - 1) / 2] : (sorted[n / 2 - 1] + sorted[n / 2]) / 2;
}

function robust(values: number[]): { median: number; mad: number } {
  const sorted = [...values].sort((a, b) => a - b);
  const median = medianOf(sorted);
  const dev = sorted.map((v) => Math.abs(v - median)).sort((a, b) => a - b);
  return { median, mad: medianOf(dev) * 1.4826 };
}

/** Scores a whole series point by point, as a stream. */
export function scoreSeries(values: number[], options: DetectorOptions = DEFAULT_DETECTOR): number[] {
  const scores: number[] = [];
  let sinceAlert = Number.POSITIVE_INFINITY;
  const range = { min: Number.POSITIVE_INFINITY, max: Number.NEGATIVE_INFINITY };
  for (let i = 0; i < values.length; i++) {
    const v = values[i];
    let score = 0;
    if (i >= 30) {
      const from = Math.max(0, i - options.history);
      const hist = values.slice(from, i);
      const diffs = hist.slice(1).map((x, j) => x - hist[j]);
      const scale = Math.max(1e-9, (range.max - range.min) * 0.01);
      const a = robust(hist);
      const b = robust(diffs);
      const zValue = Math.abs(v - a.median) / Math.max(a.mad, scale);
      const zDiff = Math.abs(v - values[i - 1] - b.median) / Math.max(b.mad, scale);
      // A new extreme of the series' range is a stronger sign than a wide swing inside it.
      const outside = v > range.max || v < range.min ? 1.5 : 1;
      const z = Math.max(zValue, zDiff) * outside;
      score = z / (z + options.z50);
      if (sinceAlert < options.refractory) score *= sinceAlert / options.refractory;
      if (score >= 0.5) sinceAlert = 0;
    }
    sinceAlert++;
    range.min = Math.min(range.min, v);
    range.max = Math.max(range.max, v);
    scores.push(Math.min(1, Math.max(0, score)));
  }
  return scores;
}
