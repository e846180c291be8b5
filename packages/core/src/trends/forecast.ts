/**
 * Forecasts over evenly spaced values: moving average, additive Holt-Winters, and a chooser
 * that uses Holt-Winters only where the series is seasonal. Pure; values in, values out.
 */

/** One forecast step with its 95 % prediction interval. */
export interface ForecastStep {
  v: number;
  lower: number;
  upper: number;
}

const Z95 = 1.96;
const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / (xs.length || 1);

/**
 * A flat forecast at the mean of the last `window` values; the interval comes from the spread
 * of one-step errors of the same rule over the history, widening with the horizon.
 */
export function movingAverageForecast(values: number[], horizon: number, window = 12): ForecastStep[] {
  const k = Math.max(1, Math.min(window, values.length));
  const level = mean(values.slice(-k));
  const errors: number[] = [];
  for (let i = k; i < values.length; i++) errors.push(values[i] - mean(values.slice(i - k, i)));
  const sigma = Math.sqrt(mean(errors.map((e) => e * e)));
  return Array.from({ length: horizon }, (_, h) => {
    const half = Z95 * sigma * Math.sqrt(1 + h / k);
    return { v: level, lower: level - half, upper: level + half };
  });
}

/** Smoothing parameters of Holt-Winters. */
export interface HoltWintersParams {
  alpha: number;
  beta: number;
  gamma: number;
}

interface HoltWintersFit {
  level: number;
  trend: number;
  /** The season's components, indexed by (time index mod period). */
  season: number[];
  /** Index of the next (first forecast) point. */
  next: number;
  sse: number;
  sigma: number;
}

function fitHoltWinters(values: number[], period: number, p: HoltWintersParams): HoltWintersFit {
  const m = period;
  const first = mean(values.slice(0, m));
  const second = mean(values.slice(m, 2 * m));
  let level = first;
  let trend = (second - first) / m;
  const season = values.slice(0, m).map((v) => v - first);
  let sse = 0;
  let count = 0;
  for (let i = m; i < values.length; i++) {
    const s = season[i % m];
    const predicted = level + trend + s;
    const error = values[i] - predicted;
    sse += error * error;
    count++;
    const previousLevel = level;
    level = p.alpha * (values[i] - s) + (1 - p.alpha) * (level + trend);
    trend = p.beta * (level - previousLevel) + (1 - p.beta) * trend;
    season[i % m] = p.gamma * (values[i] - level) + (1 - p.gamma) * s;
  }
  return { level, trend, season, next: values.length, sse, sigma: Math.sqrt(sse / Math.max(1, count)) };
}

const GRID = {
  alpha: [0.05, 0.2, 0.5, 0.8],
  beta: [0, 0.01, 0.1],
  gamma: [0.05, 0.2, 0.5],
};

/**
 * Additive Holt-Winters (level, trend, season of `period` points). Without `params`, the
 * smoothing constants are chosen on a small grid by the one-step squared error over the
 * history. Needs at least two full seasons.
 */
export function holtWintersForecast(
  values: number[],
  horizon: number,
  period: number,
  params?: HoltWintersParams,
): { steps: ForecastStep[]; params: HoltWintersParams } {
  if (period < 2 || values.length < 2 * period)
    throw new RangeError(`Holt-Winters needs two seasons (${2 * period} points), got ${values.length}`);
  let best: { fit: HoltWintersFit; params: HoltWintersParams } | undefined;
  const candidates = params
    ? [params]
    : GRID.alpha.flatMap((alpha) =>
        GRID.beta.flatMap((beta) => GRID.gamma.map((gamma) => ({ alpha, beta, gamma }))),
      );
  for (const candidate of candidates) {
    const fit = fitHoltWinters(values, period, candidate);
    if (!best || fit.sse < best.fit.sse) best = { fit, params: candidate };
  }
  const { fit, params: chosen } = best as NonNullable<typeof best>;
  const steps = Array.from({ length: horizon }, (_, j) => {
    const h = j + 1;
    const v = fit.level + h * fit.trend + fit.season[(fit.next + j) % period];
    // Approximate variance of the h-step error of additive Holt-Winters (Hyndman et al. 2008, table 6.1).
    let variance = 1;
    for (let i = 1; i < h; i++)
      variance += (chosen.alpha * (1 + i * chosen.beta) + (i % period === 0 ? chosen.gamma : 0)) ** 2;
    const half = Z95 * fit.sigma * Math.sqrt(variance);
    return { v, lower: v - half, upper: v + half };
  });
  return { steps, params: chosen };
}

/**
 * The autocorrelation of the values at `lag` (Pearson over the overlapping pairs); used to
 * decide whether a series is seasonal.
 */
export function autocorrelation(values: number[], lag: number): number {
  if (lag <= 0 || lag >= values.length) return 0;
  const m = mean(values);
  let num = 0;
  let den = 0;
  for (let i = 0; i < values.length; i++) {
    den += (values[i] - m) ** 2;
    if (i + lag < values.length) num += (values[i] - m) * (values[i + lag] - m);
  }
  return den ? num / den : 0;
}

/** Seasonal when two full seasons exist and the values correlate with themselves one season back. */
export function isSeasonal(values: number[], period: number, minCorrelation = 0.3): boolean {
  return period >= 2 && values.length >= 2 * period && autocorrelation(values, period) >= minCorrelation;
}
