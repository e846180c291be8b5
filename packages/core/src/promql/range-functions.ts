/**
 * Functions over range vectors (`rate`, `*_over_time`…), with Prometheus 2.x semantics: the
 * window is [t - range, t], and rate/increase/delta extrapolate to the window's edges.
 */

/** Samples of one series inside a window. */
export interface Window {
  ts: number[];
  vs: number[];
  /** Window bounds, ms. */
  start: number;
  end: number;
}

function extrapolatedRate(w: Window, isCounter: boolean, isRate: boolean): number | undefined {
  const n = w.ts.length;
  if (n < 2) return undefined;
  let result = w.vs[n - 1] - w.vs[0];
  if (isCounter) {
    for (let i = 1; i < n; i++) if (w.vs[i] < w.vs[i - 1]) result += w.vs[i - 1];
  }
  let durationToStart = (w.ts[0] - w.start) / 1000;
  const durationToEnd = (w.end - w.ts[n - 1]) / 1000;
  const sampled = (w.ts[n - 1] - w.ts[0]) / 1000;
  const average = sampled / (n - 1);
  if (isCounter && result > 0 && w.vs[0] >= 0) {
    const durationToZero = sampled * (w.vs[0] / result);
    if (durationToZero < durationToStart) durationToStart = durationToZero;
  }
  const threshold = average * 1.1;
  let interval = sampled;
  interval += durationToStart < threshold ? durationToStart : average / 2;
  interval += durationToEnd < threshold ? durationToEnd : average / 2;
  result *= interval / sampled;
  if (isRate) result /= (w.end - w.start) / 1000;
  return result;
}

function instantDelta(w: Window, isRate: boolean): number | undefined {
  const n = w.ts.length;
  if (n < 2) return undefined;
  const last = w.vs[n - 1];
  const prev = w.vs[n - 2];
  let result = isRate && last < prev ? last : last - prev;
  if (isRate) {
    const dt = (w.ts[n - 1] - w.ts[n - 2]) / 1000;
    if (dt === 0) return undefined;
    result /= dt;
  }
  return result;
}

/** φ-quantile with linear interpolation, as Prometheus's `quantile` (NaN outside [0,1] → ±Inf). */
export function quantile(q: number, values: number[]): number {
  if (values.length === 0 || Number.isNaN(q)) return Number.NaN;
  if (q < 0) return Number.NEGATIVE_INFINITY;
  if (q > 1) return Number.POSITIVE_INFINITY;
  const sorted = [...values].sort((a, b) => a - b);
  const rank = q * (sorted.length - 1);
  const lower = Math.max(0, Math.floor(rank));
  const upper = Math.min(sorted.length - 1, lower + 1);
  const weight = rank - Math.floor(rank);
  return sorted[lower] * (1 - weight) + sorted[upper] * weight;
}

function variance(vs: number[]): number {
  // Welford's method, as Prometheus does, for numerical stability.
  let count = 0;
  let mean = 0;
  let m2 = 0;
  for (const v of vs) {
    count++;
    const delta = v - mean;
    mean += delta / count;
    m2 += delta * (v - mean);
  }
  return m2 / count;
}

function linearRegression(w: Window, interceptTime: number): { slope: number; intercept: number } {
  let n = 0;
  let sumX = 0;
  let sumY = 0;
  let sumXY = 0;
  let sumX2 = 0;
  for (let i = 0; i < w.ts.length; i++) {
    const x = (w.ts[i] - interceptTime) / 1000;
    n++;
    sumX += x;
    sumY += w.vs[i];
    sumXY += x * w.vs[i];
    sumX2 += x * x;
  }
  const covXY = sumXY - (sumX * sumY) / n;
  const varX = sumX2 - (sumX * sumX) / n;
  const slope = covXY / varX;
  return { slope, intercept: sumY / n - (slope * sumX) / n };
}

/** Averages the way Prometheus 2.42 does: a running mean that avoids overflow. */
function average(vs: number[]): number {
  let mean = 0;
  let count = 0;
  for (const v of vs) {
    count++;
    if (!Number.isFinite(mean) && Number.isFinite(v)) continue;
    mean += v / count - mean / count;
  }
  return mean;
}

/** Evaluates a range function on one window; undefined means "no sample for this series". */
export function rangeFunction(name: string, w: Window, scalarArg?: number): number | undefined {
  const vs = w.vs;
  if (vs.length === 0) return undefined;
  switch (name) {
    case 'rate':
      return extrapolatedRate(w, true, true);
    case 'increase':
      return extrapolatedRate(w, true, false);
    case 'delta':
      return extrapolatedRate(w, false, false);
    case 'irate':
      return instantDelta(w, true);
    case 'idelta':
      return instantDelta(w, false);
    case 'deriv':
      return vs.length < 2 ? undefined : linearRegression(w, w.ts[0]).slope;
    case 'predict_linear': {
      if (vs.length < 2) return undefined;
      const { slope, intercept } = linearRegression(w, w.end);
      return slope * (scalarArg ?? 0) + intercept;
    }
    case 'resets': {
      let n = 0;
      for (let i = 1; i < vs.length; i++) if (vs[i] < vs[i - 1]) n++;
      return n;
    }
    case 'changes': {
      let n = 0;
      for (let i = 1; i < vs.length; i++)
        if (vs[i] !== vs[i - 1] && !(Number.isNaN(vs[i]) && Number.isNaN(vs[i - 1]))) n++;
      return n;
    }
    case 'avg_over_time':
      return average(vs);
    case 'sum_over_time':
      return vs.reduce((a, b) => a + b, 0);
    case 'min_over_time':
      return vs.reduce((a, b) => (b < a || Number.isNaN(a) ? b : a));
    case 'max_over_time':
      return vs.reduce((a, b) => (b > a || Number.isNaN(a) ? b : a));
    case 'count_over_time':
      return vs.length;
    case 'last_over_time':
      return vs[vs.length - 1];
    case 'present_over_time':
      return 1;
    case 'stddev_over_time':
      return Math.sqrt(variance(vs));
    case 'stdvar_over_time':
      return variance(vs);
    case 'quantile_over_time':
      return quantile(scalarArg ?? Number.NaN, vs);
    default:
      return undefined;
  }
}
