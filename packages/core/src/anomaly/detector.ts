import { RollingQuantiles } from './rolling-quantiles';
import { SeasonalBaseline } from './seasonal-baseline';

/**
 * A streaming, causal anomaly detector with one parameter set for every series. Each point
 * is scored by several signals against what came before it, each divided by the level at
 * which it counts as anomalous; the largest of them is the point's score:
 *
 * - `new-extreme`: how far the value leaves the range seen so far (share of that range);
 * - `seasonal`: distance from the median of the same hour of the week on previous weeks (of
 *   the same time of day on previous days while there are fewer than three weeks), against
 *   the largest such distances seen (their 98th percentile);
 * - `seasonal-shift`: the mean residual of the last few points against the typical (median)
 *   one, which catches a daily pattern that flattened, shifted or skipped a beat;
 * - `seasonal-spread`: the mean absolute residual of the last few points;
 * - `level-shift`: the mean of the last few points against the history of such means
 *   (median and interquartile range);
 * - `outlier`: the value against the history of values (median and interquartile range).
 *
 * After an alert, further alerts are held back until the signals have stayed below their
 * levels for a while (four hours), so one incident is reported once.
 * A point is scored before it joins the history: the detector never sees the future.
 */
export interface DetectorOptions {
  /** Points of history the rolling baselines keep. */
  history: number;
  /** Points averaged for the level and seasonal-shift signals. */
  window: number;
  /** Days of history per time-of-day slot. */
  seasonDays: number;
  /** Weeks of history per hour-of-week slot (0: daily seasonality only). */
  seasonWeeks: number;
  /** Points seen before anything is scored. */
  warmup: number;
  /** How long (ms) the signals must stay below their levels before another alert is reported. */
  refractoryMs: number;
  /** The same in points, for series fed without timestamps. */
  refractory: number;
  /**
   * Quantile of past seasonal residuals that one point's residual is measured against, so
   * that series with routine spikes must spike higher than usual.
   */
  tail: number;
  /** Level of each signal at which it reaches a score of 0.5. */
  levels: Record<Signal, number>;
}

export const SIGNALS = [
  'new-extreme',
  'seasonal',
  'seasonal-shift',
  'seasonal-spread',
  'level-shift',
  'outlier',
] as const;
export type Signal = (typeof SIGNALS)[number];

export const DEFAULT_DETECTOR: DetectorOptions = {
  history: 1000,
  window: 8,
  seasonDays: 7,
  seasonWeeks: 4,
  warmup: 20,
  refractoryMs: 4 * 3_600_000,
  refractory: 25,
  tail: 0.98,
  levels: {
    'new-extreme': 0.025,
    seasonal: 4.8,
    'seasonal-shift': 6,
    'seasonal-spread': 10,
    'level-shift': 5.1,
    outlier: 8.4,
  },
};

/** The verdict on one point. */
export interface Scored {
  /** Anomaly score in [0, 1]; 0.5 and above is an alert. Zero while warming up or held back. */
  score: number;
  /** The score before alerts are held back after an earlier one. */
  raw: number;
  /** The strongest signal, or null while warming up. */
  signal: Signal | null;
  /** Every signal divided by its alert level (1 = at the level), empty while warming up. */
  signals: Partial<Record<Signal, number>>;
  /** Whether an alert was held back because another one came shortly before. */
  suppressed: boolean;
  /** Where the value was expected: the seasonal baseline when there is one, else the recent median. */
  expected: { median: number; low: number; high: number } | null;
}

/** Feeds points one at a time, in time order; `push` scores a point using only earlier ones. */
export class AnomalyDetector {
  private readonly values: RollingQuantiles;
  private readonly means: RollingQuantiles;
  private readonly residuals: RollingQuantiles;
  private readonly season: SeasonalBaseline;
  private readonly recent: number[] = [];
  private readonly recentResiduals: number[] = [];
  private min = Number.POSITIVE_INFINITY;
  private max = Number.NEGATIVE_INFINITY;
  private seen = 0;
  private sinceAlert = Number.POSITIVE_INFINITY;
  private lastAlertAt = Number.NEGATIVE_INFINITY;

