import { holtWintersForecast, isSeasonal, movingAverageForecast } from './forecast';
import { linearForecast, linearTrend, type Point, type Trend } from './linear';

/** The forecast methods; `auto` is Holt-Winters where the series is seasonal, else linear. */
export const FORECAST_METHODS = ['auto', 'linear', 'moving-average', 'holt-winters'] as const;
export type ForecastMethod = (typeof FORECAST_METHODS)[number];

export interface SeriesForecastOptions {
  method: ForecastMethod;
  horizonHours: number;
  /** Spacing of the points (and of the forecast), in ms. */
  stepMs: number;
  /** Length of one season in hours (default 24). */
  seasonHours?: number;
  threshold?: number;
  /** At most this many forecast points are returned (default 500). */
  maxPoints?: number;
}

export interface SeriesForecast {
  /** The method actually used (`auto` resolved). */
  method: Exclude<ForecastMethod, 'auto'>;
  trend: Trend;
  forecast: Array<{ t: number; v: number; lower: number; upper: number }>;
  /** Hours from the last point until the forecast first reaches the threshold, or null. */
  hoursUntilThreshold: number | null;
}

/**
 * Forecasts a series with the chosen method. Holt-Winters needs two seasons and a seasonal
 * series: asked for explicitly without them, it falls back to the linear trend (and says so in
 * `method`).
 */
export function forecastSeries(points: Point[], options: SeriesForecastOptions): SeriesForecast {
  const trend = linearTrend(points);
  const stepHours = options.stepMs / 3_600_000;
  const period = Math.round((options.seasonHours ?? 24) / stepHours);
  const values = points.map((p) => p.v);
  const last = points.at(-1)?.t ?? 0;
  const seasonal = isSeasonal(values, period);
  const twoSeasons = period >= 2 && values.length >= 2 * period;
  const method =
    options.method === 'moving-average'
      ? 'moving-average'
      : (options.method === 'holt-winters' && twoSeasons) || (options.method === 'auto' && seasonal)
        ? 'holt-winters'
        : 'linear';
  const maxPoints = options.maxPoints ?? 500;
  if (method === 'linear') {
    const outStep = Math.max(stepHours, options.horizonHours / maxPoints);
    return { method, ...linearForecast(points, options.horizonHours, outStep, options.threshold) };
  }
  const steps = Math.max(1, Math.floor(options.horizonHours / stepHours));
  const raw =
    method === 'moving-average'
      ? movingAverageForecast(values, steps)
      : holtWintersForecast(values, steps, period).steps;
  const all = raw.map((s, i) => ({ t: last + (i + 1) * options.stepMs, ...s }));
  let hoursUntilThreshold: number | null = null;
  const threshold = options.threshold;
  if (threshold !== undefined && values.length) {
    const now = values[values.length - 1];
    const crossed = all.find((f) => (threshold >= now ? f.v >= threshold : f.v <= threshold));
    hoursUntilThreshold = crossed ? (crossed.t - last) / 3_600_000 : null;
  }
  // Long horizons are thinned to at most `maxPoints`, keeping the last step.
  const every = Math.ceil(all.length / maxPoints);
  const forecast = all.filter((_, i) => (all.length - 1 - i) % every === 0);
  return { method, trend, forecast, hoursUntilThreshold };
}
