/**
 * The Numenta Anomaly Benchmark's scoring (NAB v1.1, nab/sweeper.py and nab/runner.py),
 * ported line for line: scaled-sigmoid credit for early detections inside labelled windows,
 * false positives weighted by their distance past the previous window, one threshold tuned
 * across the corpus per profile, and normalisation so the null detector scores 0 and a
 * perfect one 100.
 */
export interface CostMatrix {
  tpWeight: number;
  fpWeight: number;
  fnWeight: number;
}

export interface ScoredFile {
  /** Anomaly score in [0, 1] of each row, in row order. */
  scores: number[];
  /** Row timestamps (ms). */
  timestamps: number[];
  /** Labelled windows [start, end] (ms), both inclusive. */
  windows: Array<[number, number]>;
}

export function scaledSigmoid(relativePosition: number): number {
  if (relativePosition > 3.0) return -1.0;
  return 2 / (1 + Math.exp(5 * relativePosition)) - 1.0;
}

/** NAB's probationary period: the first 15 % of a file, at most 750 rows. */
export const probationaryLength = (rows: number) => Math.min(Math.floor(0.15 * rows), 0.15 * 5000);

interface Point {
  score: number;
  weighted: number;
  /** `<file>#<window>` for points inside a window, else null. */
  window: string | null;
}

/** Per-row sweep scores of one file (Sweeper.calcSweepScore). */
function sweepPoints(file: ScoredFile, fileId: string, cost: CostMatrix): Point[] {
  const maxTP = scaledSigmoid(-1.0);
  const probation = probationaryLength(file.timestamps.length);
  const limits = file.windows.map(([start, end]) => {
    const left = file.timestamps.findIndex((t) => t >= start);
    let right = left;
    while (right + 1 < file.timestamps.length && file.timestamps[right + 1] <= end) right++;
    return { left, right, width: right - left + 1 };
  });
  const out: Point[] = [];
  let k = 0;
  let prevRight: number | null = null;
  let prevWidth: number | null = null;
  for (let i = 0; i < file.timestamps.length; i++) {
    const w = limits[k];
    let weighted: number;
    let window: string | null = null;
    if (w && i >= w.left && i <= w.right) {
      const position = -(w.right - i + 1) / w.width;
      weighted = (scaledSigmoid(position) * cost.tpWeight) / maxTP;
      window = `${fileId}#${k}`;
    } else {
      const unweighted =
        prevRight === null || prevWidth === null
          ? -1.0
          : scaledSigmoid(Math.abs(prevRight - i) / (prevWidth - 1));
      weighted = unweighted * cost.fpWeight;
    }
    if (i >= probation) out.push({ score: file.scores[i], weighted, window });
    if (w && i === w.right) {
      prevRight = w.right;
      prevWidth = w.width;
      k++;
    }
  }
  return out;
}

/** The best corpus-wide threshold and its raw score, for one profile. */
export function optimizeThreshold(
  files: Record<string, ScoredFile>,
  cost: CostMatrix,
): { threshold: number; raw: number; windows: number } {
  const points: Point[] = [];
  let windows = 0;
  for (const [id, file] of Object.entries(files)) {
    points.push(...sweepPoints(file, id, cost));
    windows += file.windows.length;
  }
  points.sort((a, b) => b.score - a.score);
  let total = -cost.fnWeight * windows;
  let best = { threshold: 1.1, raw: total };
  const detected = new Map<string, number>();
  for (let i = 0; i < points.length; i++) {
    const p = points[i];
    if (p.window === null) total += p.weighted;
    else {
      const prior = detected.get(p.window);
      if (prior === undefined) {
        detected.set(p.window, p.weighted);
        total += cost.fnWeight + p.weighted;
      } else if (p.weighted > prior) {
        detected.set(p.window, p.weighted);
        total += p.weighted - prior;
      }
    }
    // A threshold takes every point scoring at or above it: record after the last tie.
    if (i + 1 === points.length || points[i + 1].score !== p.score) {
      if (total > best.raw) best = { threshold: p.score, raw: total };
    }
  }
  return { ...best, windows };
}

/** The normalised NAB score: null detector 0, perfect detector 100. */
export function normalizedScore(raw: number, windows: number, cost: CostMatrix): number {
  const nullScore = -cost.fnWeight * windows;
  const perfect = cost.tpWeight * windows;
  return (100 * (raw - nullScore)) / (perfect - nullScore);
}