  constructor(private readonly options: DetectorOptions = DEFAULT_DETECTOR) {
    this.values = new RollingQuantiles(options.history);
    this.means = new RollingQuantiles(options.history);
    this.residuals = new RollingQuantiles(options.history);
    this.season = new SeasonalBaseline(options.seasonDays, options.seasonWeeks);
  }

  /**
   * Scores the point at time `t` (ms; null when unknown, which turns the seasonal signals off).
   * Values that are not finite score 0 and are left out of the history.
   */
  push(t: number | null, value: number): Scored {
    const o = this.options;
    // A gap (NaN) or a broken reading must not poison the sorted baselines.
    if (!Number.isFinite(value))
      return { score: 0, raw: 0, signal: null, signals: {}, suppressed: false, expected: null };
    this.recent.push(value);
    if (this.recent.length > o.window) this.recent.shift();
    const mean = this.recent.reduce((a, b) => a + b, 0) / this.recent.length;
    const baseline = t === null ? null : this.season.expected(t);
    const residual = baseline === null ? 0 : value - baseline;
    this.recentResiduals.push(residual);
    if (this.recentResiduals.length > o.window) this.recentResiduals.shift();

    let result: Scored = { score: 0, raw: 0, signal: null, signals: {}, suppressed: false, expected: null };
    if (this.seen >= o.warmup) {
      const signals = this.signals(value, mean, baseline);
      let raw = 0;
      let signal: Signal = 'outlier';
      for (const s of SIGNALS) {
        const level = signals[s] / o.levels[s];
        signals[s] = level;
        if (level > raw) {
          raw = level;
          signal = s;
        }
      }
      const score = raw / (1 + raw);
      const suppressed =
        t === null ? this.sinceAlert <= o.refractory : t - this.lastAlertAt <= o.refractoryMs;
      if (raw >= 1) {
        this.sinceAlert = 0;
        if (t !== null) this.lastAlertAt = t;
      }
      result = {
        score: suppressed ? 0 : score,
        raw: score,
        signal,
        signals,
        suppressed,
        expected: this.expected(baseline),
      };
    }

    this.sinceAlert++;
    this.seen++;
    this.min = Math.min(this.min, value);
    this.max = Math.max(this.max, value);
    this.values.push(value);
    this.means.push(mean);
    if (baseline !== null) this.residuals.push(Math.abs(residual));
    if (t !== null) this.season.add(t, value);
    return result;
  }

  private signals(value: number, mean: number, baseline: number | null): Record<Signal, number> {
    const range = this.max - this.min || 1;
    const spread = (q: RollingQuantiles) => Math.max(q.quantile(0.75) - q.quantile(0.25), range * 0.02);
    const known = this.residuals.size > 0;
    const residualScale = Math.max(known ? this.residuals.quantile(0.5) : 0, range * 0.01);
    const tailScale = Math.max(known ? this.residuals.quantile(this.options.tail) : 0, range * 0.01);
    let shift = 0;
    let absolute = 0;
    for (const r of this.recentResiduals) {
      shift += r;
      absolute += Math.abs(r);
    }
    const n = this.options.window;
    const seasonal = baseline !== null;
    return {
      'new-extreme': Math.max(0, value - this.max, this.min - value) / range,
      seasonal: seasonal ? Math.abs(value - baseline) / tailScale : 0,
      'seasonal-shift': seasonal ? Math.abs(shift / n) / residualScale : 0,
      'seasonal-spread': seasonal ? absolute / n / residualScale : 0,
      'level-shift': Math.abs(mean - this.means.quantile(0.5)) / spread(this.means),
      outlier: Math.abs(value - this.values.quantile(0.5)) / spread(this.values),
    };
  }

  private expected(baseline: number | null): Scored['expected'] {
    const median = baseline ?? this.values.quantile(0.5);
    const width = this.values.quantile(0.75) - this.values.quantile(0.25);
    return { median, low: median - 1.5 * width, high: median + 1.5 * width };
  }
}

/** Scores a whole series point by point, as a stream; `timestamps` (ms) enable the seasonal signals. */
export function scoreSeries(
  values: number[],
  timestamps?: number[],
  options: DetectorOptions = DEFAULT_DETECTOR,
): number[] {
  const detector = new AnomalyDetector(options);
  return values.map((v, i) => detector.push(timestamps ? timestamps[i] : null, v).score);
}
